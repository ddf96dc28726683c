// The lab command's text: "try this next" as a command to copy, and lines that fit the terminal.
import { describe, expect, it } from 'vitest';
import { introText, listText, reportText, tryNextCommand, wrap } from '../../src/commands/lab-text.js';
import type { LabReport } from '../../src/labs/runner.js';
import { findLab, LABS } from '../../src/labs/catalog.js';

const lab = (name: string) => findLab(name)!;

describe('lab text', () => {
  it('turns a "try this next" change into the command that makes it, with Kafka-named flags', () => {
    expect(tryNextCommand(lab('acks1'), lab('acks1').tryNext)).toBe('kafka-producer-tui lab acks1 --acks all');
    expect(tryNextCommand(lab('min-isr'), lab('min-isr').tryNext)).toBe('kafka-producer-tui lab min-isr --acks 1 --no-idempotent');
    expect(tryNextCommand(lab('ordering'), lab('ordering').tryNext)).toBe('kafka-producer-tui lab ordering --max-in-flight 2');
    // Another lab makes the change; a setting without a flag gives no command.
    expect(tryNextCommand(lab('acks-all'), lab('acks-all').tryNext)).toBe('kafka-producer-tui lab min-isr');
    expect(tryNextCommand(lab('keys'), lab('keys').tryNext)).toBeNull();
  });

  it('lists every lab within 80 columns', () => {
    const text = listText(LABS);
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    expect(text.split('\n').filter((l) => /^\s*\d+\. /.test(l))).toHaveLength(LABS.length);
  });

  it('wraps words without breaking them', () => {
    expect(wrap('one two three four', 12, '  ')).toBe('  one two\n  three four');
  });

  it('says a problem once: the verdict is not repeated when the runner already said it', () => {
    const problem = (status: LabReport['status'], observed: string) => reportText(lab('acks1'), { status, observed } as LabReport).trim();
    expect(problem('error', 'the lab could not finish: 127.0.0.1:1 is unreachable (ECONNREFUSED)')).toBe(
      'ERROR: the lab could not finish: 127.0.0.1:1 is unreachable (ECONNREFUSED)',
    );
    expect(problem('aborted', 'stopped before the verdict: interrupted (Ctrl+C)')).toBe('STOPPED before the verdict: interrupted (Ctrl+C)');
    expect(problem('error', 'the audit failed')).toBe('ERROR: the lab could not finish: the audit failed');
    expect(problem('cannot-run', 'lab x needs the built-in cluster')).toBe('CANNOT RUN here: lab x needs the built-in cluster');
  });

  it('never calls records acknowledged under acks=0', () => {
    const report = (acks: unknown) =>
      reportText(lab('acks0'), {
        status: 'passed',
        passed: true,
        expected: 'x',
        observed: 'y',
        settings: { acks },
        audit: { sent: 10, acked: 10, failed: 0, lost: 3, duplicated: 0, reordered: 0 },
        metrics: { recordsPerSec: 1, latencyMs: { p50: 1, p99: 1 }, retries: 0, errors: 0, requests: 1, recordsPerRequest: 10 },
        details: null,
        durationMs: 1000,
        cluster: { kind: 'sandbox', label: 'built-in cluster' },
        tryNext: lab('acks0').tryNext,
      } as unknown as LabReport);
    expect(report(0)).toMatch(/Audit: +sent 10, not acknowledged \(acks=0\) 10, failed 0, lost 3/);
    expect(report('all')).toMatch(/Audit: +sent 10, acked 10, failed 0, lost 3/);
  });
});

describe('introText', () => {
  it("names the broker settings a lab changes from Kafka's defaults, and says nothing when it changes none", () => {
    const base = lab('acks0');
    expect(introText(base, null)).not.toContain('Built-in cluster:');
    const fast = { ...base, sandbox: { replicaLagTimeMaxMs: 2000, groupInitialRebalanceDelayMs: 0 } };
    expect(introText(fast, null)).toContain(
      "Built-in cluster: replica.lag.time.max.ms=2000, group.initial.rebalance.delay.ms=0 (away from Kafka's defaults, for this lab)",
    );
  });
});
