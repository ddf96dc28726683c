// The transaction labs (issue 8) headless on a fresh built-in cluster, each checked against what it read back: commit
// vs abort under both isolation levels with the last stable offset held by an open transaction, a zombie producer
// fenced, and the exactly-once pipeline across a broker crash. Two go through the built binary (`lab <name> --json`),
// as a user or CI runs them; one in process, where the progress events can be checked too.
import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI, runCli } from '../helpers/child.js';
import { findLab } from '../../src/labs/catalog.js';
import type { Lab } from '../../src/labs/lab-types.js';
import { runLab, type LabProgress, type LabReport } from '../../src/labs/runner.js';

const LAB_TIMEOUT_MS = 60_000;


async function viaCli(name: string): Promise<LabReport> {
  const { code, stdout, stderr } = await runCli(['lab', name, '--json']);
  const report = JSON.parse(stdout) as LabReport;
  expect({ status: report.status, observed: report.observed, stderr }).toMatchObject({ status: 'passed', stderr: '' });
  expect(code).toBe(0);
  return report;
}

const lab = (name: string): Lab => {
  const l = findLab(name);
  if (!l) throw new Error(`no lab ${name}`);
  return l;
};

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first (npm test does)`);
});

describe('transaction labs on the built-in cluster', () => {
  it('txn-commit-abort: read_committed gets the committed records only, and an open transaction holds the LSO at its first record', async () => {
    const events: LabProgress[] = [];
    const report = await runLab(lab('txn-commit-abort'), { onProgress: (e) => events.push(e) });
    expect({ status: report.status, observed: report.observed }).toMatchObject({ status: 'passed' });
    // Aborted records count as failed: acknowledged by the leader, never delivered to a read_committed reader.
    expect(report.audit).toEqual({ sent: 180, acked: 130, failed: 50, lost: 0, duplicated: 0, reordered: 0 });
    const d = report.details as {
      whileOpen: { lastStableOffset: number; highWatermark: number; firstOpenOffset: number; lastOpenOffset: number; sandbox: { lastStableOffset: number; highWatermark: number } };
      afterCommit: { lastStableOffset: number; highWatermark: number };
      readCommitted: { committed: number; aborted: number };
      readUncommitted: { committed: number; aborted: number };
    };
    expect(d.readCommitted).toEqual({ committed: 130, aborted: 0 });
    expect(d.readUncommitted).toEqual({ committed: 130, aborted: 50 });
    // 100 committed records and their marker, 50 aborted and theirs: the open transaction starts at 152.
    expect(d.whileOpen).toMatchObject({ firstOpenOffset: 152, lastOpenOffset: 181, lastStableOffset: 152, highWatermark: 182 });
    expect(d.whileOpen.sandbox).toEqual({ lastStableOffset: 152, highWatermark: 182 });
    expect(d.afterCommit).toEqual({ lastStableOffset: 183, highWatermark: 183 });
    const steps = events.filter((e): e is Extract<LabProgress, { t: 'step' }> => e.t === 'step' && e.state === 'started');
    expect(steps.map((s) => s.id)).toEqual(['commit', 'abort', 'open', 'close', 'read']);
  }, LAB_TIMEOUT_MS);

  it('txn-zombie-fenced (built CLI, --json): the zombie is fenced, read_committed has none of its records and all of the successor\'s', async () => {
    const report = await viaCli('txn-zombie-fenced');
    expect(report.audit).toEqual({ sent: 91, acked: 40, failed: 51, lost: 0, duplicated: 0, reordered: 0 });
    const d = report.details as {
      a: { producerId: number; epoch: number; phase: string; lateErrors: Record<string, number>; afterFencing: string };
      b: { producerId: number; epoch: number };
      readCommitted: { a: number; b: number };
      readUncommitted: { a: number; b: number };
    };
    expect(d.b.producerId).toBe(d.a.producerId);
    expect(d.b.epoch).toBeGreaterThan(d.a.epoch);
    expect(d.a).toMatchObject({ phase: 'fenced', lateErrors: { INVALID_PRODUCER_EPOCH: 10 }, afterFencing: 'PRODUCER_FENCED' });
    expect(d.readCommitted).toEqual({ a: 0, b: 40 });
    expect(d.readUncommitted).toEqual({ a: 40, b: 40 });
  }, LAB_TIMEOUT_MS);

  it('txn-eos-pipeline (built CLI, --json): across a broker crash every input id is in the output exactly once', async () => {
    const report = await viaCli('txn-eos-pipeline');
    expect(report.audit).toEqual({ sent: 600, acked: 600, failed: 0, lost: 0, duplicated: 0, reordered: 0 });
    const d = report.details as {
      victim: { broker: number; ledOutputPartitions: number[]; transactionCoordinator: boolean };
      restarted: boolean;
      pipeline: { attempts: number; committed: number; aborted: number };
      outputReadUncommitted: number;
    };
    expect(d.victim.transactionCoordinator).toBe(true);
    expect(d.victim.ledOutputPartitions.length).toBeGreaterThan(0);
    expect(d.restarted).toBe(true);
    // At least one transaction per 25 records; every attempt ended committed or aborted.
    expect(d.pipeline.committed).toBeGreaterThanOrEqual(24);
    expect(d.pipeline.attempts).toBe(d.pipeline.committed + d.pipeline.aborted);
    // Copies of aborted attempts are in the log, hidden from read_committed; with none aborted there are none.
    expect(d.outputReadUncommitted).toBeGreaterThanOrEqual(600);
    if (d.pipeline.aborted === 0) expect(d.outputReadUncommitted).toBe(600);
  }, LAB_TIMEOUT_MS);
});
