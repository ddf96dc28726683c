// Every lab, headless on a fresh built-in cluster, must give its expected verdict: a few through the built binary
// (`node dist/cli.js lab <name> --json`, as a user or CI runs it), the rest in process through runLab. Also the
// command's contract: --list shows every lab with its claim, an unknown name exits 2 with the list.
import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI, runCli } from '../helpers/child.js';
import { LABS } from '../../src/labs/catalog.js';
import { runLab, type LabProgress, type LabReport } from '../../src/labs/runner.js';

/** Run through the built binary; the others in process. */
const VIA_CLI = new Set(['acks1', 'idempotence', 'too-large']);
const LAB_TIMEOUT_MS = 60_000;


/** The design's lab report shape, with the values a finished run must have. */
function expectReportShape(r: LabReport, name: string): void {
  expect(Object.keys(r).slice(0, 7)).toEqual(['lab', 'passed', 'expected', 'observed', 'settings', 'audit', 'metrics']);
  expect(r.lab).toBe(name);
  expect(Object.keys(r.audit).sort()).toEqual(['acked', 'duplicated', 'failed', 'lost', 'reordered', 'sent']);
  expect(Object.keys(r.metrics).sort()).toEqual(['errors', 'latencyMs', 'recordsPerRequest', 'recordsPerSec', 'requests', 'retries']);
  expect(Object.keys(r.metrics.latencyMs).sort()).toEqual(['p50', 'p99']);
  expect(r.audit.sent).toBeGreaterThan(0);
  expect(r.audit.acked + r.audit.failed).toBe(r.audit.sent);
  expect(r.metrics.latencyMs.p50).toBeLessThanOrEqual(r.metrics.latencyMs.p99);
  expect(r.observed.length).toBeGreaterThan(0);
}

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first (npm test does)`);
});

describe('every lab proves itself on the built-in cluster', () => {
  for (const lab of LABS) {
    if (VIA_CLI.has(lab.name)) {
      it(`${lab.name} (built CLI, --json): ${lab.expected}`, async () => {
        const { code, stdout, stderr } = await runCli(['lab', lab.name, '--json']);
        const report = JSON.parse(stdout) as LabReport;
        expect({ status: report.status, observed: report.observed, stderr }).toMatchObject({ status: 'passed', stderr: '' });
        expect(code).toBe(0);
        expect(report.passed).toBe(true);
        expectReportShape(report, lab.name);
      }, LAB_TIMEOUT_MS);
      continue;
    }
    it(`${lab.name} (in process): ${lab.expected}`, async () => {
      const events: LabProgress[] = [];
      const report = await runLab(lab, { onProgress: (e) => events.push(e) });
      expect({ status: report.status, observed: report.observed }).toMatchObject({ status: 'passed' });
      expect(report.passed).toBe(true);
      expectReportShape(report, lab.name);
      expect(report.cluster.kind).toBe('sandbox');
      expect(report.caveat).toBeNull();
      // The guided panel's feed: every step started then done, in the lab's order, and 'done' last with the report.
      const steps = events.filter((e): e is Extract<LabProgress, { t: 'step' }> => e.t === 'step');
      expect(steps.map((s) => `${s.id}:${s.state}`)).toEqual(lab.steps.flatMap((s) => [`${s.id}:started`, `${s.id}:done`]));
      expect(events.at(-1)).toEqual({ t: 'done', report });
      expect(events.some((e) => e.t === 'phase' && e.phase === 'audit')).toBe(true);
    }, LAB_TIMEOUT_MS);
  }
});

describe('lab command', () => {
  it('lab --list shows every lab with its claim', async () => {
    const { code, stdout } = await runCli(['lab', '--list']);
    expect(code).toBe(0);
    const flat = stdout.replace(/\s+/g, ' ');
    for (const lab of LABS) {
      expect(stdout).toContain(`${lab.name}: ${lab.title}`);
      expect(flat).toContain(lab.claim.join(' '));
    }
  });

  it('an unknown lab name exits 2 and lists the labs', async () => {
    const { code, stdout, stderr } = await runCli(['lab', 'acks2']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain("unknown lab 'acks2'");
    for (const lab of LABS) expect(stderr).toContain(lab.name);
  });
});
