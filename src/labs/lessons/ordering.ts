// Lab 7: ordering under a retry. One key, one partition, a burst of small batches, and the first Produce of the
// burst refused once with a retriable error. With 5 requests in flight and no idempotence, the batches behind it
// are written while it waits out its backoff, so it lands after them. One request in flight, or idempotence
// (which sends one batch per partition at a time here), keeps the records in the order they were sent.
import type { ProducerSettings } from '../../kafka/producer/config/settings.js';
import { defineLab, type LabContext } from '../lab-types.js';
import { ORDER_VALUE } from './common.js';

interface OrderingPhase {
  key: string;
  /** What the phase changed; the first phase runs the lab's settings. */
  settings: Partial<ProducerSettings>;
  sent: number;
  acked: number;
  retries: number;
  /** Offsets of the first few records in send order: a retried batch shows up as a jump back. */
  firstOffsets: (number | null)[];
}

interface OrderingDetails {
  phases: OrderingPhase[];
}

/** The first phase runs the lab's settings as given (so a changed setting shows there); the others are the fixes. */
export const PHASES: { key: string; step: string; settings: Partial<ProducerSettings> }[] = [
  { key: 'in-flight-5', step: 'five', settings: {} },
  { key: 'in-flight-1', step: 'one', settings: { 'max.in.flight.requests.per.connection': 1, 'enable.idempotence': false } },
  { key: 'idempotent', step: 'idempotent', settings: { 'max.in.flight.requests.per.connection': 5, 'enable.idempotence': true } },
];
const BURST = 200;

export async function runPhase(ctx: LabContext, phase: (typeof PHASES)[number]): Promise<OrderingPhase> {
  ctx.step(phase.step);
  const applied = await ctx.engine.applySettings(phase.settings);
  if (!applied.ok) throw new Error(`the ${phase.key} phase cannot run with these settings: ${applied.problems.map((p) => p.message).join('; ')}`);
  const respec = ctx.workload.respec({ key: { kind: 'fixed', key: phase.key } });
  if (!respec.ok) throw new Error(respec.errors.join('; '));
  await ctx.workload.sendN(5);
  const leader = await ctx.leaderOf(0);
  const fault = ctx.sandbox!.injectError('produce', 'NOT_ENOUGH_REPLICAS', { when: 'before', broker: leader });
  if (!fault.ok) throw new Error(fault.message);
  let reports: Awaited<ReturnType<typeof ctx.workload.sendN>> = [];
  const m = await ctx.measure(async () => {
    reports = await ctx.workload.sendN(BURST);
  });
  const firstOffsets = reports.slice(0, 12).map((r) => r.offset);
  ctx.log(`key ${phase.key}: offsets of the first records in send order: ${firstOffsets.join(', ')}`);
  return {
    key: phase.key,
    settings: phase.settings,
    sent: reports.length,
    acked: reports.filter((r) => !r.error).length,
    retries: m.retries,
    firstOffsets,
  };
}

export const ordering = defineLab<OrderingDetails>({
  name: 'ordering',
  title: 'Ordering under retries',
  claim: [
    'Without idempotence, 5 requests in flight let a retried batch land behind later ones: one key reorders.',
    'max.in.flight.requests.per.connection=1, or idempotence, keeps the order the records were sent in.',
  ],
  // Small batches and no linger: the burst becomes many requests; a 300 ms backoff lets the later ones pass.
  settings: { acks: 'all', 'enable.idempotence': false, 'max.in.flight.requests.per.connection': 5, 'retry.backoff.ms': 300, 'linger.ms': 0, 'batch.size': 512 },
  topic: { partitions: 1, replicationFactor: 3 },
  records: { key: { kind: 'fixed', key: PHASES[0].key }, value: ORDER_VALUE, format: 'json' },
  steps: [
    { id: 'five', text: `The lab's settings (max.in.flight=5, no idempotence): the first Produce of a ${BURST}-record burst is refused once (NOT_ENOUGH_REPLICAS)` },
    { id: 'one', text: 'max.in.flight=1: the same fault and burst, key in-flight-1' },
    { id: 'idempotent', text: 'Idempotence on (max.in.flight=5): the same fault and burst, key idempotent' },
  ],
  watch: ['Retries: one batch per phase', 'In flight per broker: 5, then 1', 'Audit: reordered, per key'],
  expected: 'Records of key in-flight-5 are reordered; keys in-flight-1 and idempotent keep their order; nothing lost or duplicated.',
  needs: { sandboxFault: { need: 'required', what: 'a produce refused once with a retriable error' } },
  async script(ctx) {
    const phases: OrderingPhase[] = [];
    for (const phase of PHASES) phases.push(await runPhase(ctx, phase));
    return { phases };
  },
  verdict({ audit }) {
    const per = (key: string) => audit.perKey[key]?.reordered ?? 0;
    const [five, one, idem] = PHASES.map((p) => per(p.key));
    const passed = five > 0 && one === 0 && idem === 0 && audit.lost === 0 && audit.duplicated === 0;
    return {
      passed,
      observed: `reordered: ${five} with in-flight 5, ${one} with in-flight 1, ${idem} with idempotence; lost ${audit.lost}, duplicated ${audit.duplicated}`,
    };
  },
  tryNext: {
    text: 'Set max.in.flight.requests.per.connection=2: two requests in flight are already enough for the retried batch to land behind.',
    settings: { 'max.in.flight.requests.per.connection': 2 },
  },
});
