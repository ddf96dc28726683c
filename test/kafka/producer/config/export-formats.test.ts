// Each export parses in its own format with a parser we did not write: producer.properties and librdkafka with
// properties-file, the Spring YAML with yaml, the ProducerFactory with java-parser and, when javac is installed, by
// compiling it against stub Kafka and Spring classes; the kafkajs module with acorn, then loaded with the real
// kafkajs package, whose producer must accept the options.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse as parseJs } from 'acorn';
import { parse as parseJava } from 'java-parser';
import { Properties } from 'properties-file/parser';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { exportConfig, type ExportInput } from '../../../../src/kafka/producer/config/export-formats/index.js';
import { PRODUCER_CONFIG_CONSTANTS } from '../../../../src/kafka/producer/config/export-formats/java-constants.js';
import { effectiveConfig, SETTING_NAMES, type ProducerSettings } from '../../../../src/kafka/producer/config/settings.js';
import { kafkaFor, startSandbox } from '../../../helpers/sandbox.js';

const user: Partial<ProducerSettings> = {
  acks: 'all', 'enable.idempotence': true, 'linger.ms': 5, 'batch.size': 16384, 'compression.type': 'snappy',
  'delivery.timeout.ms': 30000, 'request.timeout.ms': 10000, 'partitioner.class': 'round-robin', 'transactional.id': 'orders-tx',
};
const input = (all: boolean): ExportInput => ({ user, effective: effectiveConfig(user).settings, all, version: '4.1' });
const dir = mkdtempSync(join(tmpdir(), 'kpt-export-'));
const hasJavac = spawnSync('javac', ['-version']).status === 0;
const hasKcat = spawnSync('kcat', ['-V']).status === 0;

describe('export formats parse in their own language', () => {
  it('producer.properties: every key is a Kafka producer setting', () => {
    const props = new Properties(exportConfig('properties', input(true))).toObject();
    expect(Object.keys(props).every((k) => (SETTING_NAMES as string[]).includes(k))).toBe(true);
    expect(props).toMatchObject({ acks: 'all', 'compression.type': 'snappy', 'partitioner.class': 'org.apache.kafka.clients.producer.RoundRobinPartitioner' });
  });

  it("librdkafka: its own names where they differ, and Java's key hashing", () => {
    const props = new Properties(exportConfig('librdkafka', input(true))).toObject();
    expect(props).toMatchObject({ partitioner: 'murmur2_random', 'queue.buffering.max.kbytes': '32768', 'message.max.bytes': '1048576', 'message.timeout.ms': '30000' });
    expect(props['buffer.memory']).toBeUndefined();
  });

  it.skipIf(!hasKcat)('librdkafka: kcat (librdkafka itself) accepts every property, with the values meant', () => {
    const path = join(dir, 'librdkafka.properties');
    const settings: Partial<ProducerSettings> = { ...user, 'partitioner.class': 'default', 'buffer.memory': 64 * 1024 * 1024, 'compression.type': 'zstd', 'partitioner.ignore.keys': true };
    writeFileSync(path, exportConfig('librdkafka', { user: settings, effective: effectiveConfig(settings).settings, all: true, version: '4.1' }));
    const kcat = spawnSync('kcat', ['-F', path, '-X', 'dump'], { encoding: 'utf8' });
    expect(kcat.stderr).not.toMatch(/ERROR/);
    expect(kcat.status).toBe(0);
    const dump = Object.fromEntries(kcat.stdout.split('\n').map((l) => l.split(' = ')).filter((p) => p.length === 2));
    expect(dump).toMatchObject({
      'request.required.acks': '-1', 'enable.idempotence': 'true', 'queue.buffering.max.ms': '5', 'batch.size': '16384',
      'queue.buffering.max.kbytes': '65536', 'message.timeout.ms': '30000', 'request.timeout.ms': '10000',
      partitioner: 'murmur2_random', 'transactional.id': 'orders-tx', 'compression.codec': 'zstd',
    });
  });

  it('Spring YAML: Spring Boot keys, the rest under properties', () => {
    const producer = parseYaml(exportConfig('spring-yaml', input(false))).spring.kafka.producer;
    expect(producer['transaction-id-prefix']).toBe('orders-tx');
    expect(producer.properties['[partitioner.class]']).toBe('org.apache.kafka.clients.producer.RoundRobinPartitioner');
  });

  it('kafkajs: parses as a module, and the real kafkajs accepts the options', async () => {
    const text = exportConfig('kafkajs', input(true));
    expect(() => parseJs(text, { ecmaVersion: 'latest', sourceType: 'module' })).not.toThrow();
    const kafkajs = pathToFileURL(createRequire(import.meta.url).resolve('kafkajs')).href;
    const path = join(dir, 'producer.kafkajs.mjs');
    writeFileSync(path, text.replace("from 'kafkajs'", `from '${kafkajs}'`));
    const mod = (await import(pathToFileURL(path).href)) as { producer: { send: unknown; transaction: unknown }; send: unknown };
    expect(typeof mod.producer.send).toBe('function');
    expect(typeof mod.producer.transaction).toBe('function');
    expect(typeof mod.send).toBe('function');
  });

  it('kafkajs: the exported producer sends with its options to the built-in cluster', async () => {
    const settings: Partial<ProducerSettings> = { acks: 'all', 'enable.idempotence': true, retries: 3, 'compression.type': 'gzip', 'request.timeout.ms': 10000 };
    const text = exportConfig('kafkajs', { user: settings, effective: effectiveConfig(settings).settings, all: false, version: '4.1' });
    const kafkajs = pathToFileURL(createRequire(import.meta.url).resolve('kafkajs')).href;
    const path = join(dir, 'send.kafkajs.mjs');
    writeFileSync(path, text.replace("from 'kafkajs'", `from '${kafkajs}'`));
    const sandbox = await startSandbox();
    const admin = kafkaFor(sandbox).admin();
    const before = process.env.KAFKA_BROKERS;
    process.env.KAFKA_BROKERS = sandbox.addresses().join(',');
    try {
      await admin.connect();
      await admin.createTopics({ topics: [{ topic: 'exported', numPartitions: 1, replicationFactor: 3 }] });
      const mod = (await import(pathToFileURL(path).href)) as { producer: { connect(): Promise<void>; disconnect(): Promise<void> }; send(topic: string, messages: { value: string }[]): Promise<{ baseOffset?: string; errorCode: number }[]> };
      await mod.producer.connect();
      const result = await mod.send('exported', [{ value: 'one' }, { value: 'two' }]);
      expect(result[0]).toMatchObject({ errorCode: 0, baseOffset: '0' });
      await mod.producer.disconnect();
      const offsets = await admin.fetchTopicOffsets('exported');
      expect(offsets[0].high).toBe('2');
    } finally {
      if (before === undefined) delete process.env.KAFKA_BROKERS;
      else process.env.KAFKA_BROKERS = before;
      await admin.disconnect();
      await sandbox.close();
    }
  });

  it('spring-java: java-parser parses it', () => {
    expect(() => parseJava(exportConfig('spring-java', input(true)))).not.toThrow();
  });

  it.skipIf(!hasJavac)('spring-java: javac compiles it against stub Kafka and Spring classes', () => {
    const src = join(dir, 'java');
    const put = (path: string, text: string) => {
      mkdirSync(dirname(join(src, path)), { recursive: true });
      writeFileSync(join(src, path), text);
    };
    const constants = ['BOOTSTRAP_SERVERS_CONFIG', 'KEY_SERIALIZER_CLASS_CONFIG', 'VALUE_SERIALIZER_CLASS_CONFIG', ...Object.values(PRODUCER_CONFIG_CONSTANTS)];
    put('org/apache/kafka/clients/producer/ProducerConfig.java', `package org.apache.kafka.clients.producer;\npublic class ProducerConfig {\n${constants.map((c) => `  public static final String ${c} = "${c}";`).join('\n')}\n}\n`);
    put('org/apache/kafka/clients/producer/RoundRobinPartitioner.java', 'package org.apache.kafka.clients.producer;\npublic class RoundRobinPartitioner {}\n');
    put('org/apache/kafka/common/serialization/StringSerializer.java', 'package org.apache.kafka.common.serialization;\npublic class StringSerializer {}\n');
    put('org/springframework/beans/factory/annotation/Value.java', 'package org.springframework.beans.factory.annotation;\npublic @interface Value { String value(); }\n');
    put('org/springframework/context/annotation/Bean.java', 'package org.springframework.context.annotation;\npublic @interface Bean {}\n');
    put('org/springframework/context/annotation/Configuration.java', 'package org.springframework.context.annotation;\npublic @interface Configuration {}\n');
    put('org/springframework/kafka/core/ProducerFactory.java', 'package org.springframework.kafka.core;\npublic interface ProducerFactory<K, V> {}\n');
    put('org/springframework/kafka/core/DefaultKafkaProducerFactory.java', 'package org.springframework.kafka.core;\nimport java.util.Map;\npublic class DefaultKafkaProducerFactory<K, V> implements ProducerFactory<K, V> { public DefaultKafkaProducerFactory(Map<String, Object> configs) {} }\n');
    put('org/springframework/kafka/core/KafkaTemplate.java', 'package org.springframework.kafka.core;\npublic class KafkaTemplate<K, V> { public KafkaTemplate(ProducerFactory<K, V> factory) {} }\n');
    put('KafkaProducerConfig.java', exportConfig('spring-java', input(true)));
    const files = execFileSync('find', [src, '-name', '*.java'], { encoding: 'utf8' }).trim().split('\n');
    const javac = spawnSync('javac', ['-d', join(dir, 'classes'), ...files], { encoding: 'utf8' });
    expect(javac.stderr).toBe('');
    expect(javac.status).toBe(0);
  });
});
