// Transactions lab 3: exactly-once consume-transform-produce across a broker crash. An input topic holds N orders,
// each with a unique id; a loop consumes them (read_committed, offsets committed only through its transactions),
// writes each transformed to the output and commits records and offsets together. A broker crashes in the middle of
// a transaction and comes back; the loop aborts and rewinds where it must. Read back with read_committed, the
// output holds every input id exactly once: the audit's lost and duplicated are counted per input id.
import type { Kafka } from 'kafkajs';
import { kafkaClient } from '../../kafka/cluster/clients.js';
import { ProducerEngine } from '../../kafka/producer/producer-engine.js';
import { Outcome, ledgerKey } from '../../kafka/workload/run-ledger.js';
import { defineLab, type LabContext } from '../lab-types.js';
import { plural } from './common.js';
import { EosPipeline, type EosStats } from './eos-pipeline.js';
import { lastStableOffsets, readRun } from './txn-read.js';
import { sendMany, settle, type TxnRecord } from './txn-records.js';

const INPUT_RECORDS = 600;
const CHUNK = 25;
/** The attempt the crash lands in, between its acknowledged records and its commit; the restart's attempt. */
const CRASH_AT = 4;
const RESTART_AT = 12;
const KEYS = Array.from({ length: 12 }, (_, i) => `order-${i + 1}`);
/** Input and output alike, so each broker leads one partition of each. */
const PARTITIONS = 3;

interface VictimView {
  broker: number;
  /** Output partitions it led when it crashed. */
  ledOutputPartitions: number[];
  /** Whether it was the transaction coordinator / the group's coordinator (known on the built-in cluster only). */
  transactionCoordinator: boolean | null;
  groupCoordinator: boolean | null;
}

interface EosDetails {
  input: { topic: string; records: number; partitions: number };
  victim: VictimView | null;
  restarted: boolean;
  pipeline: EosStats;
  /** Output records a read_uncommitted reader gets: the aborted attempts' copies are in the log too. */
  outputReadUncommitted: number;
}

async function inputAdmin<T>(ctx: LabContext, fn: (admin: ReturnType<Kafka['admin']>) => Promise<T>): Promise<T> {
  const admin = kafkaClient(ctx.client, 'lab-eos-admin').admin();
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

/** Fills the input in one committed transaction; the ids stay pending in the ledger until the loop commits them. */
async function prefill(ctx: LabContext, input: string): Promise<{ records: TxnRecord[]; ends: Map<number, number> }> {
  const begun = await ctx.engine.transactions.begin();
  if (!begun.ok) throw new Error(begun.message);
  const records = await sendMany(ctx.engine, ctx.workload.ledger, input, INPUT_RECORDS, KEYS, (i) => `{"order":${i},"amount":${(i % 50) + 10}.5,"currency":"EUR"}`);
  const failed = records.find((r) => r.report.error);
  if (failed) throw new Error(`filling the input failed: ${failed.report.error!.message}`);
  const commit = await ctx.engine.transactions.commit();
  if (!commit.ok) throw new Error(commit.message);
  const ends = new Map<number, number>();
  for (const r of records) ends.set(r.report.partition, Math.max(ends.get(r.report.partition) ?? 0, r.report.offset! + 1));
  return { records, ends };
}

async function victimOf(ctx: LabContext, transactionalId: string, groupId: string): Promise<VictimView> {
  const cluster = ctx.sandbox;
  // On the built-in cluster the transaction coordinator, which also leads an output partition; elsewhere a leader
  // (kafkajs does not say which broker coordinates a transactional id).
  const broker = cluster ? cluster.coordinatorFor(transactionalId) : await ctx.leaderOf(0);
  const led: number[] = [];
  for (let p = 0; p < PARTITIONS; p++) if ((await ctx.leaderOf(p)) === broker) led.push(p);
  return {
    broker,
    ledOutputPartitions: led,
    transactionCoordinator: cluster ? true : null,
    groupCoordinator: cluster ? cluster.coordinatorFor(groupId) === broker : null,
  };
}

export const txnEosPipeline = defineLab<EosDetails>({
  name: 'txn-eos-pipeline',
  title: 'Exactly-once pipeline across a broker crash',
  claim: [
    'Consume, transform and produce in one transaction with the consumer offsets (sendOffsets): across a',
    'broker crash, aborted attempts stay invisible, so read_committed finds every input exactly once.',
  ],
  settings: { 'transactional.id': 'lab-txn-eos-pipeline', acks: 'all', 'enable.idempotence': true, 'linger.ms': 5, 'transaction.timeout.ms': 10_000 },
  topic: { partitions: PARTITIONS, replicationFactor: 3, configs: { 'min.insync.replicas': '2' } },
  records: { key: { kind: 'random', space: KEYS.length }, value: '{"order":{{seq}},"amount":10.5}', format: 'json' },
  steps: [
    { id: 'prefill', text: `Fill the input topic with ${INPUT_RECORDS} orders, each with a unique id (one committed transaction)` },
    { id: 'pipeline', text: `Consume-transform-produce, ${CHUNK} records per transaction: begin, write, sendOffsets, commit` },
    { id: 'crash', text: 'In the middle of a transaction, crash a broker that leads an output partition (on the built-in cluster, the transaction coordinator)' },
    { id: 'restart', text: 'Start the crashed broker again while the loop goes on' },
    { id: 'drain', text: 'The loop processes the rest of the input; the output is then read back with read_committed' },
  ],
  watch: [
    'The crash lands between a transaction\'s records and its commit: kafkajs retries on the new coordinator and leaders, or the loop aborts, rewinds and redoes the chunk',
    'A commit whose outcome is unknown: a new producer (a new epoch) fences the old one, and the group\'s committed offsets say what happened',
    'Audit: lost 0 and duplicated 0 per input id; copies written by aborted attempts stay in the log, hidden',
  ],
  expected: 'Every input id is in the output exactly once under read_committed: 0 lost, 0 duplicated, none reordered.',
  needs: { brokerActions: true },
  auditSettleMs: 1000,
  async script(ctx) {
    const input = `${ctx.topic}-input`;
    const groupId = `${ctx.topic}-eos`;
    const transactionalId = ctx.engine.settings['transactional.id'] ?? '';
    ctx.step('prefill');
    await inputAdmin(ctx, (admin) =>
      admin.createTopics({
        waitForLeaders: true,
        topics: [{ topic: input, numPartitions: PARTITIONS, replicationFactor: 3, configEntries: [{ name: 'min.insync.replicas', value: '2' }] }],
      }),
    );
    try {
      const filled = await prefill(ctx, input);
      ctx.log(`${filled.records.length} orders in ${input}: ${[...filled.ends].map(([p, end]) => `partition ${p} up to ${end}`).join(', ')}`);

      ctx.step('pipeline');
      let victim: VictimView | null = null;
      let restarted = false;
      const pipeline = new EosPipeline({
        client: ctx.client,
        input,
        output: ctx.topic,
        groupId,
        ends: filled.ends,
        chunk: CHUNK,
        ledger: ctx.workload.ledger,
        producer: ctx.engine,
        newProducer: () => ProducerEngine.start({ brokers: [...ctx.brokers], ...ctx.client.security, clientId: 'lab-eos-pipeline', settings: ctx.engine.settings }),
        midTransaction: async (attempt) => {
          if (attempt !== CRASH_AT) return;
          ctx.step('crash');
          victim = await victimOf(ctx, transactionalId, groupId);
          await ctx.act('crash', victim.broker);
        },
        afterTransaction: async (attempt) => {
          if (attempt !== RESTART_AT || !victim) return;
          ctx.step('restart');
          await ctx.act('start', victim.broker);
          restarted = true;
          ctx.step('drain');
        },
        log: (text, level) => ctx.log(text, level),
        signal: ctx.signal,
      });
      const stats = await pipeline.run();
      const v = victim as VictimView | null;
      if (v && !restarted) {
        ctx.step('restart');
        await ctx.act('start', v.broker);
        restarted = true;
        ctx.step('drain');
      }
      // An id no committed transaction carried is failed, not pending: the loop ended without it.
      const ledger = ctx.workload.ledger;
      settle(ledger, filled.records.filter((r) => ledger.outcome(ledgerKey(r.key), r.seq) === Outcome.Pending), 'aborted');
      const all = await readRun(ctx, { isolation: 'read_uncommitted', ends: await lastStableOffsets(ctx) });
      ctx.log(
        `${plural(stats.committed, 'transaction')} committed, ${stats.aborted} aborted, ${plural(stats.producers, 'producer')}; ` +
          `${all.records} output records in the log for ${INPUT_RECORDS} orders`,
      );
      return {
        input: { topic: input, records: filled.records.length, partitions: filled.ends.size },
        victim: v,
        restarted,
        pipeline: stats,
        outputReadUncommitted: all.records,
      };
    } finally {
      // The input topic is this run's alone: leave a real cluster as it was (the built-in one goes away anyway).
      if (ctx.clusterKind === 'real') await inputAdmin(ctx, (admin) => admin.deleteTopics({ topics: [input], timeout: 5000 })).catch(() => {});
    }
  },
  verdict({ audit, details: d }) {
    const exactlyOnce =
      audit.sent === INPUT_RECORDS &&
      audit.acked === INPUT_RECORDS &&
      audit.failed === 0 &&
      audit.lost === 0 &&
      audit.duplicated === 0 &&
      audit.reordered === 0 &&
      audit.failedButWritten === 0 &&
      audit.unknown === 0;
    const crashed = d.victim !== null && d.restarted;
    const passed = exactlyOnce && crashed;
    const s = d.pipeline;
    const hidden = d.outputReadUncommitted - audit.read;
    return {
      passed,
      observed:
        `${audit.read} output records read_committed for ${audit.sent} input ids: lost ${audit.lost}, duplicated ${audit.duplicated}, reordered ${audit.reordered}; ` +
        `broker ${d.victim?.broker ?? '-'} crashed mid-transaction${d.restarted ? ' and restarted' : ''}; ` +
        `${plural(s.committed, 'transaction')} committed, ${s.aborted} aborted (${plural(hidden, 'record')} of aborted attempts in the log, hidden), ` +
        `${plural(s.producers, 'producer')}, ${plural(s.rewinds, 'rewind')}`,
    };
  },
  tryNext: {
    text:
      'Read the output with isolation.level=read_uncommitted and the aborted attempts\' copies come back as duplicates: ' +
      'txn-commit-abort shows both readers side by side.',
    lab: 'txn-commit-abort',
  },
});
