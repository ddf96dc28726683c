// Fetch and ListOffsets over TCP: kafkajs's admin and kafkajs-encoded requests on a raw
// socket read back what was produced, in order, never above the high watermark, with Kafka's long-poll and errors.
import { afterEach, describe, expect } from 'vitest';
import { Partitioners } from 'kafkajs';
import { produceApi } from '../../src/sandbox/apis/00-produce.js';
import { moveLeader, setReplicationDelay } from '../../src/sandbox/cluster/broker-lifecycle.js';
import type { Clock } from '../../src/wire/clock.js';
import { ApiKey } from '../../src/wire/api-keys.js';
import { ErrorCode } from '../../src/wire/error-codes.js';
import { buildControlBatch, validateRecordSet } from '../../src/wire/record-batch.js';
import { decodeOurs, kafkajsRequestBody } from '../helpers/oracle.js';
import { RawClient } from '../helpers/raw-client.js';
import type { Sandbox } from '../../src/sandbox/sandbox.js';
import { waitUntil } from '../helpers/cluster-events.js';
import { kafkaFor } from '../helpers/sandbox.js';
import { sandboxTest as it } from '../helpers/fixtures.js';

const clients: RawClient[] = [];
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
  for (const c of clients.splice(0)) c.close();
});

async function clientTo(sandbox: Sandbox, broker: number): Promise<RawClient> {
  const b = sandbox.cluster.brokers.get(broker)!;
  const c = await RawClient.connect(`${b.host}:${b.port}`);
  clients.push(c);
  return c;
}

interface FetchOpts {
  maxWait?: number;
  maxBytes?: number;
  partitionMaxBytes?: number;
  isolation?: number;
  epoch?: number;
}

/** A Fetch v11 the way kafkajs's consumer sends it, for one partition. */
function fetchArgs(topic: string, partition: number, fetchOffset: number, o: FetchOpts = {}) {
  return {
    replicaId: -1,
    maxWaitTime: o.maxWait ?? 0,
    minBytes: 1,
    maxBytes: o.maxBytes ?? 10 * 1024 * 1024,
    isolationLevel: o.isolation ?? 1,
    topics: [{ topic, partitions: [{ partition, currentLeaderEpoch: o.epoch ?? -1, fetchOffset: String(fetchOffset), maxBytes: o.partitionMaxBytes ?? 1024 * 1024 }] }],
  };
}

async function fetchOne(c: RawClient, topic: string, partition: number, offset: number, o: FetchOpts = {}) {
  const res = await c.call('fetch', 11, fetchArgs(topic, partition, offset, o));
  return res.responses[0].partitions[0];
}

const fetchPending = (sandbox: Sandbox) => sandbox.state.requestLog.find({ api: 'Fetch' }).some((e) => e.outcome === 'pending');

async function produce(sandbox: Sandbox, topic: string, messages: { value: string; partition?: number; timestamp?: string }[], acks = -1) {
  const producer = kafkaFor(sandbox).producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    await producer.send({ topic, acks, messages });
  } finally {
    await producer.disconnect();
  }
}

describe('ListOffsets over TCP', () => {
  it('kafkajs fetchTopicOffsets gives high = records produced and low = 0 per partition', async ({ sandbox }) => {
    sandbox.cluster.createTopic('offsets', 3, 3);
    await produce(sandbox, 'offsets', Array.from({ length: 10 }, (_, i) => ({ value: `v${i}`, partition: i % 3 })));
    const admin = kafkaFor(sandbox).admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets('offsets');
    await admin.disconnect();
    expect(offsets.sort((a, b) => a.partition - b.partition).map(({ partition, high, low }) => ({ partition, high, low }))).toEqual([
      { partition: 0, high: '4', low: '0' },
      { partition: 1, high: '3', low: '0' },
      { partition: 2, high: '3', low: '0' },
    ]);
    // Each partition was asked of its own leader, at the version kafkajs picks.
    expect(sandbox.state.requestLog.find({ api: 'ListOffsets' }).every((e) => e.version === 3 && e.outcome === 'answered')).toBe(true);
  });

  it('low follows the log start offset after retention, and a fetch below it is out of range', async ({ sandbox }) => {
    sandbox.cluster.createTopic('retained', 1, 1, { 'retention.bytes': '1' });
    for (let i = 0; i < 4; i++) await produce(sandbox, 'retained', [{ value: `r${i}` }]);
    const admin = kafkaFor(sandbox).admin();
    await admin.connect();
    const [offsets] = await admin.fetchTopicOffsets('retained');
    await admin.disconnect();
    expect(Number(offsets.low)).toBeGreaterThan(0);
    expect(offsets.high).toBe('4');
    const c = await clientTo(sandbox, sandbox.cluster.partition('retained', 0)!.leader);
    expect((await fetchOne(c, 'retained', 0, 0)).errorCode).toBe(ErrorCode.OFFSET_OUT_OF_RANGE);
    const fromLow = await fetchOne(c, 'retained', 0, Number(offsets.low));
    expect(fromLow.messages.map((m: any) => m.value.toString())).toContain(`r${offsets.low}`);
  });

  it('finds the first record at or after a timestamp, even inside a batch, and -1 past the end', async ({ sandbox }) => {
    sandbox.cluster.createTopic('times', 1, 3);
    await produce(sandbox, 'times', [{ value: 'a', timestamp: '1000' }, { value: 'b', timestamp: '2000' }, { value: 'c', timestamp: '3000' }]);
    await produce(sandbox, 'times', [{ value: 'd', timestamp: '4000' }]);
    const c = await clientTo(sandbox, sandbox.cluster.partition('times', 0)!.leader);
    const res = await c.call('listOffsets', 3, {
      replicaId: -1,
      isolationLevel: 1,
      topics: [{ topic: 'times', partitions: [{ partition: 0, timestamp: 1500 }] }],
    });
    expect(res.responses[0].partitions[0]).toMatchObject({ errorCode: 0, offset: '1', timestamp: '2000' });
    for (const [ts, offset, timestamp] of [[3500, '3', '4000'], [9000, '-1', '-1'], [-2, '0', '-1'], [-1, '4', '-1']] as const) {
      const r = await c.call('listOffsets', 1, { replicaId: -1, topics: [{ topic: 'times', partitions: [{ partition: 0, timestamp: ts }] }] });
      expect(r.responses[0].partitions[0]).toMatchObject({ errorCode: 0, offset, timestamp });
    }
  });

  it('a follower answers NOT_LEADER_OR_FOLLOWER and an injected error reaches the client', async ({ sandbox }) => {
    sandbox.cluster.createTopic('lo', 1, 3);
    const p = sandbox.cluster.partition('lo', 0)!;
    const follower = await clientTo(sandbox, p.replicas.find((r) => r !== p.leader)!);
    const args = { replicaId: -1, isolationLevel: 1, topics: [{ topic: 'lo', partitions: [{ partition: 0, timestamp: -1 }] }] };
    expect((await follower.call('listOffsets', 3, args)).responses[0].partitions[0].errorCode).toBe(ErrorCode.NOT_LEADER_OR_FOLLOWER);
    sandbox.state.faults.push({ kind: 'error-before', apiKey: ApiKey.ListOffsets, error: ErrorCode.LEADER_NOT_AVAILABLE });
    const leader = await clientTo(sandbox, p.leader);
    expect((await leader.call('listOffsets', 3, args)).responses[0].partitions[0].errorCode).toBe(ErrorCode.LEADER_NOT_AVAILABLE);
    expect((await leader.call('listOffsets', 3, args)).responses[0].partitions[0]).toMatchObject({ errorCode: 0, offset: '0' });
  });
});

describe('Fetch over TCP', () => {
  it('reads back every record in order, one whole batch at a time when the byte limits are tiny', async ({ sandbox }) => {
    sandbox.cluster.createTopic('ordered', 1, 3);
    const values = Array.from({ length: 50 }, (_, i) => `m${i}`);
    for (let s = 0; s < 5; s++) await produce(sandbox, 'ordered', values.slice(s * 10, s * 10 + 10).map((value) => ({ value })));
    const p = sandbox.cluster.partition('ordered', 0)!;
    const c = await clientTo(sandbox, p.leader);
    const got: { offset: string; value: string }[] = [];
    let next = 0;
    let fetches = 0;
    while (next < p.highWatermark) {
      // Both limits below one batch: KIP-74 still returns the first whole batch, and only it.
      const part = await fetchOne(c, 'ordered', 0, next, { maxBytes: 1, partitionMaxBytes: 1 });
      fetches++;
      expect(part.errorCode).toBe(0);
      expect(part.messages).toHaveLength(10);
      for (const m of part.messages) if (Number(m.offset) >= next) got.push({ offset: m.offset, value: m.value.toString() });
      next = Number(part.messages.at(-1).offset) + 1;
    }
    expect(fetches).toBe(5);
    expect(got.map((m) => m.value)).toEqual(values);
    expect(got.map((m) => Number(m.offset))).toEqual(values.map((_, i) => i));
    // A fetch from the middle of a batch starts with the batch containing that offset.
    const mid = await fetchOne(c, 'ordered', 0, 15);
    expect(mid.messages[0].offset).toBe('10');
    expect(mid.messages).toHaveLength(40);
  });

  it('long-polls: empty after max_wait with no data, and answers a waiting fetch when a record arrives', async ({ sandbox }) => {
    sandbox.cluster.createTopic('poll', 1, 3);
    await produce(sandbox, 'poll', [{ value: 'before' }]);
    const c = await clientTo(sandbox, sandbox.cluster.partition('poll', 0)!.leader);
    const empty = await fetchOne(c, 'poll', 0, 1, { maxWait: 500 });
    expect(empty).toMatchObject({ errorCode: 0, highWatermark: '1', messages: [] });

    // max_wait beyond the test timeout: this passes only if the produce wakes the fetch.
    const waiting = fetchOne(c, 'poll', 0, 1, { maxWait: 120_000 });
    await waitUntil(() => fetchPending(sandbox), 'the fetch to be waiting');
    await produce(sandbox, 'poll', [{ value: 'after' }]);
    const woken = await waiting;
    expect(woken.messages.map((m: any) => [m.offset, m.value.toString()])).toEqual([['1', 'after']]);
  });

  it('does not serve an acks=1 record until the followers replicate it (high watermark)', async ({ startSandbox }) => {
    const sandbox = await startSandbox({ replicaLagTimeMaxMs: 60_000 });
    sandbox.cluster.createTopic('hw', 1, 3);
    const p = sandbox.cluster.partition('hw', 0)!;
    for (const f of p.replicas.filter((r) => r !== p.leader)) expect(setReplicationDelay(sandbox.cluster, f, 3000).ok).toBe(true);
    await produce(sandbox, 'hw', [{ value: 'unreplicated' }], 1);
    expect(p.leaderLog()!.endOffset).toBe(1); // on the leader, not yet committed
    const c = await clientTo(sandbox, p.leader);
    for (const isolation of [0, 1]) {
      expect(await fetchOne(c, 'hw', 0, 0, { isolation })).toMatchObject({ errorCode: 0, highWatermark: '0', messages: [] });
    }
    const admin = kafkaFor(sandbox).admin();
    await admin.connect();
    expect((await admin.fetchTopicOffsets('hw'))[0].high).toBe('0');
    await admin.disconnect();
    // The waiting fetch is answered once replication moves the high watermark.
    const served = await fetchOne(c, 'hw', 0, 0, { maxWait: 120_000 });
    expect(served).toMatchObject({ errorCode: 0, highWatermark: '1' });
    expect(served.messages.map((m: any) => m.value.toString())).toEqual(['unreplicated']);
  });

  it('read_committed stops at the last stable offset and lists the aborted transactions it covers', async ({ sandbox }) => {
    sandbox.cluster.createTopic('txn', 1, 1);
    const p = sandbox.cluster.partition('txn', 0)!;
    const append = async (value: string, transactionalId: string | null) => {
      const body = await kafkajsRequestBody('produce', 7, {
        acks: -1,
        timeout: 1000,
        transactionalId,
        producerId: transactionalId ? 77 : -1,
        producerEpoch: 0,
        compression: 0,
        topicData: [{ topic: 'txn', partitions: [{ partition: 0, firstSequence: 0, messages: [{ value }] }] }],
      });
      const checked = validateRecordSet(decodeOurs(produceApi, 7, body).topicData[0].partitionData[0].records!, true);
      if (!checked.ok) throw new Error(checked.message);
      expect(p.appendAsLeader(checked.batches).ok).toBe(true);
    };
    await append('plain', null); // offset 0
    await append('in-txn', 'tx'); // offset 1, transaction open
    const c = await clientTo(sandbox, p.leader);
    const open = await fetchOne(c, 'txn', 0, 0, { isolation: 1 });
    expect(open).toMatchObject({ highWatermark: '2', lastStableOffset: '1' });
    expect(open.messages.map((m: any) => m.value.toString())).toEqual(['plain']);
    const uncommitted = await fetchOne(c, 'txn', 0, 0, { isolation: 0 });
    expect(uncommitted.messages.map((m: any) => m.value.toString())).toEqual(['plain', 'in-txn']);

    p.appendControl(buildControlBatch({ commit: false, producerId: 77, producerEpoch: 0, timestamp: Date.now() }), 77, 0, false); // offset 2
    const aborted = await fetchOne(c, 'txn', 0, 0, { isolation: 1 });
    expect(aborted).toMatchObject({ highWatermark: '3', lastStableOffset: '3' });
    expect(aborted.abortedTransactions).toEqual([{ producerId: '77', firstOffset: '1' }]);
    expect(aborted.messages.filter((m: any) => !m.isControlRecord).map((m: any) => m.value.toString())).toEqual(['plain', 'in-txn']);
    // A fetch that starts past the aborted range gets no aborted transactions.
    await append('later', null); // offset 3
    expect((await fetchOne(c, 'txn', 0, 3, { isolation: 1 })).abortedTransactions).toEqual([]);
  });

  it('answers partition errors at once, even with a long max_wait', async ({ sandbox }) => {
    sandbox.cluster.createTopic('errs', 1, 3);
    await produce(sandbox, 'errs', [{ value: 'x' }]);
    const p = sandbox.cluster.partition('errs', 0)!;
    // A leader change, so that the leader epoch is 1 and an older one exists.
    expect(moveLeader(sandbox.cluster, 'errs', 0, p.replicas.find((r) => r !== p.leader)!).ok).toBe(true);
    expect(p.leaderEpoch).toBe(1);
    const leader = await clientTo(sandbox, p.leader);
    const follower = await clientTo(sandbox, p.replicas.find((r) => r !== p.leader)!);
    const long = { maxWait: 120_000 };
    expect((await fetchOne(follower, 'errs', 0, 0, long)).errorCode).toBe(ErrorCode.NOT_LEADER_OR_FOLLOWER);
    expect((await fetchOne(leader, 'nope', 0, 0, long)).errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    expect((await fetchOne(leader, 'errs', 7, 0, long)).errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    expect(await fetchOne(leader, 'errs', 0, 2, long)).toMatchObject({ errorCode: ErrorCode.OFFSET_OUT_OF_RANGE, highWatermark: '-1' });
    expect((await fetchOne(leader, 'errs', 0, 0, { ...long, epoch: p.leaderEpoch - 1 })).errorCode).toBe(ErrorCode.FENCED_LEADER_EPOCH);
    expect((await fetchOne(leader, 'errs', 0, 0, { ...long, epoch: p.leaderEpoch + 1 })).errorCode).toBe(ErrorCode.UNKNOWN_LEADER_EPOCH);
    const current = await fetchOne(leader, 'errs', 0, 0, { epoch: p.leaderEpoch });
    expect(current.messages.map((m: any) => m.value.toString())).toEqual(['x']);
    // An incremental fetch names a session we never created (clients are sessionless: session_id 0).
    const session = await leader.call('fetch', 11, { ...fetchArgs('errs', 0, 0), sessionId: 5, sessionEpoch: 3 });
    expect(session).toMatchObject({ errorCode: ErrorCode.FETCH_SESSION_ID_NOT_FOUND, sessionId: 0, responses: [] });
    // Fault injection answers every partition with the injected code, and the next fetch is served again.
    sandbox.state.faults.push({ kind: 'error-before', apiKey: ApiKey.Fetch, error: ErrorCode.NOT_LEADER_OR_FOLLOWER });
    expect((await fetchOne(leader, 'errs', 0, 0)).errorCode).toBe(ErrorCode.NOT_LEADER_OR_FOLLOWER);
    expect((await fetchOne(leader, 'errs', 0, 0)).messages).toHaveLength(1);
  });

  it('removes its wake-up listeners when a long-poll ends, however it ends', async ({ sandbox }) => {
    sandbox.cluster.createTopic('listeners', 1, 3);
    const p = sandbox.cluster.partition('listeners', 0)!;
    let active = 0;
    const onData = p.onData.bind(p);
    p.onData = (fn) => {
      active++;
      const off = onData(fn);
      return () => {
        active--;
        off();
      };
    };
    const c = await clientTo(sandbox, p.leader);
    expect(await fetchOne(c, 'listeners', 0, 0, { maxWait: 200 })).toMatchObject({ messages: [] }); // ends on the timer
    expect(active).toBe(0);
    const waiting = fetchOne(c, 'listeners', 0, 0, { maxWait: 120_000 });
    await waitUntil(() => active === 1, 'the fetch to subscribe');
    await produce(sandbox, 'listeners', [{ value: 'wake' }]); // ends on data
    expect((await waiting).messages).toHaveLength(1);
    expect(active).toBe(0);
  });

  it('a closed sandbox leaves no long-poll timer behind', async ({ startSandbox }) => {
    const MAX_WAIT = 45_678;
    const pending = new Map<NodeJS.Timeout, number>();
    const clock: Clock = {
      now: () => Date.now(),
      setTimeout: (fn, ms) => {
        const t = setTimeout(() => {
          pending.delete(t);
          fn();
        }, ms);
        t.unref();
        pending.set(t, ms);
        return t;
      },
      clearTimeout: (h) => {
        pending.delete(h as NodeJS.Timeout);
        clearTimeout(h as NodeJS.Timeout);
      },
    };
    const fetchTimers = () => [...pending.values()].filter((ms) => ms === MAX_WAIT).length;
    const sandbox = await startSandbox({ clock });
    sandbox.cluster.createTopic('closing', 1, 3);
    const c = await clientTo(sandbox, sandbox.cluster.partition('closing', 0)!.leader);
    const waiting = fetchOne(c, 'closing', 0, 0, { maxWait: MAX_WAIT }).catch((e: Error) => e);
    await waitUntil(() => fetchPending(sandbox), 'the fetch to be waiting');
    expect(fetchTimers()).toBe(1);
    await sandbox.close();
    await new Promise((r) => setImmediate(r));
    expect(fetchTimers()).toBe(0);
    expect(await waiting).toBeInstanceOf(Error); // the connection went with the sandbox
  });
});


describe('kafkajs consumer', () => {
  it('reads every record in order', async ({ sandbox }) => {
    sandbox.cluster.createTopic('consumed', 1, 3);
    const values = Array.from({ length: 30 }, (_, i) => `c${i}`);
    for (let s = 0; s < 3; s++) await produce(sandbox, 'consumed', values.slice(s * 10, s * 10 + 10).map((value) => ({ value })));
    const consumer = kafkaFor(sandbox).consumer({ groupId: 'fetch-test', maxWaitTimeInMs: 100 });
    cleanups.push(() => consumer.disconnect());
    await consumer.connect();
    await consumer.subscribe({ topic: 'consumed', fromBeginning: true });
    const got: string[] = [];
    await new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message }) => {
          got.push(message.value!.toString());
          if (got.length === values.length) resolve();
        },
      });
    });
    expect(got).toEqual(values);
  });
});
