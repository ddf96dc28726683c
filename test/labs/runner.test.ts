// The lab runner and command beyond the happy path: a real cluster (here a built-in cluster the runner only knows
// by its addresses), labs that cannot run there, a changed setting that breaks the lesson, a bad combination of
// settings, and a run stopped halfway that still cleans up.
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/child.js';
import { findLab } from '../../src/labs/catalog.js';
import type { Lab } from '../../src/labs/lab-types.js';
import { runLab, type LabLive, type LabProgress, type LabReport } from '../../src/labs/runner.js';
import { probe } from '../../src/kafka/cluster/open-cluster.js';
import { sandboxTest } from '../helpers/fixtures.js';



const lab = (name: string): Lab => {
  const l = findLab(name);
  if (!l) throw new Error(`no lab ${name}`);
  return l;
};

describe('on a real cluster (--brokers)', () => {
  sandboxTest('runs a lab that needs no fault, on the cluster given, and deletes its topic afterwards', async ({ sandbox: realCluster }) => {
    const report = await runLab(lab('keys'), { brokers: realCluster.addresses() });
    expect({ status: report.status, observed: report.observed }).toMatchObject({ status: 'passed' });
    expect(report.cluster).toEqual({ kind: 'real', label: `cluster ${realCluster.addresses().join(',')}` });
    expect(report.caveat).toBeNull();
    expect([...realCluster.cluster.topics.keys()].filter((t) => t.startsWith('lab-keys-'))).toEqual([]);
  }, 60_000);

  sandboxTest('runs a lab whose outcome depends on timing there, and says the verdict may differ', async ({ sandbox: realCluster }) => {
    const report = await runLab(lab('backpressure'), { brokers: realCluster.addresses() });
    expect(['passed', 'failed']).toContain(report.status);
    expect(report.caveat).toMatch(/depends on timing.*verdict may differ/);
  }, 60_000);

  sandboxTest('refuses a lab that stops brokers when the cluster has no broker control', async ({ sandbox: realCluster }) => {
    const report = await runLab(lab('acks-all'), { brokers: realCluster.addresses() });
    expect(report.status).toBe('cannot-run');
    expect(report.passed).toBe(false);
    expect(report.observed).toMatch(/cannot be controlled.*run the lab without --brokers/);
    expect(realCluster.cluster.topics.size).toBe(0);
  }, 60_000);

  it('refuses a lab that needs a sandbox-only fault with exit code 2, before connecting anywhere', async () => {
    const { code, stdout, stderr } = await runCli(['lab', 'retries-duplicate', '--brokers', '127.0.0.1:9']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('needs the built-in cluster: its fault (a dropped produce acknowledgement) can only be injected there');
    const json = await runCli(['lab', 'ordering', '--brokers', '127.0.0.1:9', '--json']);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ lab: 'ordering', passed: false, status: 'cannot-run' });
  });
});

describe('changing a setting ("try this next")', () => {
  it('acks1 with --acks all loses nothing: the lesson does not hold, exit code 1', async () => {
    const { code, stdout } = await runCli(['lab', 'acks1', '--acks', 'all', '--json']);
    const report = JSON.parse(stdout) as LabReport;
    expect(code).toBe(1);
    expect(report).toMatchObject({ status: 'failed', passed: false, overrides: { acks: 'all' }, settings: { acks: 'all' } });
    expect(report.audit.lost).toBe(0);
    expect(report.audit.acked).toBe(report.audit.sent);
  }, 60_000);

  it('a change Kafka would refuse with the lab\'s settings exits 2 and says why', async () => {
    const { code, stderr } = await runCli(['lab', 'acks0', '--idempotent']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/with lab acks0's settings: Must set acks to all in order to use the idempotent producer/);
  });

  it('a bad flag value exits 2 with the flag named', async () => {
    const { code, stderr } = await runCli(['lab', 'batching', '--linger-ms', 'soon']);
    expect(code).toBe(2);
    expect(stderr).toContain('--linger-ms');
  });
});

describe('progress and stopping', () => {
  it('stopped halfway, a run reports "aborted" and closes its producer and its cluster', async () => {
    const abort = new AbortController();
    let live: LabLive | undefined;
    const events: LabProgress[] = [];
    const report = await runLab(lab('acks-all'), {
      signal: abort.signal,
      countsIntervalMs: 20,
      onStart: (l) => (live = l),
      onProgress: (e) => {
        events.push(e);
        if (e.t === 'step' && e.id === 'stop' && e.state === 'started') abort.abort('stopped by the test');
      },
    });
    expect(report).toMatchObject({ status: 'aborted', passed: false });
    expect(report.observed).toContain('stopped by the test');
    expect(live).toBeDefined();
    expect(live!.engine.status.phase).toBe('closed');
    expect(await Promise.all(live!.sandbox!.addresses().map((a) => probe(a, 500)))).not.toContain(true);
    expect(events.some((e) => e.t === 'counts' && e.sent > 0)).toBe(true);
    // The report keeps the counts the run had, as its counts panel showed them (not "sent 0 · acked 0").
    const last = events.filter((e) => e.t === 'counts').at(-1) as { sent: number; acked: number };
    expect(report.audit.sent).toBeGreaterThanOrEqual(last.sent);
    expect(report.audit.sent).toBeGreaterThan(0);
    expect(report.audit.acked).toBeGreaterThanOrEqual(last.acked);
    expect(events.filter((e) => e.t === 'phase').map((e) => (e as { phase: string }).phase)).toEqual(['cluster', 'topic', 'engine', 'script', 'cleanup']);
    expect(events.at(-1)).toEqual({ t: 'done', report });
  }, 60_000);

  it('stopped while two brokers are down and sends are being refused, it still cleans up', async () => {
    const abort = new AbortController();
    let live: LabLive | undefined;
    const report = await runLab(lab('min-isr'), {
      signal: abort.signal,
      onStart: (l) => (live = l),
      onProgress: (e) => {
        if (e.t === 'step' && e.id === 'refused' && e.state === 'started') setTimeout(() => abort.abort('stopped by the test'), 50);
      },
    });
    expect(report.status).toBe('aborted');
    expect(live!.engine.status.phase).toBe('closed');
    expect(await Promise.all(live!.sandbox!.addresses().map((a) => probe(a, 500)))).not.toContain(true);
  }, 60_000);

  it('a run past its time limit ends as an error and cleans up', async () => {
    let live: LabLive | undefined;
    const report = await runLab(lab('batching'), { timeoutMs: 1500, onStart: (l) => (live = l) });
    expect(report).toMatchObject({ status: 'error', passed: false });
    expect(report.observed).toContain('did not finish within 1.5 s');
    expect(live!.engine.status.phase).toBe('closed');
  }, 60_000);
});
