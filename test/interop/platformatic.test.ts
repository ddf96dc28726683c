// @platformatic/kafka (a maintained pure-TypeScript client that speaks flexible versions: Metadata v12, Produce
// v11, Fetch v17, JoinGroup v9...) against the sandbox: it negotiates Kafka 4.x versions, produces idempotently with
// acks=all, consumes back as a group member, and uses the admin APIs.
import { Admin, Consumer, Producer, ProduceAcks, stringDeserializers, stringSerializers } from '@platformatic/kafka';
import { describe, expect } from 'vitest';
import { sandboxTest as test } from '../helpers/fixtures.js';

const silent = { retries: 5, retryDelay: 100 };

describe('@platformatic/kafka against the sandbox', () => {
  test('produces idempotently with acks=all and consumes everything back in a group', { timeout: 60_000 }, async ({ sandbox }) => {
    const bootstrapBrokers = sandbox.addresses();
    const admin = new Admin({ clientId: 'pk-admin', bootstrapBrokers, ...silent });
    await admin.createTopics({ topics: ['pk-orders'], partitions: 3, replicas: 3 });

    const producer = new Producer({
      clientId: 'pk-producer',
      bootstrapBrokers,
      serializers: stringSerializers,
      idempotent: true,
      acks: ProduceAcks.ALL,
      ...silent,
    });
    const n = 30;
    const sent = Array.from({ length: n }, (_, i) => ({ topic: 'pk-orders', key: `k${i % 7}`, value: `v${i}`, headers: { h: 'x' } }));
    for (let i = 0; i < n; i += 10) await producer.send({ messages: sent.slice(i, i + 10) });

    const consumer = new Consumer({
      clientId: 'pk-consumer',
      groupId: 'pk-group',
      bootstrapBrokers,
      deserializers: stringDeserializers,
      sessionTimeout: 10_000,
      heartbeatInterval: 500,
      ...silent,
    });
    const stream = await consumer.consume({ topics: ['pk-orders'], mode: 'earliest', autocommit: false, maxWaitTime: 200 });
    const got: { key: string; value: string; partition: number; offset: bigint; header: string | undefined }[] = [];
    for await (const m of stream) {
      got.push({ key: m.key, value: m.value, partition: m.partition, offset: m.offset, header: m.headers.get('h') });
      await m.commit();
      if (got.length === n) break;
    }
    await stream.close();
    const committed = await consumer.listCommittedOffsets({ topics: [{ topic: 'pk-orders', partitions: [0, 1, 2] }] });
    await consumer.close();
    await producer.close();
    await admin.close();

    // It spoke the flexible versions a Kafka 4 broker offers, not the old ones kafkajs uses.
    const used = new Set(sandbox.state.requestLog.all().map((e) => `${e.api} v${e.version}`));
    expect(used).toContain('Produce v11');
    expect(used).toContain('Fetch v17');
    expect(got.map((m) => m.value).sort()).toEqual(sent.map((m) => m.value).sort());
    expect(got.every((m) => m.header === 'x')).toBe(true);
    // Same key, same partition, in order: what idempotent acks=all promises per partition.
    for (const key of new Set(sent.map((m) => m.key))) {
      const mine = got.filter((m) => m.key === key);
      expect(new Set(mine.map((m) => m.partition)).size).toBe(1);
      expect(mine.map((m) => Number(m.value.slice(1)))).toEqual([...mine.map((m) => Number(m.value.slice(1)))].sort((a, b) => a - b));
    }
    const total = [...committed.get('pk-orders')!].reduce((s, o) => s + Number(o), 0);
    expect(total).toBe(n);
  });

  test('admin: creates and deletes topics, adds partitions, deletes records, describes and alters configs', { timeout: 60_000 }, async ({ sandbox }) => {
    const bootstrapBrokers = sandbox.addresses();
    const admin = new Admin({ clientId: 'pk-admin', bootstrapBrokers, ...silent });
    const producer = new Producer({ clientId: 'pk-p', bootstrapBrokers, serializers: stringSerializers, acks: ProduceAcks.ALL, ...silent });
    try {
      await admin.createTopics({ topics: ['pk-admin'], partitions: 2, replicas: 3, configs: [{ name: 'retention.ms', value: '3600000' }] });
      await admin.createPartitions({ topics: [{ name: 'pk-admin', count: 4 }] });
      expect(sandbox.cluster.topics.get('pk-admin')!.partitions).toHaveLength(4);
      await expect(admin.createPartitions({ topics: [{ name: 'pk-admin', count: 3 }] })).rejects.toThrow();

      await producer.send({ messages: Array.from({ length: 5 }, (_, i) => ({ topic: 'pk-admin', value: `v${i}`, partition: 0 })) });
      const deleted = await admin.deleteRecords({ topics: [{ name: 'pk-admin', partitions: [{ partition: 0, offset: 3n }] }] });
      expect(deleted[0].partitions[0]).toMatchObject({ partition: 0, lowWatermark: 3n });
      const earliest = await admin.listOffsets({ topics: [{ name: 'pk-admin', partitions: [{ partitionIndex: 0, timestamp: -2n }] }] });
      expect(earliest[0].partitions[0].offset).toBe(3n);

      const [described] = await admin.describeConfigs({ resources: [{ resourceType: 2, resourceName: 'pk-admin' }], includeSynonyms: true });
      const config = (name: string) => described.configs.find((c) => c.name === name)!;
      expect(config('retention.ms')).toMatchObject({ value: '3600000', configSource: 1 });
      // The sandbox's retention bound is its own setting, not Kafka's default (-1).
      expect(config('retention.bytes')).toMatchObject({ value: String(64 * 1024 * 1024), configSource: 4 });
      expect(config('retention.bytes').synonyms.at(-1)).toMatchObject({ name: 'log.retention.bytes', value: '-1', source: 5 });
      expect(config('segment.bytes')).toMatchObject({ value: '1073741824', configSource: 5 });

      await admin.incrementalAlterConfigs({
        resources: [{ resourceType: 2, resourceName: 'pk-admin', configs: [{ name: 'min.insync.replicas', configOperation: 0, value: '2' }] }],
      });
      expect(sandbox.cluster.topics.get('pk-admin')!.config.minInsyncReplicas).toBe(2);
      await admin.alterConfigs({ resources: [{ resourceType: 2, resourceName: 'pk-admin', configs: [{ name: 'max.message.bytes', value: '2000' }] }] });
      const partition = sandbox.cluster.partition('pk-admin', 0)!;
      // AlterConfigs replaces the whole set: min.insync.replicas is back to its default.
      expect([partition.config.maxMessageBytes, partition.config.minInsyncReplicas]).toEqual([2000, 1]);
      await expect(
        admin.alterConfigs({ resources: [{ resourceType: 2, resourceName: 'pk-admin', configs: [{ name: 'no.such.config', value: '1' }] }] }),
      ).rejects.toThrow();

      await admin.deleteTopics({ topics: ['pk-admin'] });
      expect(sandbox.cluster.topics.has('pk-admin')).toBe(false);
    } finally {
      await producer.close();
      await admin.close();
    }
  });
});
