// `kafka-producer-tui config` in process: the "Done when" items, every format round-tripping through
// --check, exit codes 0 / 1 / 2 with Java's ConfigException and the line of an unreadable file, --client-version.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { run } from '../../src/commands/config.js';
import { EXPORT_FORMATS, FORMAT_FILES } from '../../src/kafka/producer/config/export-formats/index.js';
import { effectiveConfig, SETTINGS, type ProducerSettings, type SettingName } from '../../src/kafka/producer/config/settings.js';

const dir = mkdtempSync(join(tmpdir(), 'kpt-config-'));

async function config(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(argv, import.meta, { out: (t) => void out.push(t), err: (t) => void err.push(t), columns: null });
  return { code, out: out.join(''), err: err.join('') };
}

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function review(path: string, ...more: string[]) {
  const r = await config('--check', path, '--json', ...more);
  return { ...r, json: JSON.parse(r.out) };
}

const IMPROVED = ['--acks', 'all', '--idempotent', '--linger-ms', '5', '--batch-size', '16384', '--compression', 'snappy', '--delivery-timeout-ms', '30000', '--request-timeout-ms', '10000'];

describe('config: export', () => {
  it("writes the study material's improved configuration as Spring Boot YAML", async () => {
    const r = await config(...IMPROVED, '--format', 'spring-yaml');
    expect(r.code).toBe(0);
    const producer = parseYaml(r.out).spring.kafka.producer;
    expect(producer).toMatchObject({ acks: 'all', 'compression-type': 'snappy', 'batch-size': 16384 });
    // Spring Boot has no key for linger.ms: it goes under properties, in Spring's bracket notation.
    expect(producer.properties['[linger.ms]']).toBe(5);
    expect(producer.properties['[delivery.timeout.ms]']).toBe(30000);
    expect(producer['linger.ms']).toBeUndefined();
  });

  it('writes only what was given or differs from the target client, unless --all', async () => {
    const some = await config('--linger-ms', '20', '--format', 'properties');
    expect(some.out.split('\n').filter((l) => l && !l.startsWith('#'))).toEqual(['linger.ms=20']);
    const all = await config('--linger-ms', '20', '--format', 'properties', '--all');
    expect(all.out).toMatch(/^buffer\.memory=33554432$/m);
    expect(all.out).toMatch(/^enable\.idempotence=true$/m);
    // kafkajs's defaults differ from Java's (idempotence off, 5 retries): an export for it says so.
    const kafkajs = await config('--linger-ms', '20', '--format', 'kafkajs');
    expect(kafkajs.out).toMatch(/idempotent: true/);
    expect(kafkajs.out).toMatch(/retries: 2147483647/);
    expect(kafkajs.out).toMatch(/^\/\/ linger\.ms=20: kafkajs has no accumulator/m);
    // 3.x clients default to linger.ms=0: the 4.x default 5 must be written for them.
    const old = await config('--acks', 'all', '--format', 'properties', '--client-version', '3.9');
    expect(old.out).toMatch(/^linger\.ms=5$/m);
  });

  it('refuses bad command lines with exit code 2 before printing anything', async () => {
    for (const argv of [['--format', 'xml'], ['--bogus', '--format', 'properties'], ['--format', 'properties', '--client-version', '2.8'], [], ['--linger-ms', 'soon', '--format', 'properties'], ['--check', 'x', '--acks', '1'], ['--check'], ['--check', 'x', '--format', 'kafkajs'], ['--json', '--format', 'properties'], ['--idempotent', '--acks', '1', '--format', 'properties']]) {
      const r = await config(...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toMatch(/^kafka-producer-tui config: /);
    }
  });
});

describe('config: every format round-trips through --check', () => {
  const cases: Record<string, Partial<ProducerSettings>> = {
    improved: { acks: 'all', 'enable.idempotence': true, 'linger.ms': 5, 'batch.size': 16384, 'compression.type': 'snappy', 'delivery.timeout.ms': 30000, 'request.timeout.ms': 10000 },
    'acks 1 without idempotence': { acks: 1, 'enable.idempotence': false, 'max.in.flight.requests.per.connection': 1, retries: 7, 'retry.backoff.ms': 250, 'compression.type': 'zstd' },
    'transactions, round-robin, big buffer': { 'transactional.id': 'orders-tx', 'partitioner.class': 'round-robin', 'buffer.memory': 64 * 1024 * 1024, 'linger.ms': 0, 'batch.size': 65536 },
  };
  // The settings as command-line flags (each setting's own flag from the catalog).
  const argvOf = (settings: Partial<ProducerSettings>) =>
    Object.entries(settings).flatMap(([name, value]) => {
      const spec = SETTINGS[name as SettingName];
      if (typeof value === 'boolean') return [value ? spec.flag! : `--no-${spec.flag!.slice(2)}`];
      return [spec.flag!, spec.format(value as never)];
    });
  for (const [name, settings] of Object.entries(cases)) {
    const expected = effectiveConfig(settings).settings;
    for (const format of EXPORT_FORMATS) {
      it(`${format}: ${name}`, async () => {
        for (const all of [[], ['--all']]) {
          const exported = await config(...argvOf(settings), '--format', format, ...all);
          expect(exported.code, exported.err).toBe(0);
          const back = await review(file(`${name.replaceAll(' ', '-')}-${all.length}-${FORMAT_FILES[format]}`, exported.out));
          expect(back.code, back.err).toBe(0);
          expect(back.json.effective).toEqual(expected);
        }
      });
    }
  }
});

describe('config --check', () => {
  it("reviews the study material's first configuration: exit 0, retries redundant, batching left to review", async () => {
    const path = file('study.properties', 'bootstrap.servers=broker:9092\nacks=all\nretries=3\nenable.idempotence=true\n');
    const r = await review(path);
    expect(r.code).toBe(0);
    const row = (s: string) => r.json.rows.find((x: { setting: string }) => x.setting === s);
    expect(row('retries')).toMatchObject({ verdict: 'redundant', group: 'durability', value: '3' });
    expect(row('retries').why).toMatch(/idempotence/);
    expect(row('batch.size')).toMatchObject({ verdict: 'review', given: false });
    expect(row('linger.ms')).toMatchObject({ verdict: 'review', given: false });
    expect(row('batch.size').why).toMatch(/left at the default/);
    expect(row('acks')).toMatchObject({ verdict: 'ok' });
    expect(r.json.other).toEqual([{ key: 'bootstrap.servers', value: 'broker:9092', line: 1 }]);
    const text = await config('--check', path);
    expect(text.out).toMatch(/^Durability$/m);
    expect(text.out).toMatch(/^ {2}retries +3 +redundant +with idempotence/m);
    expect(text.out).toMatch(/^Throughput and latency$/m);
    expect(text.out).toMatch(/Kafka accepts this configuration/);
  });

  it('exits 1 on enable.idempotence=true with acks=1, naming acks with Java\'s ConfigException', async () => {
    const path = file('conflict.properties', 'enable.idempotence=true\nacks=1\n');
    const r = await config('--check', path);
    expect(r.code).toBe(1);
    expect(r.err).toBe('org.apache.kafka.common.config.ConfigException: Must set acks to all in order to use the idempotent producer. Otherwise we cannot guarantee idempotence.\n');
    expect(r.out).toMatch(/^ {2}acks +1 +conflict/m);
    const j = await review(path);
    expect(j.json.conflicts[0].settings).toContain('acks');
  });

  it('finds the conflicts Java refuses: retries=0, delivery.timeout.ms below linger + request timeout, a transactional.id without idempotence', async () => {
    const cases: [string, RegExp][] = [
      ['enable.idempotence=true\nretries=0\n', /Must set retries to non-zero when using the idempotent producer\./],
      ['delivery.timeout.ms=10000\nlinger.ms=100\nrequest.timeout.ms=30000\n', /delivery\.timeout\.ms should be equal to or larger than linger\.ms \+ request\.timeout\.ms/],
      ['transactional.id=tx\nenable.idempotence=false\n', /Cannot set a transactional\.id without also enabling idempotence\./],
    ];
    for (const [text, message] of cases) {
      const r = await config('--check', file('c.properties', text));
      expect(r.code, text).toBe(1);
      expect(r.err).toMatch(message);
    }
  });

  it('knows what changed between kafka-clients 3.9 and 4.1', async () => {
    // More than 5 in flight with idempotence on by default: 3.x turned idempotence off, 4.0 refuses.
    const path = file('inflight.properties', 'max.in.flight.requests.per.connection=6\n');
    const v4 = await review(path, '--client-version', '4.1');
    expect(v4.code).toBe(1);
    expect(v4.json.conflicts[0].exception).toMatch(/max\.in\.flight\.requests\.per\.connection must be set to at most 5\. Current value is 6\./);
    const v3 = await review(path, '--client-version', '3.9');
    expect(v3.code).toBe(0);
    expect(v3.json.rows.find((x: { setting: string }) => x.setting === 'enable.idempotence')).toMatchObject({ verdict: 'review' });
    // linger.ms defaulted to 0 before 4.0 (KIP-1030).
    expect(v3.json.effective['linger.ms']).toBe(0);
    expect(v4.json.effective['linger.ms']).toBe(5);
  });

  it('reads Spring Boot application.properties, relaxed names and DataSize units', async () => {
    const path = file('application.properties', 'spring.kafka.bootstrap-servers=b:9092\nspring.kafka.producer.acks=1\nspring.kafka.producer.batchSize=32KB\nspring.kafka.producer.properties[linger.ms]=10\nspring.kafka.producer.properties.max.in.flight.requests.per.connection=1\n');
    const r = await review(path);
    expect(r.json.source).toBe('spring-properties');
    expect(r.json.settings).toEqual({ acks: 1, 'batch.size': 32768, 'linger.ms': 10, 'max.in.flight.requests.per.connection': 1 });
  });

  it('reads kafkajs options as JSON', async () => {
    const path = file('kafkajs.json', JSON.stringify({ producer: { idempotent: false, maxInFlightRequests: 1, retry: { retries: 3 } }, send: { acks: 1, compression: 1 } }));
    const r = await review(path);
    expect(r.json.source).toBe('kafkajs-json');
    expect(r.json.settings).toEqual({ 'enable.idempotence': false, 'max.in.flight.requests.per.connection': 1, retries: 3, acks: 1, 'compression.type': 'gzip' });
  });

  it('reads metadata.max.age.ms under each client\'s name and says what a shorter or longer one changes', async () => {
    const shorter = await review(file('meta.properties', 'metadata.max.age.ms=60000\n'));
    const longer = await review(file('meta.json', JSON.stringify({ producer: { metadataMaxAge: 900000 } })));
    const spring = await review(file('meta-application.properties', 'spring.kafka.producer.properties.metadata.max.age.ms=300000\n'));
    const finding = (r: Awaited<ReturnType<typeof review>>) => r.json.rows.find((row: { setting: string }) => row.setting === 'metadata.max.age.ms');
    expect([shorter, longer, spring].map((r) => r.json.effective['metadata.max.age.ms'])).toEqual([60000, 900000, 300000]);
    expect(finding(shorter)).toMatchObject({ verdict: 'ok', why: expect.stringMatching(/^metadata read every 60000 ms: partitions added to a topic are used sooner/) });
    expect(finding(longer)).toMatchObject({ verdict: 'ok', why: expect.stringMatching(/^metadata read every 900000 ms: partitions added to a topic wait that long/) });
    expect(finding(spring)).toMatchObject({ verdict: 'redundant' });
  });

  it('exits 2 with the line and the reason when a file cannot be read', async () => {
    const cases: [string, string, RegExp][] = [
      ['bad.properties', '# comment\nacks=all\nlinger.ms=soon\n', /bad\.properties, line 3: linger\.ms: linger\.ms must be a whole number of milliseconds; got "soon"/],
      ['bad.yml', 'spring:\n  kafka:\n    producer:\n      acks: all\n     batch-size: 1\n', /bad\.yml, line 5: not valid YAML/],
      ['bad.json', '{\n  "producer": {\n    "idempotent": true,\n  }\n}\n', /bad\.json, line 4: not valid JSON/],
      ['Bad.java', 'class A {\n  void f() {\n    props.put(ProducerConfig.ACKS_CONFIG, "all")\n  }\n}\n', /Bad\.java, line 4: not valid Java/],
      ['bad.js', 'const p = kafka.producer({ idempotent: true,, });\n', /bad\.js, line 1: not valid JavaScript/],
      ['acks.yml', 'spring.kafka.producer.acks: two\n', /acks\.yml, line 1: spring\.kafka\.producer\.acks: acks must be 0, 1 or all/],
      ['empty.yml', 'server:\n  port: 8080\n', /empty\.yml: no spring\.kafka\.producer settings found/],
    ];
    for (const [name, text, message] of cases) {
      const r = await config('--check', file(name, text));
      expect(r.code, name).toBe(2);
      expect(r.err, name).toMatch(message);
    }
    const missing = await config('--check', join(dir, 'nope.properties'));
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/nope\.properties: no such file/);
  });
});
