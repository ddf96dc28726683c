// Lab 8: batching. The same steady stream with linger.ms=0 and linger.ms=50: waiting a little fills batches, so
// each request carries many more records, at the price of latency. Then the same burst with a 1 KiB and a
// 64 KiB batch.size: batch.size caps how many records share a request, and with it the throughput.
import type { ProducerSettings } from '../../kafka/producer/config/settings.js';
import { defineLab, type LabContext } from '../lab-types.js';
import type { PhaseMetrics } from '../lab-metrics.js';
import { ORDER_VALUE } from './common.js';

interface BatchingPhase {
  name: string;
  settings: Partial<ProducerSettings>;
  records: number;
  recordsPerSec: number;
  latencyMs: { p50: number; p99: number };
  requests: number;
  recordsPerRequest: number;
}

interface BatchingDetails {
  phases: BatchingPhase[];
}

const STREAM = { records: 1500, ratePerSec: 3000 };
const BURST = 2500;

const PHASES: { name: string; step: string; settings: Partial<ProducerSettings>; rated: boolean }[] = [
  { name: 'linger 0', step: 'linger0', settings: { 'linger.ms': 0, 'batch.size': 16384 }, rated: true },
  { name: 'linger 50', step: 'linger50', settings: { 'linger.ms': 50, 'batch.size': 16384 }, rated: true },
  { name: 'batch 1 KiB', step: 'small', settings: { 'linger.ms': 5, 'batch.size': 1024 }, rated: false },
  { name: 'batch 64 KiB', step: 'large', settings: { 'linger.ms': 5, 'batch.size': 65536 }, rated: false },
];

async function runPhase(ctx: LabContext, phase: (typeof PHASES)[number]): Promise<BatchingPhase> {
  ctx.step(phase.step);
  const applied = await ctx.engine.applySettings(phase.settings);
  if (!applied.ok) throw new Error(applied.problems.map((p) => p.message).join('; '));
  const m: PhaseMetrics = await ctx.measure(() =>
    phase.rated ? ctx.workload.sendN(STREAM.records, { ratePerSec: STREAM.ratePerSec, collect: false }) : ctx.workload.sendN(BURST, { collect: false }),
  );
  ctx.log(`${phase.name}: ${m.recordsPerRequest} records/request, p50 ${m.latencyMs.p50} ms, ${m.recordsPerSec} records/s`);
  return {
    name: phase.name,
    settings: phase.settings,
    records: m.records,
    recordsPerSec: m.recordsPerSec,
    latencyMs: m.latencyMs,
    requests: m.requests,
    recordsPerRequest: m.recordsPerRequest,
  };
}

export const batching = defineLab<BatchingDetails>({
  name: 'batching',
  title: 'Batching: linger.ms and batch.size',
  claim: [
    'linger.ms lets a batch wait for more records: fewer, fuller requests for a little latency.',
    'batch.size caps a batch: too small, and every request carries a few records and throughput drops.',
  ],
  settings: { 'linger.ms': 0, 'batch.size': 16384 },
  topic: { partitions: 3, replicationFactor: 3 },
  records: { key: { kind: 'random', space: 100 }, value: ORDER_VALUE, format: 'json' },
  steps: [
    { id: 'linger0', text: `linger.ms=0: ${STREAM.records} records at ${STREAM.ratePerSec}/s` },
    { id: 'linger50', text: 'linger.ms=50: the same stream' },
    { id: 'small', text: `batch.size=1 KiB: a burst of ${BURST} records as fast as possible` },
    { id: 'large', text: 'batch.size=64 KiB: the same burst' },
  ],
  watch: ['Records per request', 'Latency p50 rising with linger.ms', 'Throughput of the two bursts'],
  expected: 'linger.ms=50 carries several times more records per request than 0, with higher latency; the 64 KiB burst is faster than the 1 KiB one.',
  needs: { timingOnRealCluster: true },
  async script(ctx) {
    const phases: BatchingPhase[] = [];
    for (const phase of PHASES) phases.push(await runPhase(ctx, phase));
    return { phases };
  },
  verdict({ details }) {
    const [l0, l50, small, large] = details.phases;
    const fuller = l50.recordsPerRequest >= 2 * l0.recordsPerRequest;
    // Lingering 50 ms makes a record wait about 25 ms on average. On a busy machine linger 0 can queue as long
    // (requests pile up behind max.in.flight), so the lesson holds if linger adds latency or the wait is there.
    const slower = l50.latencyMs.p50 > l0.latencyMs.p50 || l50.latencyMs.p50 >= 20;
    const faster = large.recordsPerSec > small.recordsPerSec;
    const passed = fuller && slower && faster;
    return {
      passed,
      observed:
        `records/request ${l0.recordsPerRequest} -> ${l50.recordsPerRequest} and p50 ${l0.latencyMs.p50} -> ${l50.latencyMs.p50} ms (linger 0 -> 50); ` +
        `burst ${small.recordsPerSec} records/s with 1 KiB batches vs ${large.recordsPerSec} with 64 KiB (${small.recordsPerRequest} vs ${large.recordsPerRequest} records/request)`,
    };
  },
  tryNext: { text: 'Set compression.type=lz4: the same batches take far fewer bytes on the wire, and fuller batches compress better.', settings: { 'compression.type': 'lz4' }, lab: 'compression' },
});
