// Produce and InitProducerId requests built by kafkajs's own encoders but sent by hand, to reach what a well-behaved
// client never sends: a resent batch, a sequence gap, a stale epoch, a corrupted CRC, acks=0.
import { afterEach, describe, expect } from 'vitest';
import { produceApi } from '../../src/sandbox/apis/00-produce.js';
import { moveLeader, pauseBroker, resumeBroker, setReplicationDelay } from '../../src/sandbox/cluster/broker-lifecycle.js';
import type { Partition } from '../../src/sandbox/cluster/partition.js';
import type { Sandbox } from '../../src/sandbox/sandbox.js';
import { decodeOurs, kafkajsDecodeOnly, kafkajsRequestBody } from '../helpers/oracle.js';
import { crc32c } from '../../src/wire/crc32c.js';
import { RawClient } from '../helpers/raw-client.js';
import { waitUntil } from '../helpers/cluster-events.js';
import { sandboxTest as it } from '../helpers/fixtures.js';

const raws: RawClient[] = [];
afterEach(async () => {
  for (const r of raws.splice(0)) r.close();
});

const TOPIC = 'idem';

async function setup(sandbox: Sandbox): Promise<{ s: Sandbox; p: Partition; leader: RawClient }> {
  expect(sandbox.cluster.createTopic(TOPIC, 1, 3)).toEqual({ error: 0 });
  const p = sandbox.cluster.partition(TOPIC, 0)!;
  return { s: sandbox, p, leader: await rawTo(sandbox, p.leader) };
}

async function rawTo(s: Sandbox, broker: number): Promise<RawClient> {
  const c = await RawClient.connect(s.addresses()[broker - 1]);
  raws.push(c);
  return c;
}

interface Batch {
  producerId: number;
  epoch: number;
  sequence: number;
  count: number;
  acks?: number;
  transactionalId?: string;
}

function produceArgs(b: Batch) {
  return {
    acks: b.acks ?? -1,
    timeout: 5000,
    transactionalId: b.transactionalId ?? null,
    producerId: b.producerId,
    producerEpoch: b.epoch,
    topicData: [
      {
        topic: TOPIC,
        partitions: [{ partition: 0, firstSequence: b.sequence, messages: Array.from({ length: b.count }, (_, i) => ({ value: `seq-${b.sequence + i}` })) }],
      },
    ],
  };
}

/** Sends one Produce v7 with a single batch; resolves with that partition's {errorCode, baseOffset}. */
async function produce(c: RawClient, b: Batch): Promise<{ errorCode: number; baseOffset: string }> {
  const res = await c.call('produce', 7, produceArgs(b));
  return res.topics[0].partitions[0];
}

async function initProducerId(c: RawClient, transactionalId: string | null, transactionTimeout = 60000) {
  return c.call('initProducerId', 1, { transactionalId, transactionTimeout });
}


const recordsIn = (p: Partition) => p.leaderLog()!.batches.reduce((n, b) => n + b.recordCount, 0);

describe('idempotent produce', () => {
  it('a resent batch (same producer id, epoch and sequence) gets the original offset and is not appended', async ({ sandbox }) => {
    const { p, leader } = await setup(sandbox);
    const first: Batch = { producerId: 4000, epoch: 0, sequence: 0, count: 3 };
    expect(await produce(leader, first)).toMatchObject({ errorCode: 0, baseOffset: '0' });
    expect(await produce(leader, first)).toMatchObject({ errorCode: 0, baseOffset: '0' });
    expect(await produce(leader, { ...first, sequence: 3, count: 2 })).toMatchObject({ errorCode: 0, baseOffset: '3' });
    // Still within the 5-batch window: the first batch is recognised after a later one.
    expect(await produce(leader, first)).toMatchObject({ errorCode: 0, baseOffset: '0' });
    expect(p.leaderLog()!.batches.map((b) => [b.baseOffset, b.recordCount])).toEqual([
      [0, 3],
      [3, 2],
    ]);
  });

  it('under acks=all a resent batch is acknowledged only once the original is committed', async ({ sandbox }) => {
    const { s, p, leader } = await setup(sandbox);
    const followers = p.replicas.filter((r) => r !== p.leader);
    for (const f of followers) setReplicationDelay(s.cluster, f, 600_000);
    const batch: Batch = { producerId: 4000, epoch: 0, sequence: 0, count: 1 };
    const args = { ...produceArgs(batch), timeout: 100 };
    const first = await leader.call('produce', 7, args);
    expect(first.topics[0].partitions[0]).toMatchObject({ errorCode: 7 }); // REQUEST_TIMED_OUT, but appended
    const resent = await leader.call('produce', 7, args);
    expect(resent.topics[0].partitions[0]).toMatchObject({ errorCode: 7 }); // still not committed: no false ack
    for (const f of followers) {
      setReplicationDelay(s.cluster, f, 0);
      p.replicateTo(f);
    }
    expect(p.highWatermark).toBe(1);
    expect(await produce(leader, batch)).toMatchObject({ errorCode: 0, baseOffset: '0' });
    expect(recordsIn(p)).toBe(1);
  });

  it('under acks=all a paused in-sync follower holds the answer: REQUEST_TIMED_OUT within the request timeout, success once it leaves the ISR, and the connection\'s next request waits behind it', async ({ startSandbox }) => {
    const s = await startSandbox({ replicaLagTimeMaxMs: 400 });
    const { p, leader } = await setup(s);
    const [paused, serving] = p.replicas.filter((r) => r !== p.leader);
    expect(pauseBroker(s.cluster, paused).ok).toBe(true);
    const first = await leader.call('produce', 7, { ...produceArgs({ producerId: 4100, epoch: 0, sequence: 0, count: 1 }), timeout: 100 });
    expect(first.topics[0].partitions[0]).toMatchObject({ errorCode: 7 }); // REQUEST_TIMED_OUT, but appended
    expect(p.logs.get(serving)!.endOffset).toBe(1); // the serving follower copied it; the paused one holds the high watermark
    expect(p.highWatermark).toBe(0);
    const produceBody = await kafkajsRequestBody('produce', 7, produceArgs({ producerId: 4100, epoch: 0, sequence: 1, count: 1 }));
    const metadataBody = await kafkajsRequestBody('metadata', 1, { topics: [TOPIC] });
    const waiting = leader.request(0, 7, produceBody);
    const behind = leader.send(3, 1, metadataBody);
    const second = await kafkajsDecodeOnly('produce', 7, await waiting);
    // Answered once the controller fenced the paused follower out of the ISR (min.insync.replicas is 1).
    expect(second.topics[0].partitions[0]).toMatchObject({ errorCode: 0, baseOffset: '1' });
    expect(p.isr).not.toContain(paused);
    expect(p.highWatermark).toBe(2);
    await waitUntil(() => leader.received.includes(behind), 'the Metadata request behind the produce to be answered');
    expect(leader.received.slice(-2)).toEqual([behind - 1, behind]);
    expect(resumeBroker(s.cluster, paused).ok).toBe(true);
    await waitUntil(() => p.isr.includes(paused), 'the resumed follower to rejoin the ISR');
  });

  it('a sequence gap gets OUT_OF_ORDER_SEQUENCE_NUMBER and nothing is appended', async ({ sandbox }) => {
    const { p, leader } = await setup(sandbox);
    expect(await produce(leader, { producerId: 4000, epoch: 0, sequence: 0, count: 2 })).toMatchObject({ errorCode: 0 });
    expect(await produce(leader, { producerId: 4000, epoch: 0, sequence: 5, count: 1 })).toMatchObject({ errorCode: 45, baseOffset: '-1' });
    expect(recordsIn(p)).toBe(2);
    // The expected sequence is still accepted afterwards.
    expect(await produce(leader, { producerId: 4000, epoch: 0, sequence: 2, count: 1 })).toMatchObject({ errorCode: 0, baseOffset: '2' });
  });

  it('a stale epoch gets INVALID_PRODUCER_EPOCH; a newer epoch must start at sequence 0', async ({ sandbox }) => {
    const { p, leader } = await setup(sandbox);
    expect(await produce(leader, { producerId: 4000, epoch: 0, sequence: 0, count: 1 })).toMatchObject({ errorCode: 0 });
    expect(await produce(leader, { producerId: 4000, epoch: 2, sequence: 7, count: 1 })).toMatchObject({ errorCode: 45 });
    expect(await produce(leader, { producerId: 4000, epoch: 1, sequence: 0, count: 1 })).toMatchObject({ errorCode: 0, baseOffset: '1' });
    expect(await produce(leader, { producerId: 4000, epoch: 0, sequence: 1, count: 1 })).toMatchObject({ errorCode: 47 });
    expect(recordsIn(p)).toBe(2);
  });

  it('a record batch with a bad CRC gets CORRUPT_MESSAGE and nothing is appended', async ({ sandbox }) => {
    const { p, leader } = await setup(sandbox);
    const body = await kafkajsRequestBody('produce', 7, produceArgs({ producerId: -1, epoch: 0, sequence: 0, count: 2 }));
    const records = decodeOurs(produceApi, 7, body).topicData[0].partitionData[0].records!;
    records[records.length - 1] ^= 0xff; // a byte of the last record's value: covered by the CRC-32C
    const res = await kafkajsDecodeOnly('produce', 7, await leader.request(0, 7, body));
    expect(res.topics[0].partitions[0]).toMatchObject({ errorCode: 2, baseOffset: '-1' });
    expect(recordsIn(p)).toBe(0);
  });

  it('a batch whose record count is not the records it holds gets INVALID_RECORD, and the log end stays put', async ({ sandbox }) => {
    const { p, leader } = await setup(sandbox);
    // One record declared as 2^31-1 (once accepted: the log end jumped to 2147483648), and two declared as three
    // inside a gzip batch (the count is checked after inflating).
    for (const [count, compression, declared] of [[1, 0, 0x7fffffff], [2, 1, 3]] as const) {
      const body = await kafkajsRequestBody('produce', 7, { ...produceArgs({ producerId: -1, epoch: 0, sequence: 0, count }), compression });
      const records = decodeOurs(produceApi, 7, body).topicData[0].partitionData[0].records!;
      records.writeInt32BE(declared - 1, 23); // last offset delta, kept consistent with the count
      records.writeInt32BE(declared, 57); // record count
      records.writeUInt32BE(crc32c(records.subarray(21)), 17);
      const res = await kafkajsDecodeOnly('produce', 7, await leader.request(0, 7, body));
      expect(res.topics[0].partitions[0]).toMatchObject({ errorCode: 87, baseOffset: '-1' });
    }
    expect(recordsIn(p)).toBe(0);
    expect(p.logEndOffset()).toBe(0);
  });

  it('acks=0 gets no response at all: the next answer on the connection is the next request\'s', async ({ sandbox }) => {
    const { s, p, leader } = await setup(sandbox);
    const body = await kafkajsRequestBody('produce', 7, produceArgs({ producerId: -1, epoch: 0, sequence: 0, count: 1, acks: 0 }));
    const silent = leader.send(0, 7, body);
    await leader.call('metadata', 1, { topics: [TOPIC] });
    expect(leader.received).not.toContain(silent);
    expect(leader.received).toHaveLength(1);
    expect(recordsIn(p)).toBe(1);
    const entry = s.state.requestLog.find({ api: 'Produce' }).find((e) => e.correlationId === silent)!;
    expect(entry.outcome).toBe('no-response');
  });
});

describe('InitProducerId', () => {
  it('idempotent producers get a fresh producer id with epoch 0 from any broker', async ({ sandbox }) => {
    const ids: string[] = [];
    for (const broker of [1, 2, 3]) {
      const res = await initProducerId(await rawTo(sandbox, broker), null);
      expect(res).toMatchObject({ errorCode: 0, producerEpoch: 0 });
      ids.push(res.producerId);
    }
    expect(new Set(ids).size).toBe(3);
  });

  it('a transactional id keeps its producer id, bumps the epoch on each init, and fences the old epoch', async ({ sandbox }) => {
    const { s, p, leader } = await setup(sandbox);
    const coordinator = await rawTo(s, s.cluster.coordinatorFor('tx-a'));
    const first = await initProducerId(coordinator, 'tx-a');
    expect(first).toMatchObject({ errorCode: 0, producerEpoch: 0 });
    const pid = Number(first.producerId);
    expect(await produce(leader, { producerId: pid, epoch: 0, sequence: 0, count: 1 })).toMatchObject({ errorCode: 0 });

    const second = await initProducerId(coordinator, 'tx-a');
    expect(second).toMatchObject({ errorCode: 0, producerId: first.producerId, producerEpoch: 1 });
    // The previous instance is fenced on the partition it wrote to; the new one starts its epoch at sequence 0.
    expect(await produce(leader, { producerId: pid, epoch: 0, sequence: 1, count: 1 })).toMatchObject({ errorCode: 47 });
    expect(await produce(leader, { producerId: pid, epoch: 1, sequence: 3, count: 1 })).toMatchObject({ errorCode: 45 });
    expect(await produce(leader, { producerId: pid, epoch: 1, sequence: 0, count: 1 })).toMatchObject({ errorCode: 0, baseOffset: '1' });
    expect(recordsIn(p)).toBe(2);
    expect((await initProducerId(coordinator, 'tx-b')).producerId).not.toBe(first.producerId);
  });

  it('re-initialising a transactional id aborts the transaction it left open, so the last stable offset moves on', async ({ sandbox }) => {
    const { s, p, leader } = await setup(sandbox);
    const coordinator = await rawTo(s, s.cluster.coordinatorFor('tx-open'));
    const { producerId } = await initProducerId(coordinator, 'tx-open');
    const pid = Number(producerId);
    const added = await coordinator.call('addPartitionsToTxn', 1, { transactionalId: 'tx-open', producerId, producerEpoch: 0, topics: [{ topic: TOPIC, partitions: [0] }] });
    expect(added.errors[0].partitionErrors).toEqual([{ partition: 0, errorCode: 0 }]);
    expect(await produce(leader, { producerId: pid, epoch: 0, sequence: 0, count: 2, transactionalId: 'tx-open' })).toMatchObject({ errorCode: 0 });
    expect(p.lastStableOffset()).toBe(0);
    // Kafka aborts the open transaction under a bumped epoch and asks the new instance to retry (CONCURRENT_TRANSACTIONS).
    expect(await initProducerId(coordinator, 'tx-open')).toMatchObject({ errorCode: 51 });
    expect(p.abortedTxns).toEqual([{ producerId: pid, firstOffset: 0, lastOffset: 2 }]);
    expect(p.leaderLog()!.batches.at(-1)).toMatchObject({ isControl: true, producerId: pid, producerEpoch: 1 });
    // Once the marker is replicated, read_committed readers can go past the aborted records.
    await waitUntil(() => p.highWatermark === 3, 'the abort marker to be replicated');
    expect(p.lastStableOffset()).toBe(3);

    // The marker carries the bumped epoch, so the fence survives a leader change (state rebuilt from the log).
    const next = p.replicas.find((r) => r !== p.leader)!;
    expect(moveLeader(s.cluster, TOPIC, 0, next).ok).toBe(true);
    const newLeader = await rawTo(s, next);
    expect(await produce(newLeader, { producerId: pid, epoch: 0, sequence: 2, count: 1 })).toMatchObject({ errorCode: 47 });
  });

  it('refuses a transactional init off the coordinator, an empty id and a timeout above 900000 ms', async ({ sandbox }) => {
    const home = sandbox.cluster.coordinatorFor('tx-c');
    const elsewhere = await rawTo(sandbox, home === 1 ? 2 : 1);
    expect(await initProducerId(elsewhere, 'tx-c')).toMatchObject({ errorCode: 16, producerId: '-1', producerEpoch: -1 });
    const coordinator = await rawTo(sandbox, home);
    expect(await initProducerId(coordinator, 'tx-c', 900_001)).toMatchObject({ errorCode: 50 });
    expect(await initProducerId(coordinator, 'tx-c', 0)).toMatchObject({ errorCode: 50 });
    expect(await initProducerId(coordinator, 'tx-c', 900_000)).toMatchObject({ errorCode: 0, producerEpoch: 0 });
    const anyBroker = await rawTo(sandbox, 1);
    expect(await initProducerId(anyBroker, '')).toMatchObject({ errorCode: 42 });
  });
});
