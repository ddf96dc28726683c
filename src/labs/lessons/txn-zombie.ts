// Transactions lab 2: a zombie fenced. Producer A opens a transaction and writes; producer B starts with the same
// transactional.id (an application instance restarted while the old one still runs). B's InitProducerId bumps the
// producer epoch, which aborts A's open transaction and fences A: its next send and its commit fail, and a
// read_committed reader gets none of A's records and every one B committed.
import { ProducerEngine } from '../../kafka/producer/producer-engine.js';
import type { TransactionResult } from '../../kafka/producer/transaction-manager.js';
import { defineLab } from '../lab-types.js';
import { plural } from './common.js';
import { lastStableOffsets, readRun, seen } from './txn-read.js';
import { auditId, sendMany, settle, type TxnRecord } from './txn-records.js';

const KEYS = ['account-1', 'account-2'];
const A_OPEN = 40;
const B_COMMITTED = 40;
const A_LATE = 10;
/** Kafka's answers to a fenced producer (INVALID_PRODUCER_EPOCH before 2.7), and the engine's own refusal after it. */
const FENCED_CODES = new Set(['PRODUCER_FENCED', 'INVALID_PRODUCER_EPOCH']);

interface ProducerView {
  producerId: number | null;
  epoch: number | null;
}

interface ZombieDetails {
  transactionalId: string;
  a: ProducerView & { phase: string; lateErrors: Record<string, number>; commit: string; afterFencing: string | null };
  b: ProducerView & { commit: string };
  /** Distinct records each reader got: A's written before the fencing, and B's. */
  readCommitted: { a: number; b: number };
  readUncommitted: { a: number; b: number };
}

const ids = (records: readonly TxnRecord[]) => records.map((r) => auditId(r.key, r.seq));
const value = (who: string) => (i: number) => `{"transfer":${i},"by":"${who}","amount":10}`;

/** Refused without a request once a late send has shown the fencing; otherwise the broker's error. */
function commitText(r: TransactionResult, fenced: boolean): string {
  if (r.ok) return 'committed';
  if (r.error?.code) return `failed with ${r.error.code}`;
  return fenced ? 'refused: A is fenced' : r.message;
}

function errorCodes(records: readonly TxnRecord[]): Record<string, number> {
  const codes: Record<string, number> = {};
  for (const r of records) {
    const code = r.report.error ? (r.report.error.code ?? 'client error') : 'none';
    codes[code] = (codes[code] ?? 0) + 1;
  }
  return codes;
}

export const txnZombie = defineLab<ZombieDetails>({
  name: 'txn-zombie-fenced',
  title: 'Transactions: a zombie producer fenced',
  claim: [
    'A second producer with the same transactional.id bumps the epoch: the first one\'s open transaction',
    'is aborted and the first one is fenced, so a read_committed reader gets none of its records.',
  ],
  settings: { 'transactional.id': 'lab-txn-zombie', acks: 'all', 'enable.idempotence': true, 'linger.ms': 5 },
  topic: { partitions: 1, replicationFactor: 3, configs: { 'min.insync.replicas': '2' } },
  records: { key: { kind: 'fixed', key: KEYS[0] }, value: '{"transfer":{{seq}}}', format: 'json' },
  steps: [
    { id: 'a-open', text: `Producer A begins a transaction and sends ${A_OPEN} records (acknowledged, not committed)` },
    { id: 'b-start', text: 'Producer B starts with the same transactional.id: InitProducerId bumps the epoch, A\'s transaction is aborted' },
    { id: 'b-commit', text: `Producer B sends ${B_COMMITTED} records and commits` },
    { id: 'a-late', text: `The zombie A sends ${A_LATE} more records and tries to commit` },
    { id: 'read', text: 'Read the topic back with read_committed and with read_uncommitted' },
  ],
  watch: [
    'The producer epoch: B gets a higher one than A for the same producer id',
    'A\'s late sends and commit fail with a fencing error, and A stays fenced',
    'read_committed: 0 records of A, all of B',
  ],
  expected:
    'A\'s late sends and its commit fail (fenced); read_committed gets none of A\'s records and each of B\'s committed records once; ' +
    'read_uncommitted still gets A\'s aborted records.',
  needs: {},
  auditSettleMs: 1000,
  async script(ctx) {
    const a = ctx.engine;
    const ledger = ctx.workload.ledger;
    const id = a.settings['transactional.id'] ?? '';

    ctx.step('a-open');
    const begun = await a.transactions.begin();
    if (!begun.ok) throw new Error(`producer A: ${begun.message}`);
    const aOpen = await sendMany(a, ledger, ctx.topic, A_OPEN, KEYS, value('A'));
    const aView: ProducerView = { producerId: a.status.producerId, epoch: a.status.producerEpoch };
    ctx.log(`A: producer id ${aView.producerId}, epoch ${aView.epoch}; ${aOpen.filter((r) => !r.report.error).length} records acknowledged in its open transaction`);

    ctx.step('b-start');
    // The same settings, the same transactional.id: a second instance of the application.
    const b = await ProducerEngine.start({ brokers: [...ctx.brokers], clientId: 'lab-txn-zombie-b', settings: a.settings });
    try {
      const bBegun = await b.transactions.begin();
      if (!bBegun.ok) throw new Error(`producer B: ${bBegun.message}`);
      const bView: ProducerView = { producerId: b.status.producerId, epoch: b.status.producerEpoch };
      ctx.log(`B: producer id ${bView.producerId}, epoch ${bView.epoch}`, 'warn');

      ctx.step('b-commit');
      const bRecords = await sendMany(b, ledger, ctx.topic, B_COMMITTED, KEYS, value('B'));
      const bCommit = await b.transactions.commit();
      settle(ledger, bRecords, bCommit.ok ? 'committed' : 'aborted');
      ctx.log(`B: ${bCommit.message}`);

      ctx.step('a-late');
      const aLate = await sendMany(a, ledger, ctx.topic, A_LATE, KEYS, value('A'));
      const aCommit = await a.transactions.commit();
      // A never committed: whatever it wrote was aborted by B's InitProducerId.
      settle(ledger, [...aOpen, ...aLate], 'fenced');
      const again = await sendMany(a, ledger, ctx.topic, 1, KEYS, value('A'));
      settle(ledger, again, 'fenced');
      ctx.log(`A: late sends ${JSON.stringify(errorCodes(aLate))}; commit: ${aCommit.message}`, 'warn');

      ctx.step('read');
      const ends = await lastStableOffsets(ctx);
      const rc = await readRun(ctx, { isolation: 'read_committed', ends });
      const ru = await readRun(ctx, { isolation: 'read_uncommitted', ends });
      const aIds = ids(aOpen);
      const bIds = ids(bRecords);
      return {
        transactionalId: id,
        a: {
          ...aView,
          phase: a.transactions.view().phase,
          lateErrors: errorCodes(aLate),
          commit: commitText(aCommit, a.transactions.isFenced),
          afterFencing: again[0].report.error?.code ?? null,
        },
        b: { ...bView, commit: bCommit.message },
        readCommitted: { a: seen(rc, aIds), b: seen(rc, bIds) },
        readUncommitted: { a: seen(ru, aIds), b: seen(ru, bIds) },
      };
    } finally {
      await b.close(2000).catch(() => {});
    }
  },
  verdict({ audit, details: d }) {
    const lateFenced = Object.entries(d.a.lateErrors).every(([code]) => FENCED_CODES.has(code));
    const epochBumped = d.a.epoch === null || d.b.epoch === null || (d.a.producerId === d.b.producerId && d.b.epoch > d.a.epoch);
    const passed =
      lateFenced &&
      d.a.commit !== 'committed' &&
      d.a.phase === 'fenced' &&
      d.a.afterFencing === 'PRODUCER_FENCED' &&
      epochBumped &&
      d.readCommitted.a === 0 &&
      d.readCommitted.b === B_COMMITTED &&
      d.readUncommitted.a === A_OPEN &&
      audit.lost === 0 &&
      audit.duplicated === 0 &&
      audit.failedButWritten === 0;
    const late = Object.entries(d.a.lateErrors).map(([code, n]) => `${n} ${code}`).join(', ');
    return {
      passed,
      observed:
        `epoch ${d.a.epoch ?? '?'} -> ${d.b.epoch ?? '?'} (producer id ${d.b.producerId ?? '?'}); A's late sends: ${late}; A's commit: ${d.a.commit}; ` +
        `read_committed got ${d.readCommitted.a} of A's ${A_OPEN} and ${d.readCommitted.b} of B's ${B_COMMITTED}; ` +
        `read_uncommitted got ${plural(d.readUncommitted.a, 'aborted record')} of A; audit lost ${audit.lost}, duplicated ${audit.duplicated}`,
    };
  },
  tryNext: {
    text: 'Run txn-eos-pipeline: a consume-transform-produce loop that stays exactly-once across a broker crash.',
    lab: 'txn-eos-pipeline',
  },
});
