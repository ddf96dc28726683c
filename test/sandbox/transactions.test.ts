// Transactions end to end with kafkajs over TCP: what a read_committed consumer sees after a
// commit and after an abort, the last stable offset held back by an open transaction, and consume-transform-produce
// offsets that count only when the transaction commits.
import { afterEach, describe, expect } from 'vitest';
import { Partitioners, type Kafka, type Producer } from 'kafkajs';
import type { Sandbox } from '../../src/sandbox/sandbox.js';
import { kafkaFor } from '../helpers/sandbox.js';
import { waitUntil } from '../helpers/cluster-events.js';
import { sandboxTest as it } from '../helpers/fixtures.js';
import { consumeUntil, latestOffset, transactionalProducer } from '../helpers/txn.js';

const cleanups: (() => Promise<unknown>)[] = [];

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => {});
});

async function connected(producer: Producer): Promise<Producer> {
  await producer.connect();
  cleanups.push(() => producer.disconnect());
  return producer;
}

async function setup(sandbox: Sandbox, topics: string[]): Promise<{ s: Sandbox; kafka: Kafka }> {
  for (const t of topics) expect(sandbox.cluster.createTopic(t, 1, 3)).toEqual({ error: 0 });
  return { s: sandbox, kafka: kafkaFor(sandbox) };
}

async function sendInTransaction(producer: Producer, topic: string, values: string[], outcome: 'commit' | 'abort'): Promise<void> {
  const txn = await producer.transaction();
  await txn.send({ topic, messages: values.map((value) => ({ value })) });
  if (outcome === 'commit') await txn.commit();
  else await txn.abort();
}

describe('transactions with kafkajs', () => {
  it('a read_committed consumer sees committed records only; read_uncommitted sees aborted ones too; markers never', async ({ sandbox }) => {
    const { s, kafka } = await setup(sandbox, ['visibility']);
    const producer = await connected(transactionalProducer(kafka, 'tx-visibility'));
    await sendInTransaction(producer, 'visibility', ['a', 'b'], 'commit'); // offsets 0-1, COMMIT marker at 2
    await sendInTransaction(producer, 'visibility', ['x', 'y'], 'abort'); // offsets 3-4, ABORT marker at 5
    await sendInTransaction(producer, 'visibility', ['c'], 'commit'); // offset 6, COMMIT marker at 7

    expect(await consumeUntil(kafka, 'visibility', 'c')).toEqual([
      { value: 'a', offset: 0 },
      { value: 'b', offset: 1 },
      { value: 'c', offset: 6 },
    ]);
    // The aborted records are in the log: a read_uncommitted consumer gets them, but no control record (2, 5).
    expect(await consumeUntil(kafka, 'visibility', 'c', { readUncommitted: true })).toEqual([
      { value: 'a', offset: 0 },
      { value: 'b', offset: 1 },
      { value: 'x', offset: 3 },
      { value: 'y', offset: 4 },
      { value: 'c', offset: 6 },
    ]);
    // kafkajs's transactional request set, each at the transaction coordinator.
    const coordinator = s.cluster.coordinatorFor('tx-visibility');
    for (const api of ['InitProducerId', 'AddPartitionsToTxn', 'EndTxn']) {
      const sent = s.state.requestLog.find({ api });
      expect(sent.map((e) => [e.version, e.broker]), api).toContainEqual([1, coordinator]);
      expect(sent.every((e) => e.broker === coordinator), api).toBe(true);
    }
    expect(s.state.requestLog.find({ api: 'EndTxn' })).toHaveLength(3);
  });

  it('the last stable offset stays at an open transaction while the high watermark moves on, until it commits', async ({ sandbox }) => {
    const { s, kafka } = await setup(sandbox, ['lso']);
    const admin = kafka.admin();
    await admin.connect();
    cleanups.push(() => admin.disconnect());
    const plain = await connected(kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner }));
    const producer = await connected(transactionalProducer(kafka, 'tx-lso'));

    await plain.send({ topic: 'lso', messages: [{ value: 'before' }] }); // offset 0
    const txn = await producer.transaction();
    await txn.send({ topic: 'lso', messages: [{ value: 'in-txn' }] }); // offset 1, open
    await plain.send({ topic: 'lso', messages: [{ value: 'after-1' }, { value: 'after-2' }] }); // offsets 2-3

    await waitUntil(async () => (await latestOffset(s, 'lso', 0, false)) === 4, 'the high watermark to reach 4', 20_000);
    expect(await latestOffset(s, 'lso', 0, true)).toBe(1);
    // kafkajs's fetchTopicOffsets asks read_committed, so its "latest" is the last stable offset.
    expect(await admin.fetchTopicOffsets('lso')).toEqual([{ partition: 0, offset: '1', high: '1', low: '0' }]);
    // A read_committed consumer stops at the open transaction: it gets "before" but not "after-1" yet.
    expect(await consumeUntil(kafka, 'lso', 'before')).toEqual([{ value: 'before', offset: 0 }]);

    await txn.commit(); // COMMIT marker at offset 4
    await waitUntil(async () => (await latestOffset(s, 'lso', 0, false)) === 5, 'the marker to be replicated', 20_000);
    expect(await latestOffset(s, 'lso', 0, true)).toBe(5);
    expect((await consumeUntil(kafka, 'lso', 'after-2')).map((r) => r.value)).toEqual(['before', 'in-txn', 'after-1', 'after-2']);
  });

  it('consume-transform-produce: offsets sent with sendOffsets reach the group only when the transaction commits', async ({ sandbox }) => {
    const { s, kafka } = await setup(sandbox, ['ctp-in', 'ctp-out']);
    const admin = kafka.admin();
    await admin.connect();
    cleanups.push(() => admin.disconnect());
    const plain = await connected(kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner }));
    await plain.send({ topic: 'ctp-in', messages: ['one', 'two', 'three', 'four', 'five'].map((value) => ({ value })) });
    const committed = async () => (await admin.fetchOffsets({ groupId: 'ctp', topics: ['ctp-in'] }))[0].partitions[0].offset;
    const producer = await connected(transactionalProducer(kafka, 'tx-ctp'));

    // Records 0-2 transformed and written, their offsets sent, then committed.
    const first = await producer.transaction();
    await first.send({ topic: 'ctp-out', messages: ['ONE', 'TWO', 'THREE'].map((value) => ({ value })) });
    await first.sendOffsets({ consumerGroupId: 'ctp', topics: [{ topic: 'ctp-in', partitions: [{ partition: 0, offset: '3' }] }] });
    expect(await committed()).toBe('-1'); // pending until the commit
    await first.commit();
    expect(await committed()).toBe('3');

    // Records 3-4 processed but the transaction aborts: the group stays at 3, so they will be processed again.
    const second = await producer.transaction();
    await second.send({ topic: 'ctp-out', messages: ['FOUR', 'FIVE'].map((value) => ({ value })) });
    await second.sendOffsets({ consumerGroupId: 'ctp', topics: [{ topic: 'ctp-in', partitions: [{ partition: 0, offset: '5' }] }] });
    await second.abort();
    expect(await committed()).toBe('3');

    const third = await producer.transaction();
    await third.send({ topic: 'ctp-out', messages: ['FOUR', 'FIVE'].map((value) => ({ value })) });
    await third.sendOffsets({ consumerGroupId: 'ctp', topics: [{ topic: 'ctp-in', partitions: [{ partition: 0, offset: '5' }] }] });
    await third.commit();
    expect(await committed()).toBe('5');
    // AddOffsetsToTxn goes to the transaction coordinator, TxnOffsetCommit to the group's coordinator.
    expect(s.state.requestLog.find({ api: 'AddOffsetsToTxn', version: 1 }).map((e) => e.broker)).toEqual(Array(3).fill(s.cluster.coordinatorFor('tx-ctp')));
    expect(s.state.requestLog.find({ api: 'TxnOffsetCommit', version: 1 }).map((e) => e.broker)).toEqual(Array(3).fill(s.cluster.coordinatorFor('ctp')));

    // Exactly once downstream: the aborted attempt is invisible to read_committed.
    expect((await consumeUntil(kafka, 'ctp-out', 'FIVE')).map((r) => r.value)).toEqual(['ONE', 'TWO', 'THREE', 'FOUR', 'FIVE']);
    // A consumer of the group resumes where the committed transaction left it.
    const resumed: string[] = [];
    const consumer = kafka.consumer({ groupId: 'ctp', sessionTimeout: 6000, heartbeatInterval: 100, maxWaitTimeInMs: 100 });
    cleanups.push(() => consumer.disconnect());
    await consumer.connect();
    await consumer.subscribe({ topic: 'ctp-in' });
    await plain.send({ topic: 'ctp-in', messages: [{ value: 'six' }] });
    await consumer.run({ eachMessage: async ({ message }) => void resumed.push(message.value!.toString()) });
    await waitUntil(() => resumed.includes('six'), 'the consumer to get "six"', 20_000);
    expect(resumed).toEqual(['six']);
  });
});
