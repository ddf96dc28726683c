// Transactions lab 1: commit and abort as a read_committed consumer sees them. Records of a committed transaction
// are read; those of an aborted one are in the log (read_uncommitted gets them) but read_committed skips them.
// While a transaction is open the last stable offset stays at its first record, and read_committed readers stop
// there, whatever the high watermark says.
import { defineLab, type LabContext } from '../lab-types.js';
import { plural } from './common.js';
import { lastStableOffsets, readRun, seen } from './txn-read.js';
import { auditId, offsetRange, sendMany, settle, type TxnRecord } from './txn-records.js';

const KEYS = ['customer-1', 'customer-2', 'customer-3', 'customer-4'];
const COMMITTED = 100;
const ABORTED = 50;
const OPEN = 30;

interface OffsetsWhileOpen {
  /** ListOffsets read_committed: where read_committed readers stop. */
  lastStableOffset: number;
  /** From a read_uncommitted fetch of the open records. */
  highWatermark: number | null;
  firstOpenOffset: number;
  lastOpenOffset: number;
  /** The built-in cluster's own view of the partition (null on a real cluster). */
  sandbox: { lastStableOffset: number; highWatermark: number } | null;
}

interface CommitAbortDetails {
  sent: { committed: number; aborted: number; openThenCommitted: number };
  whileOpen: OffsetsWhileOpen;
  /** Open records a read_uncommitted reader got while the transaction was still open. */
  openReadUncommitted: number;
  afterCommit: { lastStableOffset: number; highWatermark: number | null };
  /** Distinct records of each kind each reader got. */
  readCommitted: { committed: number; aborted: number };
  readUncommitted: { committed: number; aborted: number };
  outcomes: string[];
}

async function transaction(ctx: LabContext, n: number, tag: string): Promise<TxnRecord[]> {
  const begun = await ctx.engine.transactions.begin();
  if (!begun.ok) throw new Error(begun.message);
  const records = await sendMany(ctx.engine, ctx.workload.ledger, ctx.topic, n, KEYS, (i) => `{"order":${i},"txn":"${tag}","amount":42.5}`);
  const failed = records.filter((r) => r.report.error);
  if (failed.length > 0) throw new Error(`${failed.length} records of the ${tag} transaction failed: ${failed[0].report.error!.message}`);
  return records;
}

async function end(ctx: LabContext, records: TxnRecord[], commit: boolean, outcomes: string[]): Promise<void> {
  const r = commit ? await ctx.engine.transactions.commit() : await ctx.engine.transactions.abort();
  if (!r.ok) throw new Error(r.message);
  settle(ctx.workload.ledger, records, commit ? 'committed' : 'aborted');
  outcomes.push(r.message);
  ctx.log(r.message);
}

const ids = (records: readonly TxnRecord[]) => records.map((r) => auditId(r.key, r.seq));

export const txnCommitAbort = defineLab<CommitAbortDetails>({
  name: 'txn-commit-abort',
  title: 'Transactions: commit vs abort',
  claim: [
    'A read_committed consumer gets the records of committed transactions and never those of aborted ones,',
    'though both are in the log; an open transaction holds the last stable offset back until it ends.',
  ],
  settings: { 'transactional.id': 'lab-txn-commit-abort', acks: 'all', 'enable.idempotence': true, 'linger.ms': 5 },
  topic: { partitions: 1, replicationFactor: 3, configs: { 'min.insync.replicas': '2' } },
  records: { key: { kind: 'fixed', key: KEYS[0] }, value: '{"order":{{seq}}}', format: 'json' },
  steps: [
    { id: 'commit', text: `Begin a transaction, send ${COMMITTED} records, commit` },
    { id: 'abort', text: `Begin a transaction, send ${ABORTED} records (each acknowledged by the leader), abort` },
    { id: 'open', text: `Begin a transaction, send ${OPEN} records and leave it open: last stable offset vs high watermark` },
    { id: 'close', text: 'Commit the open transaction: the last stable offset catches up' },
    { id: 'read', text: 'Read the topic back with read_committed and with read_uncommitted' },
  ],
  watch: [
    'Every record is acknowledged, the aborted ones too: the abort decides, not the delivery report',
    'While the third transaction is open: LSO at its first record, HW past its last',
    'read_committed gets 0 aborted records; read_uncommitted gets all of them',
  ],
  expected:
    'read_committed gets every committed record once and no aborted one; read_uncommitted also gets the aborted ones; ' +
    'while a transaction is open the last stable offset stays at its first record, below the high watermark.',
  needs: {},
  auditSettleMs: 1000,
  async script(ctx) {
    const outcomes: string[] = [];
    ctx.step('commit');
    const committed = await transaction(ctx, COMMITTED, 'commit');
    await end(ctx, committed, true, outcomes);
    ctx.step('abort');
    const aborted = await transaction(ctx, ABORTED, 'abort');
    await end(ctx, aborted, false, outcomes);

    ctx.step('open');
    const open = await transaction(ctx, OPEN, 'open');
    const range = offsetRange(open)!;
    const lso = (await lastStableOffsets(ctx)).get(0) ?? -1;
    // The open records are fetchable only under read_uncommitted, and that fetch carries the high watermark.
    const peek = await readRun(ctx, { isolation: 'read_uncommitted', ends: new Map([[0, range.last + 1]]) });
    const part = ctx.sandbox?.status().topics.find((t) => t.name === ctx.topic)?.partitions[0];
    const whileOpen: OffsetsWhileOpen = {
      lastStableOffset: lso,
      highWatermark: peek.highWatermarks.get(0) ?? null,
      firstOpenOffset: range.first,
      lastOpenOffset: range.last,
      sandbox: part ? { lastStableOffset: part.lastStableOffset, highWatermark: part.highWatermark } : null,
    };
    ctx.log(`open transaction at offsets ${range.first}-${range.last}: last stable offset ${lso}, high watermark ${whileOpen.highWatermark ?? 'unknown'}`);

    ctx.step('close');
    await end(ctx, open, true, outcomes);
    // The commit marker is written after EndTxn is answered: wait for the LSO to pass it (a guard, not a timing check).
    let after = -1;
    await ctx.waitFor(async () => (after = (await lastStableOffsets(ctx)).get(0) ?? -1) > range.last + 1, 'the last stable offset to pass the commit marker');

    ctx.step('read');
    const ends = new Map([[0, after]]);
    const rc = await readRun(ctx, { isolation: 'read_committed', ends });
    const ru = await readRun(ctx, { isolation: 'read_uncommitted', ends });
    const committedIds = [...ids(committed), ...ids(open)];
    const abortedIds = ids(aborted);
    ctx.log(`read_committed: ${seen(rc, committedIds)} committed, ${seen(rc, abortedIds)} aborted; read_uncommitted: ${seen(ru, abortedIds)} aborted`);
    return {
      sent: { committed: committed.length, aborted: aborted.length, openThenCommitted: open.length },
      whileOpen,
      openReadUncommitted: seen(peek, ids(open)),
      afterCommit: { lastStableOffset: after, highWatermark: ru.highWatermarks.get(0) ?? null },
      readCommitted: { committed: seen(rc, committedIds), aborted: seen(rc, abortedIds) },
      readUncommitted: { committed: seen(ru, committedIds), aborted: seen(ru, abortedIds) },
      outcomes,
    };
  },
  verdict({ audit, details: d }) {
    const committed = d.sent.committed + d.sent.openThenCommitted;
    const o = d.whileOpen;
    const heldBack = o.lastStableOffset === o.firstOpenOffset && (o.highWatermark === null || o.highWatermark === o.lastOpenOffset + 1);
    const caughtUp = d.afterCommit.highWatermark === null || d.afterCommit.lastStableOffset === d.afterCommit.highWatermark;
    const passed =
      audit.lost === 0 &&
      audit.duplicated === 0 &&
      audit.failedButWritten === 0 &&
      d.readCommitted.committed === committed &&
      d.readCommitted.aborted === 0 &&
      d.readUncommitted.aborted === d.sent.aborted &&
      d.openReadUncommitted === d.sent.openThenCommitted &&
      heldBack &&
      caughtUp;
    const hw = o.highWatermark === null ? 'high watermark unknown' : `high watermark ${o.highWatermark}`;
    return {
      passed,
      observed:
        `read_committed got ${d.readCommitted.committed} of ${committed} committed and ${d.readCommitted.aborted} of ${d.sent.aborted} aborted records; ` +
        `read_uncommitted got ${d.readUncommitted.aborted} of the aborted; while open: last stable offset ${o.lastStableOffset} ` +
        `(first open record ${o.firstOpenOffset}), ${hw}; after the commit LSO ${d.afterCommit.lastStableOffset}` +
        `${d.afterCommit.highWatermark === null ? '' : `, HW ${d.afterCommit.highWatermark}`}; ` +
        `audit lost ${audit.lost}, duplicated ${audit.duplicated}, ${plural(audit.failedButWritten, 'aborted record')} visible`,
    };
  },
  tryNext: {
    text: 'Run txn-zombie-fenced: a second producer with the same transactional.id aborts the first one\'s open transaction.',
    lab: 'txn-zombie-fenced',
  },
});
