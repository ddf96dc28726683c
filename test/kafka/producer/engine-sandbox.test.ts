import { describe, expect } from 'vitest';
import type { BatchDelivery, DeliveryReport, OutgoingRecord } from '../../../src/kafka/producer/engine-types.js';
import type { Sandbox } from '../../../src/sandbox/sandbox.js';
import { engineTest as it } from '../../helpers/fixtures.js';

const rec = (topic: string, i: number, key: string | null = `k${i % 10}`) => ({
  topic,
  key: key === null ? null : Buffer.from(key),
  value: Buffer.from(`value-${i}`),
  headers: [],
});

describe('producer engine on the sandbox', () => {
  it('delivers every record with offsets, and linger batches records into fewer requests', async ({ sandbox, startEngine }) => {
    sandbox.cluster.createTopic('eng', 3, 3);
    const engine = await startEngine({ 'linger.ms': 20 });
    const reports = await Promise.all(Array.from({ length: 1000 }, (_, i) => engine.send(rec('eng', i))));
    expect(reports.filter((r) => r.error).map((r) => r.error)).toEqual([]);
    expect(reports.every((r) => r.offset !== null)).toBe(true);
    const hw = sandbox.cluster.topics.get('eng')!.partitions.reduce((n, p) => n + p.highWatermark, 0);
    expect(hw).toBe(1000);
    expect(engine.counters.recordsPerRequest()).toBeGreaterThan(20);
  });

  it('reports a record above max.message.bytes as a non-retriable failure in the dead-letter list', async ({ sandbox, startEngine }) => {
    sandbox.cluster.createTopic('small', 1, 3, { 'max.message.bytes': '1000' });
    const engine = await startEngine({ 'linger.ms': 0 });
    const r = await engine.send({ topic: 'small', key: null, value: Buffer.alloc(5000, 97), headers: [] });
    expect(r.error?.code).toBe('MESSAGE_TOO_LARGE');
    expect(r.error?.retriable).toBe(false);
    expect(engine.deliveries.deadLetters().map((d) => d.report.id)).toEqual([r.id]);
  });
});

describe('producer engine status and retries', () => {
  it('shows the idempotent producer id taken off the wire, and counts a retried attempt once', async ({ sandbox, startEngine }) => {
    sandbox.cluster.createTopic('ids', 1, 3);
    const engine = await startEngine({ 'linger.ms': 0, 'retry.backoff.ms': 20 });
    expect(engine.status.producerId).toBeGreaterThanOrEqual(0);
    expect(engine.status.producerEpoch).toBe(0);
    sandbox.state.faults.push({ kind: 'error-before', error: 19, apiKey: 0 }); // NOT_ENOUGH_REPLICAS, retriable
    const r = await engine.send(rec('ids', 1));
    expect(r.error).toBeNull();
    expect(r.attempts).toBe(2);
    expect(engine.counters.retries).toBe(1);
  });

  it('does not count the final failed attempt of a non-retriable error as a retry', async ({ sandbox, startEngine }) => {
    sandbox.cluster.createTopic('tiny', 1, 3, { 'max.message.bytes': '500' });
    const engine = await startEngine({ 'linger.ms': 0 });
    const r = await engine.send({ topic: 'tiny', key: null, value: Buffer.alloc(2000, 120), headers: [] });
    expect(r.error?.code).toBe('MESSAGE_TOO_LARGE');
    expect(engine.counters.retries).toBe(0);
  });
});

describe('retries counted per batch, with their causes', () => {
  const leaders = (sandbox: Sandbox, topic: string) => sandbox.cluster.topics.get(topic)!.partitions.map((p) => p.leader);

  for (const idempotent of [false, true]) {
    it(`gives each of two requests failing at once exactly its own retry (${idempotent ? 'idempotent' : 'max.in.flight 5, no idempotence'})`, async ({ sandbox, startEngine }) => {
      sandbox.cluster.createTopic('two', 3, 3);
      const engine = await startEngine({ acks: 'all', 'enable.idempotence': idempotent, 'linger.ms': 30, 'retry.backoff.ms': 20 });
      await engine.send({ ...rec('two', 0), partition: 0 }); // connections and metadata first
      const byLeader = leaders(sandbox, 'two');
      const [pa, pb] = [0, 1, 2].filter((p, i, all) => all.findIndex((q) => byLeader[q] === byLeader[p]) === i);
      expect(byLeader[pa]).not.toBe(byLeader[pb]);
      for (const p of [pa, pb]) sandbox.state.faults.push({ kind: 'error-before', error: 19, apiKey: 0, broker: byLeader[p] });
      const retried: number[] = [];
      const why = new Set<string>();
      engine.on((e) => {
        if (e.t === 'retry') retried.push(e.records), why.add(e.error);
      });
      const reports = await Promise.all([
        ...Array.from({ length: 3 }, (_, i) => engine.send({ ...rec('two', i), partition: pa })),
        ...Array.from({ length: 7 }, (_, i) => engine.send({ ...rec('two', i), partition: pb })),
      ]);
      expect(reports.filter((r) => r.error)).toEqual([]);
      expect(reports.map((r) => r.attempts)).toEqual(Array(10).fill(2));
      expect(retried.sort((x, y) => x - y)).toEqual([3, 7]);
      expect([...why]).toEqual(['NOT_ENOUGH_REPLICAS']);
      expect(engine.counters.retries).toBe(10);
    });
  }

  it('counts as retried exactly the records of the one failed request among several in flight to a broker', async ({ sandbox, startEngine }) => {
    sandbox.cluster.createTopic('burst', 1, 3);
    const engine = await startEngine({ 'enable.idempotence': false, 'max.in.flight.requests.per.connection': 5, 'retry.backoff.ms': 50, 'linger.ms': 0, 'batch.size': 512 });
    await engine.send(rec('burst', 0));
    sandbox.state.faults.push({ kind: 'error-before', error: 19, apiKey: 0 });
    const reports = await Promise.all(Array.from({ length: 200 }, (_, i) => engine.send(rec('burst', i))));
    expect(reports.filter((r) => r.error)).toEqual([]);
    const twice = reports.filter((r) => r.attempts === 2).length;
    expect(twice).toBeGreaterThan(0);
    expect(twice).toBeLessThan(200);
    expect(reports.every((r) => r.attempts <= 2)).toBe(true);
    expect(engine.counters.retries).toBe(twice);
  });

  it('moves to the new leader when the leader stops, counting only attempts that reached the wire as retries', async ({ sandbox, control, startEngine }) => {
    sandbox.cluster.createTopic('stop', 3, 3);
    const engine = await startEngine({ acks: 'all', 'linger.ms': 5, 'retry.backoff.ms': 20 });
    await Promise.all([0, 1, 2].map((p) => engine.send({ ...rec('stop', p), partition: p })));
    const leader = leaders(sandbox, 'stop')[0];
    expect((await control.stop(leader)).ok).toBe(true);
    const reports = await Promise.all(Array.from({ length: 20 }, (_, i) => engine.send({ ...rec('stop', i), partition: 0 })));
    expect(reports.filter((r) => r.error)).toEqual([]);
    expect(reports.every((r) => r.offset !== null)).toBe(true);
    expect(engine.counters.retries).toBe(reports.reduce((n, r) => n + r.attempts - 1, 0));
  });

  it('says why a batch was sent again: a dropped answer times out', async ({ sandbox, startEngine }) => {
    sandbox.cluster.createTopic('slow', 1, 3);
    const engine = await startEngine({ 'enable.idempotence': false, acks: 'all', 'request.timeout.ms': 400, 'delivery.timeout.ms': 10000, 'linger.ms': 0 });
    await engine.send(rec('slow', 0));
    const errors: string[] = [];
    engine.on((e) => {
      if (e.t === 'retry') errors.push(e.error);
    });
    sandbox.state.faults.push({ kind: 'drop-response', apiKey: 0 });
    const r = await engine.send(rec('slow', 1));
    expect(r).toMatchObject({ error: null, attempts: 2 });
    expect(errors).toEqual(['REQUEST_TIMED_OUT']);
  });
});

describe('produce(): reports by callback, no promise per record', () => {
  it('reports every record once, in order per partition, never before produce() returns', async ({ sandbox, startEngine }) => {
    sandbox.cluster.createTopic('cb', 2, 3);
    const engine = await startEngine({ 'linger.ms': 5 });
    const reports: DeliveryReport[] = [];
    let inside = false;
    let early = 0;
    await new Promise<void>((done) => {
      for (let i = 0; i < 500; i++) {
        inside = true;
        engine.produce(rec('cb', i, i % 2 === 0 ? 'even' : 'odd'), (r) => {
          if (inside) early++;
          reports.push(r);
          if (reports.length === 500) done();
        });
        inside = false;
      }
    });
    expect(early).toBe(0);
    expect(reports.filter((r) => r.error)).toEqual([]);
    expect(new Set(reports.map((r) => r.id)).size).toBe(500);
    for (const p of [0, 1]) {
      const offsets = reports.filter((r) => r.partition === p).map((r) => r.offset!);
      expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
    }
    expect(engine.counters).toMatchObject({ appended: 500, acked: 500, failed: 0 });
  });

  it('reports records refused at once a tick later, so a caller sending again from its callback does not recurse', async ({ sandbox, startEngine }) => {
    sandbox.cluster.createTopic('refused', 1, 3);
    const engine = await startEngine({ 'transactional.id': 'no-txn-open' });
    let reported = 0;
    let depth = 0;
    let maxDepth = 0;
    await new Promise<void>((done) => {
      const next = () => {
        depth++;
        maxDepth = Math.max(maxDepth, depth);
        engine.produce(rec('refused', reported), (r) => {
          expect(r.error?.message).toMatch(/begin a transaction/);
          if (++reported === 20_000) done();
          else next();
        });
        depth--;
      };
      next();
    });
    expect(maxDepth).toBe(1);
    expect(engine.counters.failed).toBe(20_000);
  });
});

describe('delivery reports per batch (produceBatched)', () => {
  it('reports every record once, at base offset + index, and the delivery log and listeners still see each record', async ({ sandbox, startEngine }) => {
    sandbox.cluster.createTopic('batched', 3, 3);
    const engine = await startEngine({ 'linger.ms': 10 });
    const events: DeliveryReport[] = [];
    engine.on((e) => {
      if (e.t === 'delivered') for (let i = 0; i < e.batch.count; i++) events.push(e.batch.report(i));
    });
    const n = 3000;
    const byRecord = new Map<OutgoingRecord, { partition: number; offset: number | null; latencyMs: number }>();
    let calls = 0;
    await new Promise<void>((resolve) => {
      const onBatch = (d: BatchDelivery) => {
        calls++;
        for (let i = 0; i < d.count; i++) {
          expect(byRecord.has(d.record(i))).toBe(false);
          expect(d.report(i).offset).toBe(d.baseOffset! + i);
          byRecord.set(d.record(i), { partition: d.partition, offset: d.baseOffset === null ? null : d.baseOffset + i, latencyMs: d.latencyMs(i) });
        }
        if (byRecord.size === n) resolve();
      };
      for (let i = 0; i < n; i++) engine.produceBatched(rec('batched', i), onBatch);
    });
    expect(calls).toBeLessThan(n / 10);
    const perPartition = new Map<number, number[]>();
    for (const { partition, offset, latencyMs } of byRecord.values()) {
      expect(latencyMs).toBeGreaterThanOrEqual(0);
      perPartition.set(partition, [...(perPartition.get(partition) ?? []), offset!]);
    }
    for (const [p, offsets] of perPartition) {
      expect(offsets.sort((a, b) => a - b)).toEqual(offsets.map((_, i) => i));
      expect(sandbox.cluster.topics.get('batched')!.partitions[p].highWatermark).toBe(offsets.length);
    }
    expect(events).toHaveLength(n);
    expect(engine.deliveries.latest(3)).toEqual(events.slice(-3));
  });

  it('a failed batch reports its error for each record, and its records become dead letters', async ({ sandbox, startEngine }) => {
    sandbox.cluster.createTopic('tiny-batched', 1, 3, { 'max.message.bytes': '500' });
    const engine = await startEngine({ 'linger.ms': 0 });
    const d = await new Promise<BatchDelivery>((resolve) => engine.produceBatched({ topic: 'tiny-batched', key: null, value: Buffer.alloc(2000, 120), headers: [] }, resolve));
    expect(d.count).toBe(1);
    expect(d.error?.code).toBe('MESSAGE_TOO_LARGE');
    expect(d.report(0).error?.code).toBe('MESSAGE_TOO_LARGE');
    expect(engine.deliveries.deadLetters().map((x) => x.report.id)).toEqual([d.report(0).id]);
  });
});
