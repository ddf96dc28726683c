// Transactions when things go wrong: a second producer with the same transactional.id
// fences the first, a transaction that outlives its timeout is aborted and its producer fenced, the coordinator's
// broker crashing mid-transaction, and a partition that has no leader when its marker is due.
import { afterEach, describe, expect } from 'vitest';
import { Partitioners, type Kafka, type Producer } from 'kafkajs';
import { crashBroker, startBroker, stopBroker } from '../../src/sandbox/cluster/broker-lifecycle.js';
import type { Sandbox } from '../../src/sandbox/sandbox.js';
import { kafkajsDecodeOnly, kafkajsRequestBody } from '../helpers/oracle.js';
import type { RawClient } from '../helpers/raw-client.js';
import { kafkaFor } from '../helpers/sandbox.js';
import { waitUntil } from '../helpers/cluster-events.js';
import { sandboxTest as it } from '../helpers/fixtures.js';
import { consumeUntil, rawTo, transactionalProducer } from '../helpers/txn.js';

const cleanups: (() => Promise<unknown> | void)[] = [];

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await Promise.resolve(c()).catch(() => {});
});

async function connected(producer: Producer): Promise<Producer> {
  await producer.connect();
  cleanups.push(() => producer.disconnect());
  return producer;
}

async function setup(sandbox: Sandbox, topic: string, partitions = 1): Promise<{ s: Sandbox; kafka: Kafka }> {
  expect(sandbox.cluster.createTopic(topic, partitions, 3)).toEqual({ error: 0 });
  return { s: sandbox, kafka: kafkaFor(sandbox) };
}

async function raw(s: Sandbox, broker: number): Promise<RawClient> {
  const c = await rawTo(s, broker);
  cleanups.push(() => c.close());
  return c;
}

const fenced = { name: 'KafkaJSProtocolError', type: 'INVALID_PRODUCER_EPOCH' };

describe('transactional producers fenced', () => {
  it('a second producer with the same transactional.id aborts the first one\'s transaction and fences it', async ({ sandbox }) => {
    const { s, kafka } = await setup(sandbox, 'fence', 2);
    const first = await connected(transactionalProducer(kafka, 'tx-fence'));
    const zombie = await first.transaction();
    await zombie.send({ topic: 'fence', messages: [{ value: 'from-first', partition: 0 }] });

    const second = await connected(transactionalProducer(kafka, 'tx-fence'));
    const initsBefore = s.state.requestLog.find({ api: 'InitProducerId' }).length;
    const txn = await second.transaction(); // kafkajs initialises the transactional producer id here
    // The new instance was told CONCURRENT_TRANSACTIONS while the open transaction was aborted, then retried.
    expect(s.state.requestLog.find({ api: 'InitProducerId' }).slice(initsBefore).map((e) => e.errors ?? [])).toEqual([[51], []]);
    expect(s.state.transactions.transaction('tx-fence')).toMatchObject({ producerEpoch: 2, state: 'Empty' });

    // The old instance fails on a partition it already wrote to (Produce), on a new one (AddPartitionsToTxn) and on commit.
    await expect(zombie.send({ topic: 'fence', messages: [{ value: 'again', partition: 0 }] })).rejects.toMatchObject(fenced);
    await expect(zombie.send({ topic: 'fence', messages: [{ value: 'elsewhere', partition: 1 }] })).rejects.toMatchObject(fenced);
    await expect(zombie.commit()).rejects.toMatchObject(fenced);

    await txn.send({ topic: 'fence', messages: [{ value: 'from-second', partition: 0 }] });
    await txn.commit();
    expect(await consumeUntil(kafka, 'fence', 'from-second')).toEqual([{ value: 'from-second', offset: 2 }]);
  });

  it('a transaction older than its timeout is aborted with a bumped epoch: its records stay hidden and its producer is fenced', async ({ sandbox }) => {
    const { s, kafka } = await setup(sandbox, 'expiry');
    const producer = await connected(transactionalProducer(kafka, 'tx-expiry', 1000));
    const txn = await producer.transaction();
    await txn.send({ topic: 'expiry', messages: [{ value: 'too-late' }] });
    expect(s.state.transactions.transaction('tx-expiry')).toMatchObject({ state: 'Ongoing', producerEpoch: 0 });

    await waitUntil(() => s.state.transactions.transaction('tx-expiry')?.state === 'CompleteAbort', 'the coordinator to abort the expired transaction', 20_000);
    expect(s.state.transactions.transaction('tx-expiry')!.producerEpoch).toBe(1);
    const plain = await connected(kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner }));
    await plain.send({ topic: 'expiry', messages: [{ value: 'after' }] });

    expect(await consumeUntil(kafka, 'expiry', 'after')).toEqual([{ value: 'after', offset: 2 }]);
    expect(await consumeUntil(kafka, 'expiry', 'after', { readUncommitted: true })).toEqual([
      { value: 'too-late', offset: 0 },
      { value: 'after', offset: 2 },
    ]);
    await expect(txn.commit()).rejects.toMatchObject(fenced);
  });
});

describe('the transaction coordinator and markers under failures', () => {
  it('a transaction survives its coordinator crashing: the next coordinator commits it', async ({ sandbox }) => {
    const { s, kafka } = await setup(sandbox, 'moved');
    const producer = await connected(transactionalProducer(kafka, 'tx-moved'));
    const txn = await producer.transaction();
    await txn.send({ topic: 'moved', messages: [{ value: 'kept' }] });
    const old = s.cluster.coordinatorFor('tx-moved');
    expect(crashBroker(s.cluster, old).ok).toBe(true);
    await s.settled();
    expect(s.cluster.coordinatorFor('tx-moved')).not.toBe(old);

    await txn.commit();
    expect(s.state.transactions.transaction('tx-moved')!.state).toBe('CompleteCommit');
    const endTxn = s.state.requestLog.find({ api: 'EndTxn' }).filter((e) => e.outcome === 'answered' && !e.errors);
    expect(endTxn.map((e) => e.broker)).toEqual([s.cluster.coordinatorFor('tx-moved')]);
    expect(await consumeUntil(kafka, 'moved', 'kept')).toEqual([{ value: 'kept', offset: 0 }]);
  });

  it('a marker for a partition with no leader waits (CONCURRENT_TRANSACTIONS meanwhile) and is written when a leader returns', async ({ sandbox }) => {
    const s = sandbox;
    expect(s.cluster.createTopic('orphan', 1, 1)).toEqual({ error: 0 });
    const p = s.cluster.partition('orphan', 0)!;
    const leader = p.leader;
    // A transactional id coordinated elsewhere, so only the partition loses its broker.
    const id = ['tx-o1', 'tx-o2', 'tx-o3', 'tx-o4', 'tx-o5', 'tx-o6'].find((k) => s.cluster.coordinatorFor(k) !== leader)!;
    const coordinator = await raw(s, s.cluster.coordinatorFor(id));
    const init = await coordinator.call('initProducerId', 1, { transactionalId: id, transactionTimeout: 60_000 });
    const ids = { transactionalId: id, producerId: init.producerId, producerEpoch: 0 };
    await coordinator.call('addPartitionsToTxn', 1, { ...ids, topics: [{ topic: 'orphan', partitions: [0] }] }, { parse: true });
    const toLeader = await raw(s, leader);
    const produced = await toLeader.call('produce', 7, {
      acks: 1,
      timeout: 5000,
      ...ids,
      topicData: [{ topic: 'orphan', partitions: [{ partition: 0, firstSequence: 0, messages: [{ value: 'waiting' }] }] }],
    });
    expect(produced.topics[0].partitions[0]).toMatchObject({ errorCode: 0, baseOffset: '0' });

    expect(stopBroker(s.cluster, leader).ok).toBe(true);
    await s.settled();
    expect(p.leader).toBe(-1);
    expect(await coordinator.call('endTxn', 1, { ...ids, transactionResult: true })).toMatchObject({ errorCode: 0 });
    expect(s.state.transactions.transaction(id)!.state).toBe('PrepareCommit');
    // Until the marker is written the transaction is not over.
    expect(await coordinator.call('endTxn', 1, { ...ids, transactionResult: true })).toMatchObject({ errorCode: 51 });
    const add = await coordinator.call('addPartitionsToTxn', 1, { ...ids, topics: [{ topic: 'orphan', partitions: [0] }] });
    expect(add.errors[0].partitionErrors).toEqual([{ partition: 0, errorCode: 51 }]);
    expect(await coordinator.call('initProducerId', 1, { transactionalId: id, transactionTimeout: 60_000 })).toMatchObject({ errorCode: 51 });

    expect(startBroker(s.cluster, leader).ok).toBe(true);
    await waitUntil(() => s.state.transactions.transaction(id)!.state === 'CompleteCommit', 'the COMMIT marker to be written', 20_000);
    expect(p.leaderLog()!.batches.map((b) => [b.baseOffset, b.isControl])).toEqual([
      [0, false],
      [1, true],
    ]);
    expect(p.openTxns.size).toBe(0);
    expect(p.abortedTxns).toEqual([]);
    expect(p.lastStableOffset()).toBe(2);
    expect(await coordinator.call('endTxn', 1, { ...ids, transactionResult: true })).toMatchObject({ errorCode: 0 }); // a retried commit
  });
});

describe('transaction protocol errors', () => {
  it('Produce to a partition not added to the transaction gets INVALID_TXN_STATE and appends nothing', async ({ sandbox }) => {
    const { s } = await setup(sandbox, 'unadded', 2);
    const id = 'tx-unadded';
    const coordinator = await raw(s, s.cluster.coordinatorFor(id));
    const init = await coordinator.call('initProducerId', 1, { transactionalId: id, transactionTimeout: 60_000 });
    const ids = { transactionalId: id, producerId: init.producerId, producerEpoch: 0 };
    await coordinator.call('addPartitionsToTxn', 1, { ...ids, topics: [{ topic: 'unadded', partitions: [0] }] }, { parse: true });
    const p1 = s.cluster.partition('unadded', 1)!;
    const produceTo = async (partition: number) => {
      const leader = await raw(s, s.cluster.partition('unadded', partition)!.leader);
      const res = await leader.call('produce', 7, {
        acks: -1,
        timeout: 5000,
        ...ids,
        topicData: [{ topic: 'unadded', partitions: [{ partition, firstSequence: 0, messages: [{ value: `to-${partition}` }] }] }],
      });
      return res.topics[0].partitions[0].errorCode;
    };
    expect(await produceTo(1)).toBe(48);
    expect(p1.leaderLog()!.endOffset).toBe(0);
    expect(await produceTo(0)).toBe(0);
    await coordinator.call('addPartitionsToTxn', 1, { ...ids, topics: [{ topic: 'unadded', partitions: [1] }] }, { parse: true });
    expect(await produceTo(1)).toBe(0);

    // Transactional records in a Produce without a transactional id are refused outright, as Kafka does.
    const body = await kafkajsRequestBody('produce', 7, {
      acks: -1,
      timeout: 5000,
      ...ids,
      topicData: [{ topic: 'unadded', partitions: [{ partition: 0, firstSequence: 1, messages: [{ value: 'anonymous' }] }] }],
    });
    expect(body.readInt16BE(0)).toBe(id.length);
    const anonymous = Buffer.concat([Buffer.from([0xff, 0xff]), body.subarray(2 + id.length)]); // transactional_id = null
    const leader = await raw(s, s.cluster.partition('unadded', 0)!.leader);
    const res = await kafkajsDecodeOnly('produce', 7, await leader.request(0, 7, anonymous));
    expect(res.topics[0].partitions[0]).toMatchObject({ errorCode: 53 }); // TRANSACTIONAL_ID_AUTHORIZATION_FAILED
    expect(s.cluster.partition('unadded', 0)!.leaderLog()!.endOffset).toBe(1);
  });

  it('answers the coordinator errors Kafka answers', async ({ sandbox }) => {
    const { s } = await setup(sandbox, 'errs');
    const id = 'tx-errs';
    const home = s.cluster.coordinatorFor(id);
    const coordinator = await raw(s, home);
    const elsewhere = await raw(s, home === 1 ? 2 : 1);
    const init = await coordinator.call('initProducerId', 1, { transactionalId: id, transactionTimeout: 60_000 });
    const ids = { transactionalId: id, producerId: init.producerId, producerEpoch: 0 };
    const endTxn = async (c: RawClient, args: Record<string, unknown>) => (await c.call('endTxn', 1, { ...ids, transactionResult: true, ...args })).errorCode;
    const addPartitions = async (topics: { topic: string; partitions: number[] }[], c = coordinator, args: Record<string, unknown> = {}) =>
      (await c.call('addPartitionsToTxn', 0, { ...ids, ...args, topics })).errors.flatMap((t: any) => t.partitionErrors.map((p: any) => [t.topic, p.partition, p.errorCode]));

    expect(await endTxn(elsewhere, {})).toBe(16); // NOT_COORDINATOR
    expect(await endTxn(coordinator, {})).toBe(48); // nothing to end: INVALID_TXN_STATE
    expect(await endTxn(coordinator, { transactionalId: 'tx-never-initialised' })).toBe(49); // INVALID_PRODUCER_ID_MAPPING
    expect(await endTxn(coordinator, { producerId: '123456' })).toBe(49);
    expect(await endTxn(coordinator, { producerEpoch: 5 })).toBe(47); // INVALID_PRODUCER_EPOCH below v2
    // One unknown partition: it gets UNKNOWN_TOPIC_OR_PARTITION, the rest OPERATION_NOT_ATTEMPTED, nothing is added.
    expect(await addPartitions([{ topic: 'errs', partitions: [0, 9] }])).toEqual([
      ['errs', 0, 55],
      ['errs', 9, 3],
    ]);
    expect(s.state.transactions.transaction(id)!.state).toBe('Empty');
    expect(await addPartitions([{ topic: 'errs', partitions: [0] }], elsewhere)).toEqual([['errs', 0, 16]]);

    // TxnOffsetCommit goes to the group's coordinator and needs AddOffsetsToTxn first.
    const groupHome = await raw(s, s.cluster.coordinatorFor('g-errs'));
    const offsets = { ...ids, groupId: 'g-errs', topics: [{ topic: 'errs', partitions: [{ partition: 0, offset: '1' }] }] };
    const txnCommit = async (args: Record<string, unknown> = {}) => (await groupHome.call('txnOffsetCommit', 1, { ...offsets, ...args })).topics[0].partitions[0].errorCode;
    expect(await addPartitions([{ topic: 'errs', partitions: [0] }])).toEqual([['errs', 0, 0]]);
    expect(await txnCommit()).toBe(48);
    expect((await coordinator.call('addOffsetsToTxn', 1, { ...ids, groupId: 'g-errs' })).errorCode).toBe(0);
    expect(await txnCommit({ producerEpoch: 1 })).toBe(47);
    expect(await txnCommit()).toBe(0);

    expect(await endTxn(coordinator, { transactionResult: false })).toBe(0);
    expect(await endTxn(coordinator, { transactionResult: false })).toBe(0); // a retried abort
    expect(await endTxn(coordinator, { transactionResult: true })).toBe(48); // commit after the abort
    const fetched = await groupHome.call('offsetFetch', 1, { groupId: 'g-errs', topics: [{ topic: 'errs', partitions: [{ partition: 0 }] }] });
    expect(fetched.responses[0].partitions[0].offset).toBe('-1'); // the aborted transaction's offsets were dropped
  });
});
