// Labs 1-3: what acks promises when a leader goes away. acks=0 and acks=1 lose records the producer believed
// written (the crashed leader held them alone: followers copy 300 ms late on the sandbox); acks=all with
// min.insync.replicas=2 loses nothing when the leader is stopped mid-stream, at the price of visible retries.
import type { RecordSpec } from '../../kafka/workload/workload.js';
import { defineLab, type LabContext } from '../lab-types.js';
import { countReports, delayReplication, ORDER_VALUE, plural, sandboxLoss, waitInSync, waitReplicated, type ReportCounts } from './common.js';

const RECORDS: Omit<RecordSpec, 'topic'> = { key: { kind: 'random', space: 8 }, value: ORDER_VALUE, format: 'json' };
const REPLICATION_DELAY_MS = 300;

interface CrashDetails {
  crashedBroker: number;
  newLeader: number;
  stream: ReportCounts;
  /** The sandbox's own count of what it lost (null on a real cluster). */
  sandbox: { electionLost: number; truncated: number } | null;
}

/** Brings the crashed broker back and, on the sandbox, waits for it to truncate what the new leader never had. */
async function restart(ctx: LabContext, broker: number): Promise<void> {
  delayReplication(ctx, 0); // back to the sandbox's default: followers copy at once
  await ctx.act('start', broker);
  await waitInSync(ctx, 0, broker, ctx.clusterKind === 'sandbox' ? 8000 : 90_000);
}

export const acks0 = defineLab<CrashDetails>({
  name: 'acks0',
  title: 'acks=0: fire and forget',
  claim: [
    'With acks=0 the producer never hears back: a broker crash under load loses records',
    'and the producer reports no error for any of them.',
  ],
  settings: { acks: 0, 'enable.idempotence': false, 'linger.ms': 5 },
  topic: { partitions: 1, replicationFactor: 3 },
  records: RECORDS,
  steps: [
    { id: 'warm', text: 'Send 200 records while every replica is in sync' },
    { id: 'lag', text: `Followers copy new records ${REPLICATION_DELAY_MS} ms late (replication lag)` },
    { id: 'crash', text: 'Produce 3,000 records at 3,000/s and crash the partition leader half a second in' },
    { id: 'restart', text: 'Restart the crashed broker: it drops what the new leader never had' },
  ],
  watch: ['Errors stay at 0 while the leader crashes', 'The cluster events: the election and the truncation', 'Audit: lost'],
  expected: 'Some records are lost, and every one of them was reported sent without error.',
  needs: { brokerActions: true, sandboxFault: { need: 'helps', what: 'a replication delay' } },
  async script(ctx) {
    ctx.step('warm');
    await ctx.workload.sendN(200);
    await waitReplicated(ctx);
    ctx.step('lag');
    delayReplication(ctx, REPLICATION_DELAY_MS);
    const victim = await ctx.leaderOf(0);
    ctx.step('crash');
    const stream = ctx.workload.sendN(3000, { ratePerSec: 3000 });
    await ctx.sleep(500);
    await ctx.act('crash', victim);
    const reports = await stream;
    const c = countReports(reports);
    ctx.log(`${c.sent} sent, ${c.failed} errors reported to the producer`);
    const newLeader = await ctx.leaderOf(0);
    ctx.step('restart');
    await restart(ctx, victim);
    return {
      crashedBroker: victim,
      newLeader,
      stream: c,
      sandbox: ctx.sandbox ? sandboxLoss(ctx.clusterEvents(), ctx.topic) : null,
    };
  },
  verdict({ audit }) {
    const passed = audit.lost > 0;
    return {
      passed,
      observed: passed
        ? `${plural(audit.lost, 'record')} the producer reported as sent without error are not in the log (${audit.failed} reported failed)`
        : `no record was lost (${audit.acked} reported sent, ${audit.failed} failed): the crash caught nothing unreplicated`,
    };
  },
  tryNext: { text: 'Set acks=1: the leader answers, yet records it held alone are still lost when it crashes.', settings: { acks: 1 }, lab: 'acks1' },
});

export const acks1 = defineLab<CrashDetails>({
  name: 'acks1',
  title: 'acks=1: leader loss',
  claim: [
    'With acks=1 the leader answers before any follower has the record: if it crashes',
    'with replication lagging, records it acknowledged are lost for good.',
  ],
  settings: { acks: 1, 'enable.idempotence': false, 'linger.ms': 5 },
  topic: { partitions: 1, replicationFactor: 3 },
  records: RECORDS,
  steps: [
    { id: 'warm', text: 'Send 200 records while every replica is in sync' },
    { id: 'lag', text: `Followers copy new records ${REPLICATION_DELAY_MS} ms late (replication lag)` },
    { id: 'burst', text: 'Send 500 records: the leader acknowledges each one alone' },
    { id: 'crash', text: 'Crash the leader at once: a follower without those records is elected' },
    { id: 'more', text: 'Send 200 more records to the new leader' },
    { id: 'restart', text: 'Restart the crashed broker: it truncates the records the new leader never had' },
  ],
  watch: ['Every record of the burst is acknowledged with an offset', 'The election event: records lost', 'The truncation event', 'Audit: lost'],
  expected: 'Acknowledged records are lost: exactly as many as the crashed leader truncates when it comes back.',
  needs: { brokerActions: true, sandboxFault: { need: 'helps', what: 'a replication delay' } },
  auditSettleMs: 1000,
  async script(ctx) {
    ctx.step('warm');
    await ctx.workload.sendN(200);
    await waitReplicated(ctx);
    ctx.step('lag');
    delayReplication(ctx, REPLICATION_DELAY_MS);
    const victim = await ctx.leaderOf(0);
    ctx.step('burst');
    const burst = await ctx.workload.sendN(500);
    const offsets = burst.map((r) => r.offset).filter((o): o is number => o !== null);
    ctx.log(`${offsets.length} of ${burst.length} acknowledged by the leader, offsets ${Math.min(...offsets)}-${Math.max(...offsets)}`);
    // Crash with nothing in flight: every record the leader holds alone has been acknowledged.
    ctx.step('crash');
    await ctx.act('crash', victim);
    const newLeader = await ctx.leaderOf(0);
    ctx.step('more');
    const more = await ctx.workload.sendN(200);
    ctx.step('restart');
    await restart(ctx, victim);
    return {
      crashedBroker: victim,
      newLeader,
      stream: countReports([...burst, ...more]),
      sandbox: ctx.sandbox ? sandboxLoss(ctx.clusterEvents(), ctx.topic) : null,
    };
  },
  verdict({ audit, details }) {
    const s = details.sandbox;
    const matches = s === null || (audit.lost === s.truncated && s.truncated === s.electionLost);
    const passed = audit.lost > 0 && matches;
    const sandboxText = s ? `; the cluster lost ${s.electionLost} at the election and truncated ${s.truncated}` : '';
    // Without idempotence, batches retried after the crash can land behind later ones: the ordering lab's lesson.
    const reorderText = audit.reordered > 0 ? `; ${audit.reordered} reordered by retries after the crash (see lab ordering)` : '';
    return {
      passed,
      observed: `${plural(audit.lost, 'acknowledged record')} lost of ${audit.acked} acknowledged${sandboxText}${reorderText}`,
    };
  },
  tryNext: { text: 'Set acks=all: the leader waits for the in-sync followers, and the crash loses nothing.', settings: { acks: 'all' }, lab: 'acks-all' },
});

interface StopDetails {
  stoppedBroker: number;
  newLeader: number;
  stream: ReportCounts;
}

export const acksAll = defineLab<StopDetails>({
  name: 'acks-all',
  title: 'acks=all + min.insync.replicas=2',
  claim: [
    'With acks=all a record is acknowledged only once every in-sync replica has it: stopping',
    'the leader mid-stream loses nothing; the producer retries on the new leader instead.',
  ],
  settings: { acks: 'all', 'enable.idempotence': true, 'linger.ms': 5 },
  // Three partitions, one led by each broker: the producer stays connected to the cluster when one leader goes.
  topic: { partitions: 3, replicationFactor: 3, configs: { 'min.insync.replicas': '2' } },
  records: RECORDS,
  steps: [
    { id: 'stream', text: 'Produce 3,000 records at 3,000/s over 3 partitions' },
    { id: 'stop', text: "Stop partition 0's leader half a second in (a controlled shutdown)" },
    { id: 'restart', text: 'Start the stopped broker again' },
  ],
  watch: ['Retries climb when the leader goes', 'The partition moves to a new leader', 'Audit: lost, duplicated and reordered stay 0'],
  expected: 'Nothing lost, duplicated or reordered, no record failed, and retries are visible.',
  needs: { brokerActions: true, timingOnRealCluster: true },
  async script(ctx) {
    const victim = await ctx.leaderOf(0);
    ctx.step('stream');
    const stream = ctx.workload.sendN(3000, { ratePerSec: 3000 });
    await ctx.sleep(500);
    ctx.step('stop');
    await ctx.act('stop', victim);
    const reports = await stream;
    const newLeader = await ctx.leaderOf(0);
    ctx.step('restart');
    await ctx.act('start', victim);
    await waitInSync(ctx, 0, victim, ctx.clusterKind === 'sandbox' ? 8000 : 90_000);
    return { stoppedBroker: victim, newLeader, stream: countReports(reports) };
  },
  verdict({ audit, metrics }) {
    const safe = audit.lost === 0 && audit.duplicated === 0 && audit.reordered === 0 && audit.failed === 0;
    const passed = safe && metrics.retries > 0;
    return {
      passed,
      observed:
        `${audit.acked} of ${audit.sent} acknowledged; lost ${audit.lost}, duplicated ${audit.duplicated}, reordered ${audit.reordered}, ` +
        `failed ${audit.failed}; ${plural(metrics.retries, 'record')} retried`,
    };
  },
  tryNext: { text: 'Set min.insync.replicas=3 on the topic, or stop two brokers: acks=all then refuses writes.', lab: 'min-isr' },
});
