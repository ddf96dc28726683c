// Small pieces the lessons share: the record value they send, counting delivery reports, and plain wording.
import type { DeliveryReport } from '../../kafka/producer/engine-types.js';
import type { ClusterEvent } from '../../kafka/cluster/cluster-handle.js';
import type { LabContext } from '../lab-types.js';

/** An order event as JSON: realistic, and repetitive enough for compression to matter. */
export const ORDER_VALUE = '{"order":{{seq}},"customer":"customer-{{key}}","amount":42.5,"currency":"EUR","status":"CREATED","at":"{{now}}"}';

export interface ReportCounts {
  sent: number;
  acked: number;
  failed: number;
  /** Error codes of failed reports, with how many each. */
  errors: Record<string, number>;
}

export function countReports(reports: readonly DeliveryReport[]): ReportCounts {
  const c: ReportCounts = { sent: reports.length, acked: 0, failed: 0, errors: {} };
  for (const r of reports) {
    if (!r.error) c.acked++;
    else {
      c.failed++;
      const code = r.error.code ?? 'client error';
      c.errors[code] = (c.errors[code] ?? 0) + 1;
    }
  }
  return c;
}

export const plural = (n: number, word: string, many = `${word}s`) => `${n} ${n === 1 ? word : many}`;

/** Records the sandbox says are gone: lost at elections, and removed by truncation when the old leader came back. */
export function sandboxLoss(events: readonly ClusterEvent[], topic: string): { electionLost: number; truncated: number } {
  let electionLost = 0;
  let truncated = 0;
  for (const e of events) {
    if (e.type === 'election' && e.topic === topic) electionLost += e.lostRecords;
    if (e.type === 'truncation' && e.topic === topic) truncated += e.records;
  }
  return { electionLost, truncated };
}

/** Slows every follower's copy of new records (sandbox only): what the crashed leader held alone is then lost. */
export function delayReplication(ctx: LabContext, ms: number): void {
  if (!ctx.sandbox) return;
  for (const b of ctx.sandbox.status().brokers) ctx.sandbox.setReplicationDelay(b.id, ms);
}

/** Waits until every replica in sync has every record (sandbox only: a real cluster does not show followers' logs). */
export async function waitReplicated(ctx: LabContext): Promise<void> {
  const sandbox = ctx.sandbox;
  if (!sandbox) return;
  await ctx.waitFor(() => {
    const t = sandbox.status().topics.find((x) => x.name === ctx.topic);
    return !!t && t.partitions.every((p) => p.isr.every((r) => p.replicaLogEndOffsets[r] === p.logEndOffset));
  }, 'the followers to catch up');
}

/** Waits until a broker that came back is in the partition's ISR again. */
export async function waitInSync(ctx: LabContext, partition: number, broker: number, timeoutMs = 8000): Promise<void> {
  await ctx.waitFor(async () => (await ctx.partition(partition)).isr.includes(broker), `broker ${broker} to rejoin the ISR`, timeoutMs);
}
