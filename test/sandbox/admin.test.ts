// kafkajs's admin client against the sandbox over TCP: CreateTopics (to the controller), DescribeConfigs,
// describeCluster, DeleteTopics and switching auto-creation off.
import { afterEach, describe, expect } from 'vitest';
import { ConfigResourceTypes, type Admin } from 'kafkajs';
import type { Sandbox, SandboxOptions } from '../../src/sandbox/sandbox.js';
import { RawClient } from '../helpers/raw-client.js';
import { kafkaFor } from '../helpers/sandbox.js';
import { sandboxTest as it, type SandboxFixtures } from '../helpers/fixtures.js';

const raws: RawClient[] = [];
afterEach(async () => {
  for (const r of raws.splice(0)) r.close();
});

/** A sandbox with the test's options and a connected admin client for it, both closed after the test. */
async function start({ startSandbox, adminFor }: Pick<SandboxFixtures, 'startSandbox' | 'adminFor'>, opts: SandboxOptions = {}): Promise<{ sandbox: Sandbox; admin: Admin }> {
  const sandbox = await startSandbox(opts);
  return { sandbox, admin: await adminFor(sandbox) };
}

async function rawTo(s: Sandbox, broker: number): Promise<RawClient> {
  const c = await RawClient.connect(s.addresses()[broker - 1]);
  raws.push(c);
  return c;
}

describe('admin over kafkajs', () => {
  it('createTopics with partitions, replication factor and configs: leaders spread, configs described', async ({ startSandbox, adminFor }) => {
    const { sandbox, admin } = await start({ startSandbox, adminFor });
    const created = await admin.createTopics({
      topics: [
        {
          topic: 'orders',
          numPartitions: 6,
          replicationFactor: 3,
          configEntries: [
            { name: 'min.insync.replicas', value: '2' },
            { name: 'retention.ms', value: '3600000' },
          ],
        },
      ],
    });
    expect(created).toBe(true);
    const creates = sandbox.state.requestLog.find({ api: 'CreateTopics' });
    expect(creates.map((e) => [e.broker, e.version])).toEqual([[sandbox.cluster.controller, 3]]);

    const { topics } = await admin.fetchTopicMetadata({ topics: ['orders'] });
    const partitions = topics[0].partitions;
    expect(partitions).toHaveLength(6);
    expect(new Set(partitions.map((p) => p.leader))).toEqual(new Set([1, 2, 3]));
    for (const p of partitions) expect([...p.replicas].sort()).toEqual([1, 2, 3]);

    const described = await admin.describeConfigs({ resources: [{ type: ConfigResourceTypes.TOPIC, name: 'orders' }], includeSynonyms: false });
    const entries = new Map(described.resources[0].configEntries.map((e) => [e.configName, e]));
    expect(entries.get('min.insync.replicas')).toMatchObject({ configValue: '2', isDefault: false });
    expect(entries.get('retention.ms')).toMatchObject({ configValue: '3600000', isDefault: false });
    expect(entries.get('max.message.bytes')).toMatchObject({ configValue: '1048588', isDefault: true });
    // The sandbox honours what DescribeConfigs reports.
    expect(sandbox.cluster.partition('orders', 0)!.config.minInsyncReplicas).toBe(2);
  });

  it('describeConfigs of a broker goes to that broker and lists its settings', async ({ startSandbox, adminFor }) => {
    const { sandbox, admin } = await start({ startSandbox, adminFor }, { numPartitions: 4 });
    const described = await admin.describeConfigs({ resources: [{ type: ConfigResourceTypes.BROKER, name: '2' }], includeSynonyms: false });
    const entries = new Map(described.resources[0].configEntries.map((e) => [e.configName, e.configValue]));
    expect(entries.get('num.partitions')).toBe('4');
    expect(entries.get('default.replication.factor')).toBe('3');
    expect(entries.get('min.insync.replicas')).toBe('1');
    expect(entries.get('auto.create.topics.enable')).toBe('true');
    expect(entries.get('broker.id')).toBe('2');
    expect(sandbox.state.requestLog.find({ api: 'DescribeConfigs' }).map((e) => e.broker)).toEqual([2]);
  });

  it('describeConfigs of a missing topic fails with UNKNOWN_TOPIC_OR_PARTITION', async ({ startSandbox, adminFor }) => {
    const { admin } = await start({ startSandbox, adminFor });
    await expect(
      admin.describeConfigs({ resources: [{ type: ConfigResourceTypes.TOPIC, name: 'nope' }], includeSynonyms: false }),
    ).rejects.toMatchObject({ type: 'UNKNOWN_TOPIC_OR_PARTITION' });
  });

  it('createTopics of an existing topic: TOPIC_ALREADY_EXISTS (kafkajs turns it into false)', async ({ startSandbox, adminFor }) => {
    const { sandbox, admin } = await start({ startSandbox, adminFor });
    expect(await admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 2 }] })).toBe(true);
    expect(await admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 5 }] })).toBe(false);
    expect(sandbox.cluster.topics.get('orders')!.partitions).toHaveLength(2);

    const controller = await rawTo(sandbox, sandbox.cluster.controller);
    const res = await controller.call('createTopics', 3, { topics: [{ topic: 'orders', numPartitions: 5 }] });
    expect(res.topicErrors).toEqual([{ topic: 'orders', errorCode: 36, errorMessage: "Topic 'orders' already exists." }]);
  });

  it('replication factor 4 on 3 brokers fails with INVALID_REPLICATION_FACTOR and a message saying why', async ({ startSandbox, adminFor }) => {
    const { sandbox, admin } = await start({ startSandbox, adminFor });
    await expect(admin.createTopics({ topics: [{ topic: 'wide', numPartitions: 1, replicationFactor: 4 }] })).rejects.toMatchObject({
      errors: [expect.objectContaining({ type: 'INVALID_REPLICATION_FACTOR', topic: 'wide' })],
    });
    expect(sandbox.cluster.topics.has('wide')).toBe(false);

    const controller = await rawTo(sandbox, sandbox.cluster.controller);
    const res = await controller.call('createTopics', 3, { topics: [{ topic: 'wide', numPartitions: 1, replicationFactor: 4 }] });
    expect(res.topicErrors[0]).toMatchObject({ errorCode: 38, errorMessage: 'Replication factor: 4 larger than available brokers: 3.' });
  });

  it('CreateTopics is refused off the controller, validates only when asked, and takes a manual assignment as given', async ({ startSandbox, adminFor }) => {
    const { sandbox } = await start({ startSandbox, adminFor });
    const other = sandbox.cluster.controller === 1 ? 2 : 1;
    const notController = await rawTo(sandbox, other);
    const refused = await notController.call('createTopics', 3, { topics: [{ topic: 'a', numPartitions: 1 }] });
    expect(refused.topicErrors[0]).toMatchObject({ errorCode: 41 });
    const deleteRefused = await notController.call('deleteTopics', 1, { topics: ['a'] });
    expect(deleteRefused.topicErrors[0]).toMatchObject({ errorCode: 41 });

    const controller = await rawTo(sandbox, sandbox.cluster.controller);
    const validated = await controller.call('createTopics', 3, { topics: [{ topic: 'a', numPartitions: 2 }], validateOnly: true });
    expect(validated.topicErrors[0]).toMatchObject({ topic: 'a', errorCode: 0 });
    const badConfig = await controller.call('createTopics', 3, { topics: [{ topic: 'a', configEntries: [{ name: 'min.insync.replicas', value: 'two' }] }] });
    expect(badConfig.topicErrors[0]).toMatchObject({ errorCode: 40, errorMessage: 'min.insync.replicas must be an integer, got "two"' });
    expect(sandbox.cluster.topics.has('a')).toBe(false);
    const badAssignment = await controller.call('createTopics', 3, { topics: [{ topic: 'a', replicaAssignment: [{ partition: 0, replicas: [1, 9] }] }] });
    expect(badAssignment.topicErrors[0]).toMatchObject({ errorCode: 39, errorMessage: expect.stringMatching(/Broker 9/) });
    const manual = await controller.call('createTopics', 3, {
      topics: [{ topic: 'a', replicaAssignment: [{ partition: 0, replicas: [3, 1] }, { partition: 1, replicas: [2, 3] }] }],
    });
    expect(manual.topicErrors[0]).toMatchObject({ errorCode: 0 });
    expect(sandbox.cluster.topics.get('a')!.partitions.map((p) => [p.replicas, p.leader])).toEqual([
      [[3, 1], 3],
      [[2, 3], 2],
    ]);
  });

  it('refuses partitions beyond the sandbox\'s cluster-wide cap with a message saying so', async ({ startSandbox, adminFor }) => {
    const { sandbox } = await start({ startSandbox, adminFor });
    expect(sandbox.cluster.createTopic('huge', sandbox.cluster.settings.maxPartitions - 1, 1)).toEqual({ error: 0 });
    const controller = await rawTo(sandbox, sandbox.cluster.controller);
    const res = await controller.call('createTopics', 3, { topics: [{ topic: 'one-more', numPartitions: 2 }] });
    expect(res.topicErrors[0]).toMatchObject({ errorCode: 37, errorMessage: expect.stringMatching(/at most 10000 partitions/) });
    expect(sandbox.cluster.topics.has('one-more')).toBe(false);
    const fits = await controller.call('createTopics', 3, { topics: [{ topic: 'one-more', numPartitions: 1 }] });
    expect(fits.topicErrors[0]).toMatchObject({ errorCode: 0 });
  });

  it('describeCluster shows the 3 brokers and a live controller', async ({ startSandbox, adminFor }) => {
    const { sandbox, admin } = await start({ startSandbox, adminFor });
    const cluster = await admin.describeCluster();
    expect(cluster.brokers.map((b) => b.nodeId).sort()).toEqual([1, 2, 3]);
    expect(cluster.controller).toBe(sandbox.cluster.controller);
    expect(sandbox.cluster.isServing(cluster.controller!)).toBe(true);
    expect(cluster.clusterId).toBe(sandbox.cluster.clusterId);
  });

  it('deleteTopics removes the topic from the cluster and from metadata', async ({ startSandbox, adminFor }) => {
    const { sandbox, admin } = await start({ startSandbox, adminFor });
    await admin.createTopics({ topics: [{ topic: 'doomed', numPartitions: 2 }, { topic: 'kept', numPartitions: 1 }] });
    await admin.deleteTopics({ topics: ['doomed'] });
    expect(sandbox.cluster.topics.has('doomed')).toBe(false);
    expect((await admin.listTopics()).sort()).toEqual(['kept']);
    expect(sandbox.state.requestLog.find({ api: 'DeleteTopics' }).map((e) => e.broker)).toEqual([sandbox.cluster.controller]);

    const controller = await rawTo(sandbox, sandbox.cluster.controller);
    const again = await controller.call('deleteTopics', 1, { topics: ['doomed'] });
    expect(again.topicErrors).toEqual([{ topic: 'doomed', errorCode: 3 }]);
  });

  it('with auto-creation off, producing to an unknown topic fails with UNKNOWN_TOPIC_OR_PARTITION after retries', async ({ sandbox }) => {
    sandbox.cluster.autoCreateTopics = false;
    const producer = kafkaFor(sandbox, { retry: { retries: 2, initialRetryTime: 20 } }).producer();
    await producer.connect();
    try {
      await expect(producer.send({ topic: 'unknown', messages: [{ value: 'x' }] })).rejects.toMatchObject({
        name: 'KafkaJSNumberOfRetriesExceeded',
        retryCount: 2,
        cause: expect.objectContaining({ type: 'UNKNOWN_TOPIC_OR_PARTITION' }),
      });
    } finally {
      await producer.disconnect();
    }
    expect(sandbox.cluster.topics.has('unknown')).toBe(false);
    // One metadata request per attempt, each refused: nothing was created along the way.
    expect(sandbox.state.requestLog.find({ api: 'Metadata' })).toHaveLength(3);
    expect(sandbox.state.requestLog.find({ api: 'Produce' })).toHaveLength(0);
  });
});
