import { describe, expect, it } from 'vitest';
import {
  RecordAccumulator,
  type AccumulatorConfig,
  type AppendResult,
  type ProducerRequest,
} from '../../../src/kafka/producer/accumulator/record-accumulator.js';
import { Partitioner, type PartitionInfo } from '../../../src/kafka/producer/partitioner.js';
import type { ProducerBatch, RecordMetadata } from '../../../src/kafka/producer/accumulator/producer-batch.js';
import { BufferExhaustedError, DeliveryTimeoutError, ProducerClosedError, RecordTooLargeError } from '../../../src/kafka/producer/errors.js';
import { RECORD_BATCH_OVERHEAD, recordV2Size } from '../../../src/kafka/producer/serializers.js';
import { FakeClock, settle } from '../../helpers/fake-clock.js';

const BASE: AccumulatorConfig = {
  batchSize: 16384,
  lingerMs: 5,
  bufferMemory: 33554432,
  maxBlockMs: 60000,
  maxRequestSize: 1048576,
  deliveryTimeoutMs: 120000,
  maxInFlightPerBroker: 5,
  idempotent: false,
  retryBackoffMs: 100,
  retryBackoffMaxMs: 1000,
};

function setup(config: Partial<AccumulatorConfig> = {}) {
  const clock = new FakeClock();
  const drained: Array<{ batch: ProducerBatch; queueTimeMs: number }> = [];
  let wakeups = 0;
  const acc = new RecordAccumulator(
    { ...BASE, ...config },
    { clock, events: { wakeup: () => wakeups++, batchDrained: (batch, queueTimeMs) => drained.push({ batch, queueTimeMs }) } },
  );
  /** Partition p is led by broker p % 2 unless a test says otherwise. */
  let leaders: (topic: string, partition: number) => number = (_t, p) => p % 2;
  return {
    clock,
    acc,
    drained,
    wakeups: () => wakeups,
    setLeaders: (f: (topic: string, partition: number) => number) => (leaders = f),
    drain: () => [...acc.drain((t, p) => leaders(t, p)).requests],
    append: (partition: number, valueBytes = 100, topic = 't', key: Buffer | null = Buffer.from('k')) =>
      acc.append({ topic, partition, key, value: Buffer.alloc(valueBytes, 1) }),
  };
}

const appended = async (p: Promise<AppendResult>) => {
  const r = await p;
  if (r.status !== 'appended') throw new Error('expected appended');
  return r;
};
const shape = (requests: ProducerRequest[]) =>
  requests.map((r) => ({ broker: r.brokerId, batches: r.batches.map((b) => `${b.topicPartition}x${b.recordCount}`) }));

describe('linger.ms', () => {
  it('holds a batch until linger.ms has passed, then wakes the sender once', async () => {
    const { acc, clock, append, drain, wakeups, drained } = setup({ lingerMs: 5 });
    await append(0);
    await append(0);
    expect(drain()).toEqual([]);
    expect(acc.ready().nextReadyCheckDelayMs).toBe(5);
    await clock.advance(4);
    expect(wakeups()).toBe(0);
    expect(drain()).toEqual([]);
    await clock.advance(1);
    expect(wakeups()).toBe(1);
    expect(shape(drain())).toEqual([{ broker: 0, batches: ['t-0x2'] }]);
    expect(drained.map((d) => d.queueTimeMs)).toEqual([5]);
  });

  it('sends at once with linger.ms=0', async () => {
    const { append, drain } = setup({ lingerMs: 0 });
    await append(1);
    expect(shape(drain())).toEqual([{ broker: 1, batches: ['t-1x1'] }]);
  });

  it("piggybacks lingering batches on a broker that is sending anyway, not on other brokers", async () => {
    const { append, drain } = setup({ lingerMs: 1000, batchSize: 1000 });
    for (let i = 0; i < 12; i++) await append(0); // fills a batch: partition 0 is sendable
    await append(2); // same broker, lingering
    await append(1); // other broker, lingering
    expect(shape(drain())).toEqual([{ broker: 0, batches: ['t-0x8', 't-2x1'] }]);
  });
});

describe('batch.size', () => {
  it('closes a batch when the next record does not fit, and sends it without waiting for linger', async () => {
    const { acc, append, drain, wakeups } = setup({ batchSize: 1000, lingerMs: 60000 });
    const results: AppendResult[] = [];
    for (let i = 0; i < 10; i++) results.push(await appended(append(0)));
    const firstNew = results.findIndex((r, i) => i > 0 && r.status === 'appended' && r.newBatch);
    expect(firstNew).toBe(8);
    await settle();
    expect(wakeups()).toBe(1);
    const [request] = drain();
    const batch = request.batches[0];
    expect(batch.recordCount).toBe(8);
    const sizes = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => recordV2Size({ key: Buffer.from('k'), value: Buffer.alloc(100) }, i, 0));
    expect(batch.sizeInBytes).toBe(RECORD_BATCH_OVERHEAD + sizes.reduce((a, b) => a + b));
    expect(batch.sizeInBytes + recordV2Size({ key: Buffer.from('k'), value: Buffer.alloc(100) }, 8, 0)).toBeGreaterThan(1000);
    expect(acc.metrics().partitions[0]).toMatchObject({ queuedRecords: 2, queuedBatches: 1, inFlightBatches: 1 });
  });

  it('gives a record bigger than batch.size a batch of its own', async () => {
    const { append, drain } = setup({ batchSize: 200, lingerMs: 0 });
    const big = await appended(append(0, 1000));
    const small = await appended(append(0, 50));
    expect(big.newBatch && small.newBatch).toBe(true);
    expect(big.batch).not.toBe(small.batch);
    expect(big.batch.allocatedBytes).toBeGreaterThan(1000);
    expect(shape(drain())).toEqual([{ broker: 0, batches: ['t-0x1'] }]);
  });
});

describe('max.request.size', () => {
  it('rejects a record that no request could carry, with Java\'s message, and queues nothing', async () => {
    const { acc, append } = setup({ maxRequestSize: 1000 });
    const error = await append(0, 1000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RecordTooLargeError);
    expect((error as RecordTooLargeError).code).toBe('RECORD_TOO_LARGE');
    expect((error as RecordTooLargeError).retriable).toBe(false);
    expect((error as Error).message).toBe(
      'The message is 1087 bytes when serialized which is larger than 1000, which is the value of the max.request.size configuration.',
    );
    expect(acc.metrics().partitions.every((p) => p.queuedRecords === 0)).toBe(true);
  });

  it('caps how many batches go into one request, rotating which partition goes first', async () => {
    const { append, drain, setLeaders } = setup({ maxRequestSize: 1000, lingerMs: 0 });
    setLeaders(() => 7);
    for (const p of [0, 1, 2]) await append(p, 350);
    const first = drain();
    expect(shape(first)).toEqual([{ broker: 7, batches: ['t-0x1', 't-1x1'] }]);
    expect(first[0].bytes).toBeLessThanOrEqual(1000);
    expect(shape(drain())).toEqual([{ broker: 7, batches: ['t-2x1'] }]);
  });
});

describe('buffer.memory', () => {
  it('makes appends wait when full, counts them, and lets them go in order when memory frees', async () => {
    const { acc, append, drain } = setup({ batchSize: 1000, bufferMemory: 3000, lingerMs: 60000 });
    for (const p of [0, 1, 2]) await append(p);
    expect(acc.metrics().bufferAvailableBytes).toBe(0);

    const order: string[] = [];
    const waiting = append(3).then(() => order.push('p3'));
    const behind = append(0).then(() => order.push('p0')); // would fit in p0's open batch, but keeps its turn
    await settle();
    expect(order).toEqual([]);
    expect(acc.metrics()).toMatchObject({ waitingAppends: 2, bufferAvailableBytes: 0 });

    // Exhausted memory makes everything sendable, lingering or not.
    const batches = drain().flatMap((r) => r.batches);
    expect(batches).toHaveLength(3);
    acc.complete(batches[0], { baseOffset: 0 });
    await settle();
    expect(order).toEqual(['p3']);
    expect(acc.metrics()).toMatchObject({ waitingAppends: 1, bufferAvailableBytes: 0 });
    acc.complete(batches[1], { baseOffset: 0 });
    await settle();
    expect(order).toEqual(['p3', 'p0']);
    expect(acc.metrics()).toMatchObject({ waitingAppends: 0, bufferAvailableBytes: 0 });
    await Promise.all([waiting, behind]);
  });

  it('fails an append that waited max.block.ms', async () => {
    const { acc, clock, append } = setup({ batchSize: 1000, bufferMemory: 1000, maxBlockMs: 200 });
    await append(0);
    const waiting = append(1).catch((e: unknown) => e);
    await clock.advance(199);
    expect(acc.metrics().waitingAppends).toBe(1);
    await clock.advance(1);
    const error = await waiting;
    expect(error).toBeInstanceOf(BufferExhaustedError);
    expect((error as Error).message).toBe(
      'Failed to allocate 1000 bytes within the configured max blocking time 200 ms. Total memory: 1000 bytes. Available memory: 0 bytes.',
    );
    expect(acc.metrics().waitingAppends).toBe(0);
  });

  it('rejects a record larger than the whole buffer', async () => {
    const { append } = setup({ bufferMemory: 500 });
    await expect(append(0, 600)).rejects.toThrow('larger than the total memory buffer you have configured with the buffer.memory configuration (500)');
  });
});

describe('in-flight rules', () => {
  it('mutes a partition while its batch is in flight when max.in.flight=1, even across a leader change', async () => {
    const { acc, clock, append, drain, setLeaders } = setup({ maxInFlightPerBroker: 1, lingerMs: 0 });
    setLeaders(() => 1);
    const first = (await appended(append(0))).batch;
    const [r1] = drain();
    expect(r1.batches).toEqual([first]);
    await appended(append(0));
    setLeaders(() => 2); // leadership moved: broker 2 has room, but partition 0 must wait
    await clock.advance(10);
    expect(drain()).toEqual([]);
    expect(acc.metrics().partitions[0].muted).toBe(true);
    acc.complete(first, { baseOffset: 0 });
    expect(shape(drain())).toEqual([{ broker: 2, batches: ['t-0x1'] }]);
  });

  it('allows max.in.flight requests per broker with idempotence too, several batches of a partition at once', async () => {
    const { append, drain } = setup({ idempotent: true, maxInFlightPerBroker: 2, lingerMs: 0 });
    await append(0);
    expect(shape(drain())).toEqual([{ broker: 0, batches: ['t-0x1'] }]);
    await append(0);
    expect(shape(drain())).toEqual([{ broker: 0, batches: ['t-0x1'] }]); // same partition, second in flight
    await append(0);
    expect(drain()).toEqual([]); // broker 0 is at its limit
  });

  it('allows max.in.flight requests per broker otherwise, and no more', async () => {
    const { acc, append, drain } = setup({ maxInFlightPerBroker: 2, lingerMs: 0 });
    await append(0);
    drain();
    await append(0);
    drain();
    await append(0);
    expect(drain()).toEqual([]);
    expect(acc.metrics().inFlightRequests.get(0)).toBe(2);
  });

  it('skips brokers the gate refuses and topics without a leader', async () => {
    const { acc, append } = setup({ lingerMs: 0 });
    await append(0);
    await append(1, 100, 'orphan');
    const out = acc.drain((t) => (t === 'orphan' ? -1 : 0), () => false);
    expect(out).toEqual({ requests: [], unknownLeaderTopics: ['orphan'] });
  });
});

describe('retries', () => {
  it.each([['a', 'b'], ['b', 'a']])(
    'puts batches back in creation order (failures arriving %s then %s), ahead of newer queued ones',
    async (...failOrder) => {
      const { acc, clock, append, drain } = setup({ lingerMs: 0 });
      const a = (await appended(append(0))).batch;
      drain();
      const b = (await appended(append(0))).batch;
      drain();
      const c = (await appended(append(0))).batch; // never sent yet
      const byName = { a, b } as Record<string, ProducerBatch>;
      for (const name of failOrder) expect(acc.reenqueueFirst(byName[name])).toBe('requeued');
      expect(drain()).toEqual([]); // retry.backoff.ms holds the head, and so the partition
      await clock.advance(150); // 100 ms with up to 20% jitter
      const sent: ProducerBatch[] = [];
      for (let i = 0; i < 3; i++) {
        const [batch] = drain()[0].batches;
        sent.push(batch);
        acc.complete(batch, { baseOffset: i });
      }
      expect(sent).toEqual([a, b, c]);
    },
  );

  it('doubles the backoff per attempt up to retry.backoff.max.ms, with 20% jitter (KIP-580)', async () => {
    const { acc, clock, append, drain } = setup({ lingerMs: 0, retryBackoffMs: 100, retryBackoffMaxMs: 300 });
    const batch = (await appended(append(0))).batch;
    const waits: number[] = [];
    drain();
    for (let attempt = 0; attempt < 4; attempt++) {
      acc.reenqueueFirst(batch);
      waits.push(acc.ready().nextReadyCheckDelayMs);
      await clock.advance(waits.at(-1)!);
      expect(drain()[0].batches).toEqual([batch]);
    }
    [100, 200, 300, 300].forEach((base, i) => {
      expect(waits[i]).toBeGreaterThanOrEqual(base * 0.8);
      expect(waits[i]).toBeLessThanOrEqual(base * 1.2);
    });
  });
});

describe('delivery.timeout.ms', () => {
  it('fails queued batches that could not be sent in time, and frees their memory', async () => {
    const { acc, clock, append, setLeaders, drain } = setup({ deliveryTimeoutMs: 1000, batchSize: 1000 });
    setLeaders(() => -1);
    const r1 = await appended(append(0));
    await appended(append(0));
    expect(acc.metrics().bufferAvailableBytes).toBe(BASE.bufferMemory - 1000);
    expect(drain()).toEqual([]);
    await clock.advance(1000);
    const error = await r1.delivered.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryTimeoutError);
    expect((error as Error).message).toBe('Expiring 2 record(s) for t-0: 1000 ms has passed since batch creation (delivery.timeout.ms=1000)');
    expect(acc.metrics()).toMatchObject({ bufferAvailableBytes: BASE.bufferMemory, incompleteBatches: 0 });
  });

  it('fails a retry that would start after the deadline', async () => {
    const { acc, clock, append, drain } = setup({ deliveryTimeoutMs: 1000, lingerMs: 0 });
    const r = await appended(append(0));
    drain();
    await clock.advance(999);
    expect(acc.reenqueueFirst(r.batch, clock.now() + 1)).toBe('expired');
    await expect(r.delivered).rejects.toBeInstanceOf(DeliveryTimeoutError);
    expect(acc.metrics().inFlightRequests.size).toBe(0);
  });

  it('fails a batch still in flight at the deadline, and keeps its partition waiting until the answer comes', async () => {
    const { acc, clock, append, drain } = setup({ deliveryTimeoutMs: 1000, lingerMs: 0, maxInFlightPerBroker: 1 });
    const r = await appended(append(0));
    expect(drain()).toHaveLength(1);
    await clock.advance(500);
    const later = await appended(append(0));
    await clock.advance(500);
    const error = await r.delivered.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryTimeoutError);
    expect((error as Error).message).toContain('1000 ms has passed since batch creation');
    expect(acc.metrics()).toMatchObject({ bufferAvailableBytes: BASE.bufferMemory - BASE.batchSize });
    // The broker may still write the expired batch: nothing of its partition overtakes it before its answer.
    expect(drain()).toEqual([]);
    acc.answered(r.batch);
    const [next] = drain();
    expect(next.batches).toEqual([later.batch]);
  });
});

describe('splitAndReenqueue (MESSAGE_TOO_LARGE)', () => {
  it('puts the refused batch back as smaller ones ahead of later batches, in record order, and each record gets its own offset', async () => {
    const { acc, append, drain } = setup({ lingerMs: 0, batchSize: 1000 });
    const records = await Promise.all([append(0), append(0), append(0), append(0)].map(appended));
    const [request] = drain();
    const big = request.batches[0];
    expect(big.recordCount).toBe(4);
    const later = await appended(append(0));
    const flushed = acc.flush();
    const parts = acc.splitAndReenqueue(big);
    // Within batch.size already, so halved: 2 + 2 records, created when the refused batch was.
    expect(parts.map((b) => b.recordCount)).toEqual([2, 2]);
    expect(parts.every((b) => b.createdMs === big.createdMs && b.attempts === 0)).toBe(true);
    // The split batches live outside buffer.memory: only the later batch holds memory now.
    expect(acc.metrics().bufferAvailableBytes).toBe(BASE.bufferMemory - 1000);
    const order: ProducerBatch[] = [];
    for (let offset = 100; ; ) {
      const next = drain();
      if (next.length === 0) break;
      for (const b of next[0].batches) {
        order.push(b);
        acc.complete(b, { baseOffset: offset });
        offset += b.recordCount;
      }
    }
    expect(order).toEqual([...parts, later.batch]);
    expect(await Promise.all(records.map((r) => r.delivered.then((m) => m.offset)))).toEqual([100, 101, 102, 103]);
    await flushed;
    expect(acc.metrics()).toMatchObject({ incompleteBatches: 0, bufferAvailableBytes: BASE.bufferMemory });
  });
});

describe('completion', () => {
  it("gives each record its offset, and -1 when acks=0 returns none", async () => {
    const { acc, append, drain } = setup({ lingerMs: 0 });
    const records = await Promise.all([append(0), append(0), acc.append({ topic: 't', partition: 0, key: null, value: null })]);
    const [request] = drain();
    acc.complete(request.batches[0], { baseOffset: 42 });
    const metas = await Promise.all(records.map((r) => (r.status === 'appended' ? r.delivered : Promise.reject())));
    expect(metas.map((m: RecordMetadata) => [m.offset, m.serializedKeySize, m.serializedValueSize])).toEqual([
      [42, 1, 100],
      [43, 1, 100],
      [44, -1, -1],
    ]);
    const later = await appended(append(0));
    acc.complete(drain()[0].batches[0], { baseOffset: null });
    expect((await later.delivered).offset).toBe(-1);
  });
});

describe('flush and close', () => {
  it('flush sends lingering batches now and resolves when they are done', async () => {
    const { acc, append, drain, wakeups } = setup({ lingerMs: 60000 });
    await append(0);
    await append(1);
    let flushed = false;
    const flushing = acc.flush().then(() => (flushed = true));
    await settle();
    expect(wakeups()).toBe(1);
    const requests = drain();
    expect(requests).toHaveLength(2);
    acc.complete(requests[0].batches[0], { baseOffset: 0 });
    await settle();
    expect(flushed).toBe(false);
    acc.fail(requests[1].batches[0], new Error('boom'));
    await flushing;
    expect(flushed).toBe(true);
  });

  it('close refuses new records and waits for those already accepted', async () => {
    const { acc, append, drain } = setup({ lingerMs: 60000 });
    await append(0);
    const closing = acc.close();
    await expect(append(0)).rejects.toBeInstanceOf(ProducerClosedError);
    acc.complete(drain()[0].batches[0], { baseOffset: 0 });
    await closing;
  });

  it('abortQueued fails queued records and waiting appends but leaves in-flight ones alone', async () => {
    const { acc, append, drain } = setup({ lingerMs: 0, batchSize: 1000, bufferMemory: 2000 });
    const sent = await appended(append(0));
    drain();
    const queued = await appended(append(1));
    const waiting = append(2).catch((e: unknown) => e);
    acc.abortQueued(new Error('producer fenced'));
    await expect(queued.delivered).rejects.toThrow('producer fenced');
    expect(await waiting).toEqual(new Error('producer fenced'));
    expect(acc.metrics().incompleteBatches).toBe(1);
    acc.complete(sent.batch, { baseOffset: 0 });
    expect((await sent.delivered).offset).toBe(0);
  });
});

describe('metrics', () => {
  it('shows queued records and bytes, open batch fill and linger remaining per partition', async () => {
    const { acc, clock, append } = setup({ batchSize: 1000, lingerMs: 20 });
    const r = await appended(append(0));
    await clock.advance(8);
    const m = acc.metrics().partitions[0];
    expect(m).toMatchObject({ topic: 't', partition: 0, queuedRecords: 1, queuedBatches: 1, lingerRemainingMs: 12, muted: false });
    expect(m.queuedBytes).toBe(r.batch.sizeInBytes);
    expect(m.openBatchFill).toBeCloseTo(r.batch.sizeInBytes / 1000, 10);
    expect(acc.metrics()).toMatchObject({ bufferTotalBytes: BASE.bufferMemory, bufferAvailableBytes: BASE.bufferMemory - 1000, waitingAppends: 0 });
  });
});

describe('sticky partitioning with the accumulator (KIP-480)', () => {
  it('fills one partition at a time, switching when its batch closes', async () => {
    const { acc } = setup({ batchSize: 1000, lingerMs: 60000 });
    const partitions: PartitionInfo[] = [0, 1, 2, 3].map((p) => ({ partition: p, leader: p % 2 }));
    let seed = 1;
    const partitioner = new Partitioner({ kind: 'default', nullKey: 'sticky' }, () => ((seed = (seed * 48271) % 2147483647) / 2147483647));
    const placed: number[] = [];
    for (let i = 0; i < 40; i++) {
      const record = { topic: 't', key: null, value: Buffer.alloc(100) };
      let partition = partitioner.partition({ ...record, partitions });
      let result = await acc.append({ ...record, partition }, { abortOnNewBatch: true });
      if (result.status === 'aborted-for-new-batch') {
        partitioner.onNewBatch('t', partition, partitions);
        partition = partitioner.partition({ ...record, partitions });
        result = await acc.append({ ...record, partition });
      }
      placed.push(partition);
    }
    const runs: number[] = [];
    placed.forEach((p, i) => (i > 0 && p === placed[i - 1] ? runs[runs.length - 1]++ : runs.push(1)));
    // 8 null-key records of 109 B plus the 61 B batch header fill a 1000 B batch; then the next partition.
    expect(runs).toEqual([8, 8, 8, 8, 8]);
    expect(new Set(placed).size).toBeGreaterThan(1);
  });
});
