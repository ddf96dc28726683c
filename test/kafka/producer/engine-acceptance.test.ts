// Issue 4 acceptance on the sandbox: the settings do what Kafka says they do, observed from the outside (request
// completions and the Produce frames on the wire), with the same workload on both sides of each comparison.
import { describe, expect } from 'vitest';
import type { RequestCompletion } from '../../../src/kafka/producer/engine-types.js';
import type { ProducerSettings } from '../../../src/kafka/producer/config/settings.js';
import { Workload, type RecordSpec } from '../../../src/kafka/workload/workload.js';
import { engineTest as it, type StartEngine } from '../../helpers/fixtures.js';

const PRODUCE = 0;

interface Run {
  requests: RequestCompletion[];
  /** Most Produce requests awaiting an answer at once, per broker address, from the wire. */
  maxInFlight: Map<string, number>;
  errors: number;
}

/** Runs one workload on a fresh engine over the running sandbox and collects what it did. */
async function run(
  startEngine: StartEngine,
  settings: Partial<ProducerSettings>,
  spec: Partial<RecordSpec> & { topic: string },
  send: (w: Workload) => Promise<unknown>,
  tickMs?: number,
): Promise<Run> {
  const engine = await startEngine(settings);
  const requests: RequestCompletion[] = [];
  const maxInFlight = new Map<string, number>();
  engine.on((e) => {
    if (e.t === 'request') requests.push(e.request);
  });
  // Produce requests only: Metadata requests share the connection.
  const produceInFlight = new Map<string, number>();
  engine.wire.on((e) => {
    if ((e.t !== 'req.start' && e.t !== 'req.end' && e.t !== 'req.lost') || e.req.apiKey !== PRODUCE || (e.t === 'req.end' && e.responseBytes === 0)) return;
    const n = (produceInFlight.get(e.req.broker) ?? 0) + (e.t === 'req.start' ? 1 : -1);
    produceInFlight.set(e.req.broker, n);
    if (e.t === 'req.start') maxInFlight.set(e.req.broker, Math.max(maxInFlight.get(e.req.broker) ?? 0, n));
  });
  const created = Workload.create(engine, { key: { kind: 'random', space: 30 }, value: 'record {{seq}}', format: 'string', ...spec }, { tickMs });
  if (!created.ok) throw new Error(created.errors.join('; '));
  await send(created.workload);
  const errors = created.workload.stats().failed;
  await engine.close(5000);
  return { requests, maxInFlight, errors };
}

const recordsPerRequest = (r: Run) => r.requests.reduce((n, q) => n + q.records, 0) / r.requests.length;
const batchFill = (r: Run, batchSize: number) => r.requests.reduce((n, q) => n + q.bytes, 0) / r.requests.reduce((n, q) => n + q.batches, 0) / batchSize;

describe('engine acceptance on the sandbox', () => {
  it('records per request rise with linger.ms (0 vs 20 ms, the same paced workload)', async ({ sandbox, startEngine }) => {
    sandbox.cluster.createTopic('linger', 3, 3);
    // About one record every 2 ms: linger.ms=0 sends each almost alone, 20 ms gathers about ten per partition.
    const paced = (w: Workload) => w.sendN(600, { ratePerSec: 500 });
    const noLinger = await run(startEngine, { 'linger.ms': 0 }, { topic: 'linger' }, paced, 2);
    const linger20 = await run(startEngine, { 'linger.ms': 20 }, { topic: 'linger' }, paced, 2);
    expect(noLinger.errors + linger20.errors).toBe(0);
    expect(recordsPerRequest(linger20)).toBeGreaterThan(2 * recordsPerRequest(noLinger));
    expect(linger20.requests.length).toBeLessThan(noLinger.requests.length / 2);
  });

  it('batch fill follows batch.size: a small batch.size sends near-full batches and fewer records per request', async ({ sandbox, startEngine }) => {
    sandbox.cluster.createTopic('fill', 1, 3);
    const burst = (w: Workload) => w.sendN(2000);
    const spec = { topic: 'fill', recordSize: 100 };
    const small = await run(startEngine, { 'batch.size': 1024, 'linger.ms': 5 }, spec, burst);
    const large = await run(startEngine, { 'batch.size': 16384, 'linger.ms': 5 }, spec, burst);
    expect(small.errors + large.errors).toBe(0);
    expect(batchFill(small, 1024)).toBeGreaterThan(0.8);
    expect(batchFill(small, 1024)).toBeLessThanOrEqual(1);
    expect(recordsPerRequest(small)).toBeLessThan(recordsPerRequest(large) / 4);
    // A batch never exceeds batch.size unless one record alone is bigger.
    expect(Math.max(...small.requests.map((q) => q.bytes / q.batches))).toBeLessThanOrEqual(1024);
  });

  it.for([
    { label: 'max.in.flight 1', settings: { 'max.in.flight.requests.per.connection': 1, 'enable.idempotence': false }, limit: 1 },
    { label: 'max.in.flight 3', settings: { 'max.in.flight.requests.per.connection': 3, 'enable.idempotence': false }, limit: 3 },
    { label: 'idempotent, max.in.flight 5 (Java: up to 5, kafkajs: one)', settings: { 'max.in.flight.requests.per.connection': 5 }, limit: 5 },
  ])('in-flight Produce requests per broker never exceed the limit with slow acks=all ($label)', async ({ settings, limit }, { sandbox, control, startEngine }) => {
    sandbox.cluster.createTopic('inflight', 3, 3);
    // Followers copy 40 ms late, so every acks=all answer waits and requests pile up behind it.
    for (const id of [1, 2, 3]) expect(control.setReplicationDelay(id, 40).ok).toBe(true);
    const r = await run(startEngine, { ...settings, acks: 'all', 'batch.size': 1024, 'linger.ms': 0 }, { topic: 'inflight', recordSize: 100 }, (w) => w.sendN(1200));
    expect(r.errors).toBe(0);
    expect(r.maxInFlight.size).toBe(3);
    const maxima = [...r.maxInFlight.values()];
    expect(Math.max(...maxima)).toBeLessThanOrEqual(limit);
    expect(Math.max(...maxima)).toBe(limit); // the limit was reached: the test would see a breach
  });
});
