// Lab 4: min.insync.replicas is a floor, not a wish. With two of three brokers down the leader is alone in the
// ISR, and acks=all writes are refused (NOT_ENOUGH_REPLICAS) rather than stored on one copy; once a follower is
// back in sync, writes go through again.
import { defineLab } from '../lab-types.js';
import { countReports, ORDER_VALUE, plural, waitInSync, type ReportCounts } from './common.js';

interface MinIsrDetails {
  stopped: number[];
  restarted: number;
  before: ReportCounts;
  refused: ReportCounts;
  after: ReportCounts;
  /** Failed records in the producer's dead-letter list. */
  deadLetters: number;
}

const REFUSED_CODE = 'NOT_ENOUGH_REPLICAS';

export const minIsr = defineLab<MinIsrDetails>({
  name: 'min-isr',
  title: 'Not enough replicas',
  claim: [
    'With acks=all and min.insync.replicas=2, a leader left alone in the ISR refuses writes',
    'with NOT_ENOUGH_REPLICAS instead of keeping a single copy; a follower back in sync ends it.',
  ],
  // Few quick retries, so refused records fail in under a second instead of retrying for delivery.timeout.ms.
  settings: { acks: 'all', 'enable.idempotence': true, retries: 3, 'retry.backoff.ms': 50, 'linger.ms': 5 },
  topic: { partitions: 1, replicationFactor: 3, configs: { 'min.insync.replicas': '2' } },
  records: { key: { kind: 'random', space: 8 }, value: ORDER_VALUE, format: 'json' },
  steps: [
    { id: 'before', text: 'Send 100 records with all three replicas in sync' },
    { id: 'down', text: 'Stop both followers: the ISR is the leader alone' },
    { id: 'refused', text: 'Send 50 records: each is refused with NOT_ENOUGH_REPLICAS after 3 retries' },
    { id: 'back', text: 'Start one follower and wait until it is back in the ISR' },
    { id: 'after', text: 'Send 100 records: all acknowledged' },
  ],
  watch: ['Errors: NOT_ENOUGH_REPLICAS, and the dead-letter list filling', 'The ISR shrinking to one broker and growing back', 'Records acknowledged again after the follower returns'],
  expected: 'Every record sent with one replica in sync fails with NOT_ENOUGH_REPLICAS; every record after a follower rejoins is acknowledged; nothing is lost.',
  needs: { brokerActions: true },
  async script(ctx) {
    ctx.step('before');
    const before = await ctx.workload.sendN(100);
    ctx.step('down');
    const [leader, ...followers] = await ctx.partition(0).then((p) => p.replicas);
    for (const f of followers) await ctx.act('stop', f);
    await ctx.waitFor(async () => (await ctx.partition(0)).isr.join() === String(leader), 'the ISR to shrink to the leader', ctx.clusterKind === 'sandbox' ? 8000 : 60_000);
    ctx.step('refused');
    const refused = await ctx.workload.sendN(50);
    const r = countReports(refused);
    ctx.log(`${r.failed} of ${r.sent} refused: ${Object.entries(r.errors).map(([code, n]) => `${n} ${code}`).join(', ') || 'no errors'}`, 'warn');
    ctx.step('back');
    await ctx.act('start', followers[0]);
    await waitInSync(ctx, 0, followers[0], ctx.clusterKind === 'sandbox' ? 8000 : 90_000);
    ctx.step('after');
    const after = await ctx.workload.sendN(100);
    // Leave the cluster as it was found.
    await ctx.act('start', followers[1]);
    return {
      stopped: followers,
      restarted: followers[0],
      before: countReports(before),
      refused: r,
      after: countReports(after),
      deadLetters: ctx.engine.deliveries.deadLetters().length,
    };
  },
  verdict({ audit, details }) {
    const r = details.refused;
    const allRefused = r.sent > 0 && r.failed === r.sent && r.errors[REFUSED_CODE] === r.sent;
    const allAfter = details.after.sent > 0 && details.after.acked === details.after.sent;
    const passed = allRefused && allAfter && audit.lost === 0;
    const codes = Object.entries(r.errors).map(([code, n]) => `${n} ${code}`).join(', ') || 'no errors';
    return {
      passed,
      observed:
        `alone in the ISR: ${r.failed} of ${r.sent} refused (${codes}), ${plural(details.deadLetters, 'dead letter')}; ` +
        `follower back: ${details.after.acked} of ${details.after.sent} acknowledged; lost ${audit.lost}`,
    };
  },
  tryNext: {
    text: 'Set acks=1: the leader alone accepts the writes, and one more crash would lose them.',
    settings: { acks: 1, 'enable.idempotence': false },
  },
});
