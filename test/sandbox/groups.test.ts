// Consumer groups over TCP with kafkajs: the coordinator protocol end to end, partitions
// split between members and moved on leave, commits resumed by a new member, admin views, and a coordinator move.
import { afterEach, describe, expect } from 'vitest';
import { Partitioners, type Consumer, type Kafka } from 'kafkajs';
import { createRequire } from 'node:module';
import { ApiKey } from '../../src/wire/api-keys.js';
import { stopBroker } from '../../src/sandbox/cluster/broker-lifecycle.js';
import { RawClient } from '../helpers/raw-client.js';
import { kafkaFor } from '../helpers/sandbox.js';
import { waitUntil } from '../helpers/cluster-events.js';
import { sandboxTest as it } from '../helpers/fixtures.js';

const require = createRequire(import.meta.url);

const cleanups: (() => Promise<unknown>)[] = [];

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
});


// Short heartbeats and fetch waits so kafkajs notices a rebalance quickly; 6000 ms is Kafka's minimum session.
function consumerFor(kafka: Kafka, groupId: string): Consumer {
  const consumer = kafka.consumer({ groupId, sessionTimeout: 6000, rebalanceTimeout: 10_000, heartbeatInterval: 100, maxWaitTimeInMs: 100 });
  cleanups.push(() => consumer.disconnect());
  return consumer;
}

/** The latest assignment kafkajs reported for a consumer (GROUP_JOIN), as sorted partition numbers of `topic`. */
function trackAssignment(consumer: Consumer, topic: string): { partitions: number[]; joins: number } {
  const seen = { partitions: [] as number[], joins: 0 };
  consumer.on(consumer.events.GROUP_JOIN, (e) => {
    seen.partitions = [...(e.payload.memberAssignment[topic] ?? [])].sort((a, b) => a - b);
    seen.joins++;
  });
  return seen;
}

async function produce(kafka: Kafka, topic: string, values: string[], partition = 0): Promise<void> {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  await producer.send({ topic, messages: values.map((value) => ({ value, partition })) });
  await producer.disconnect();
}

describe('consumer groups with kafkajs', () => {
  it('two consumers split a 6-partition topic; when one leaves the other gets every partition', async ({ sandbox }) => {
    sandbox.cluster.createTopic('split', 6, 3);
    const kafka = kafkaFor(sandbox);
    const [c1, c2] = [consumerFor(kafka, 'splitters'), consumerFor(kafka, 'splitters')];
    const [a1, a2] = [trackAssignment(c1, 'split'), trackAssignment(c2, 'split')];
    for (const c of [c1, c2]) {
      await c.connect();
      await c.subscribe({ topic: 'split', fromBeginning: true });
      await c.run({ eachMessage: async () => {} });
    }

    await waitUntil(() => a1.partitions.length > 0 && a2.partitions.length > 0 && a1.partitions.length + a2.partitions.length === 6, 'both consumers to hold a share', 20_000);
    expect([...a1.partitions, ...a2.partitions].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    const group = sandbox.state.groups.group('splitters')!;
    expect(group.state).toBe('Stable');
    expect(group.members.size).toBe(2);

    const joinsBefore = a1.joins;
    await c2.disconnect(); // LeaveGroup: c1 learns of the rebalance from its next heartbeat
    await waitUntil(() => a1.joins > joinsBefore && a1.partitions.length === 6, 'the remaining consumer to rejoin with every partition', 20_000);
    expect(a1.partitions).toEqual([0, 1, 2, 3, 4, 5]);
    expect(group.members.size).toBe(1);
  });

  it('a new consumer in the group resumes after the last committed offset', async ({ sandbox }) => {
    sandbox.cluster.createTopic('resume', 1, 3);
    const kafka = kafkaFor(sandbox);
    await produce(kafka, 'resume', ['m0', 'm1', 'm2', 'm3', 'm4']);

    const first = consumerFor(kafka, 'resumers');
    const firstSeen: string[] = [];
    await first.connect();
    await first.subscribe({ topic: 'resume', fromBeginning: true });
    await first.run({ eachMessage: async ({ message }) => void firstSeen.push(message.value!.toString()) });
    await waitUntil(() => firstSeen.length === 5, 'the first consumer to read all five', 20_000);
    await first.disconnect(); // commits what it consumed, then leaves

    const admin = kafka.admin();
    cleanups.push(() => admin.disconnect());
    await admin.connect();
    const committed = await admin.fetchOffsets({ groupId: 'resumers', topics: ['resume'] });
    expect(committed).toEqual([{ topic: 'resume', partitions: [{ partition: 0, offset: '5', metadata: null }] }]);

    await produce(kafka, 'resume', ['m5', 'm6', 'm7']);
    const second = consumerFor(kafka, 'resumers');
    const secondSeen: string[] = [];
    await second.connect();
    await second.subscribe({ topic: 'resume', fromBeginning: true });
    await second.run({ eachMessage: async ({ message }) => void secondSeen.push(message.value!.toString()) });
    await waitUntil(() => secondSeen.length >= 3, 'the second consumer to read the new records', 20_000);
    expect(secondSeen).toEqual(['m5', 'm6', 'm7']);
  });

  it('admin sees the group: listGroups, describeGroups, fetchOffsets, and setOffsets on an empty group', async ({ sandbox }) => {
    sandbox.cluster.createTopic('seen', 2, 3);
    const kafka = kafkaFor(sandbox, { clientId: 'viewer' });
    const consumer = consumerFor(kafka, 'watched');
    const assigned = trackAssignment(consumer, 'seen');
    await consumer.connect();
    await consumer.subscribe({ topic: 'seen' });
    await consumer.run({ eachMessage: async () => {} });
    await waitUntil(() => assigned.joins > 0, 'the consumer to join', 20_000);

    const admin = kafka.admin();
    cleanups.push(() => admin.disconnect());
    await admin.connect();
    const { groups } = await admin.listGroups();
    expect(groups).toEqual([{ groupId: 'watched', protocolType: 'consumer' }]);
    const described = await admin.describeGroups(['watched', 'nobody']);
    const watched = described.groups.find((g) => g.groupId === 'watched')!;
    expect(watched).toMatchObject({ state: 'Stable', protocolType: 'consumer', protocol: 'RoundRobinAssigner' });
    expect(watched.members).toHaveLength(1);
    expect(watched.members[0].clientId).toBe('viewer');
    expect(watched.members[0].memberAssignment.length).toBeGreaterThan(0); // the leader's bytes, echoed
    expect(described.groups.find((g) => g.groupId === 'nobody')).toMatchObject({ state: 'Dead', members: [] });

    // kafkajs refuses to set offsets while members are running; once the group is Empty it can.
    await expect(admin.setOffsets({ groupId: 'watched', topic: 'seen', partitions: [{ partition: 0, offset: '0' }] })).rejects.toThrow(/no running instances/);
    await consumer.disconnect();
    await admin.setOffsets({ groupId: 'watched', topic: 'seen', partitions: [{ partition: 1, offset: '0' }] });
    const offsets = await admin.fetchOffsets({ groupId: 'watched', topics: ['seen'] });
    expect(offsets[0].partitions.sort((a, b) => a.partition - b.partition)).toEqual([
      { partition: 0, offset: '-1', metadata: null },
      { partition: 1, offset: '0', metadata: null },
    ]);
    expect((await admin.describeGroups(['watched'])).groups[0].state).toBe('Empty');
  });

  it('group state survives its coordinator going down; other brokers answer NOT_COORDINATOR', async ({ sandbox }) => {
    sandbox.cluster.createTopic('moved', 3, 3);
    const kafka = kafkaFor(sandbox);
    const admin = kafka.admin();
    cleanups.push(() => admin.disconnect());
    await admin.connect();
    const coordinator = sandbox.cluster.coordinatorFor('movers');

    // A group request sent to any other broker is refused with NOT_COORDINATOR.
    const other = sandbox.addresses()[[1, 2, 3].find((id) => id !== coordinator)! - 1];
    const raw = await RawClient.connect(other);
    cleanups.push(async () => raw.close());
    const heartbeat = require('kafkajs/src/protocol/requests/heartbeat/v3/request')({ groupId: 'movers', groupGenerationId: 1, memberId: 'x' });
    const body = await raw.request(ApiKey.Heartbeat, 3, Buffer.from((await heartbeat.encode()).buffer));
    expect(body.readInt16BE(4)).toBe(16); // after throttle_time_ms

    const consumer = consumerFor(kafka, 'movers');
    const assigned = trackAssignment(consumer, 'moved');
    await consumer.connect();
    await consumer.subscribe({ topic: 'moved' });
    await consumer.run({ eachMessage: async () => {} });
    await waitUntil(() => assigned.partitions.length === 3, 'the consumer to join', 20_000);
    await consumer.commitOffsets([{ topic: 'moved', partition: 2, offset: '7' }]);
    const generation = sandbox.state.groups.group('movers')!.generationId;

    expect(stopBroker(sandbox.cluster, coordinator).ok).toBe(true);
    await sandbox.settled();
    expect(sandbox.cluster.coordinatorFor('movers')).not.toBe(coordinator);
    // The consumer finds the new coordinator and carries on in the same group; the commit is still there.
    const offsets = await admin.fetchOffsets({ groupId: 'movers', topics: ['moved'] });
    expect(offsets[0].partitions.find((p) => p.partition === 2)!.offset).toBe('7');
    await waitUntil(
      () => sandbox.state.requestLog.find({ apiKey: ApiKey.Heartbeat, broker: sandbox.cluster.coordinatorFor('movers') }).length > 0,
      'the consumer to heartbeat the new coordinator',
      20_000,
    );
    const group = sandbox.state.groups.group('movers')!;
    expect(group.members.size).toBe(1);
    expect(group.generationId).toBeGreaterThanOrEqual(generation);
  });
});
