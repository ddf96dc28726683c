// The exactly-once loop of the txn-eos-pipeline lab, each recovery path forced with a fault of the built-in cluster:
// a failed sendOffsets (abort, rewind, the same producer goes on), a commit answered with an error after it was
// applied (outcome unknown, a new producer, the group's offsets say it committed) and before it was applied (a new
// producer aborts it, rewind). Whatever the path, the audit of the output finds every input id exactly once.
import { describe, expect } from 'vitest';
import { auditDelivery } from '../../src/kafka/workload/delivery-audit.js';
import { ProducerEngine } from '../../src/kafka/producer/producer-engine.js';
import { RunLedger } from '../../src/kafka/workload/run-ledger.js';
import { readerKafka, readTopicUntil } from '../../src/kafka/workload/topic-reader.js';
import { EosPipeline, type EosStats } from '../../src/labs/lessons/eos-pipeline.js';
import { sendMany } from '../../src/labs/lessons/txn-records.js';
import type { SandboxControl } from '../../src/sandbox/control/control.js';
import { engineTest as it, type EngineFixtures, type SandboxFixtures } from '../helpers/fixtures.js';

const RECORDS = 120;
const CHUNK = 20;
const settings = { 'transactional.id': 'eos-test', 'linger.ms': 5 } as const;

type Fixtures = Pick<SandboxFixtures & EngineFixtures, 'sandbox' | 'control' | 'startEngine'>;

/** Fills 'in', applies the fault, runs the loop to the end, and audits 'out' (read_committed) against the input ids. */
async function run({ sandbox, control, startEngine }: Fixtures, fault?: (control: SandboxControl) => void) {
  for (const t of ['in', 'out']) expect(sandbox.cluster.createTopic(t, 3, 3)).toEqual({ error: 0 });
  const brokers = sandbox.addresses();
  const ledger = new RunLedger('out');
  const first = await startEngine(settings);
  expect((await first.transactions.begin()).ok).toBe(true);
  const input = await sendMany(first, ledger, 'in', RECORDS, ['k1', 'k2', 'k3', 'k4', 'k5'], (i) => `{"order":${i},"amount":${i}}`);
  expect((await first.transactions.commit()).ok).toBe(true);
  const ends = new Map<number, number>();
  for (const r of input) ends.set(r.report.partition, Math.max(ends.get(r.report.partition) ?? 0, r.report.offset! + 1));

  fault?.(control);
  const pipeline = new EosPipeline({
    client: { brokers },
    input: 'in',
    output: 'out',
    groupId: 'eos-test-group',
    ends,
    chunk: CHUNK,
    ledger,
    producer: first,
    newProducer: () => ProducerEngine.start({ brokers, settings }),
    log: () => {},
    signal: new AbortController().signal,
  });
  const stats = await pipeline.run();
  const audit = await auditDelivery(ledger, { brokers, settleMs: 500, timeoutMs: 15_000 });
  // Every copy in the log, the aborted attempts' too.
  const auditEnds = new Map(Object.entries(audit.endOffsets).map(([p, o]) => [Number(p), o]));
  const everything = await readTopicUntil(readerKafka({ brokers }, 'eos-test-reader'), 'out', auditEnds, () => {}, { timeoutMs: 15_000, isolation: 'read_uncommitted' });
  return { stats, audit, inLog: everything.records };
}

function expectExactlyOnce(audit: Awaited<ReturnType<typeof run>>['audit']): void {
  expect({ sent: audit.sent, acked: audit.acked, failed: audit.failed, pending: audit.pending }).toEqual({ sent: RECORDS, acked: RECORDS, failed: 0, pending: 0 });
  expect({ lost: audit.lost, duplicated: audit.duplicated, reordered: audit.reordered, read: audit.read, unknown: audit.unknown }).toEqual({
    lost: 0,
    duplicated: 0,
    reordered: 0,
    read: RECORDS,
    unknown: 0,
  });
}

const paths = (s: EosStats) => ({ aborted: s.aborted, inDoubt: s.inDoubt, producers: s.producers, rewinds: s.rewinds });

describe('the exactly-once loop', () => {
  it('without faults: one committed transaction per chunk, every input id once in the output', async ({ sandbox, control, startEngine }) => {
    const { stats, audit, inLog } = await run({ sandbox, control, startEngine });
    expectExactlyOnce(audit);
    expect(paths(stats)).toEqual({ aborted: 0, inDoubt: { committed: 0, aborted: 0 }, producers: 1, rewinds: 0 });
    expect(stats.committed).toBe(stats.attempts);
    expect(inLog).toBe(RECORDS);
  }, 30_000);

  it('a failed sendOffsets: the transaction is aborted, the consumer rewound, the chunk written again by the same producer', async ({ sandbox, control, startEngine }) => {
    const { stats, audit, inLog } = await run({ sandbox, control, startEngine }, (c) => expect(c.injectError('TxnOffsetCommit', 'UNKNOWN_SERVER_ERROR').ok).toBe(true));
    expectExactlyOnce(audit);
    expect(paths(stats)).toEqual({ aborted: 1, inDoubt: { committed: 0, aborted: 0 }, producers: 1, rewinds: 1 });
    expect(stats.failures).toEqual([expect.stringMatching(/^offsets: /)]);
    // The aborted attempt's records are in the log: read_committed skips them.
    expect(inLog).toBe(RECORDS + CHUNK);
  }, 30_000);

  it('a commit applied but answered with an error: a new producer, and the group offsets show it committed, so nothing is redone', async ({ sandbox, control, startEngine }) => {
    const { stats, audit, inLog } = await run({ sandbox, control, startEngine }, (c) => expect(c.injectError('EndTxn', 'UNKNOWN_SERVER_ERROR', { when: 'after' }).ok).toBe(true));
    expectExactlyOnce(audit);
    expect(paths(stats)).toEqual({ aborted: 0, inDoubt: { committed: 1, aborted: 0 }, producers: 2, rewinds: 0 });
    expect(inLog).toBe(RECORDS);
  }, 30_000);

  it('a commit refused before it was applied: the new producer aborts the transaction, the consumer is rewound and the chunk redone', async ({ sandbox, control, startEngine }) => {
    const { stats, audit, inLog } = await run({ sandbox, control, startEngine }, (c) => expect(c.injectError('EndTxn', 'UNKNOWN_SERVER_ERROR', { when: 'before' }).ok).toBe(true));
    expectExactlyOnce(audit);
    expect(paths(stats)).toEqual({ aborted: 1, inDoubt: { committed: 0, aborted: 1 }, producers: 2, rewinds: 1 });
    expect(inLog).toBe(RECORDS + CHUNK);
  }, 30_000);
});
