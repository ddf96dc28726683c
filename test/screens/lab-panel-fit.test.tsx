// Every lab's guided panel fits 80x24 (21 rows under the bars) before a run and with its verdict, and no line is
// wider than the terminal: a frame taller or wider than the terminal scrolls it and garbles the screen.
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { LabPanel } from '../../src/components/lab-panel.js';
import { LABS } from '../../src/labs/catalog.js';
import type { LabReport } from '../../src/labs/runner.js';
import type { LabRunView } from '../../src/state/lab-run-view.js';

function report(name: string, details: unknown = null): LabReport {
  return {
    lab: name, title: name, status: 'passed', passed: true, expected: 'x',
    observed: '500 acknowledged records lost of 900 acknowledged; the cluster lost 500 at the election and truncated 500; 89 reordered by retries after the crash (see lab ordering)',
    settings: {}, overrides: null, audit: { sent: 900, acked: 900, failed: 0, lost: 500, duplicated: 0, reordered: 89 },
    metrics: { recordsPerSec: 1, latencyMs: { p50: 1, p99: 2 }, retries: 0, errors: 0, requests: 1, recordsPerRequest: 1 },
    cluster: { kind: 'sandbox', label: 'x' }, caveat: null, tryNext: { text: 'x' }, details, durationMs: 1,
  } as LabReport;
}

function frame(el: React.ReactElement): string[] {
  const { lastFrame, unmount } = render(el);
  const f = lastFrame() ?? '';
  unmount();
  return f.split('\n');
}

describe('the lab panel at 80x24', () => {
  for (const lab of LABS) {
    it(`${lab.name}: fits before a run and with its verdict`, () => {
      const done: LabRunView = { running: false, stopping: false, phase: 'done', steps: lab.steps.map(() => 'done'), counts: { sent: 1, acked: 1, failed: 0, retries: 0, requests: 1, waitingAppends: 0, inFlightRequests: 0 }, log: [], report: report(lab.name), overrides: null } as unknown as LabRunView;
      for (const run of [null, done]) {
        const lines = frame(<LabPanel lab={lab} run={run} busyWith={null} width={80} height={21} />);
        expect(lines.length, `${lab.name} ${run ? 'with verdict' : 'before'}`).toBeLessThanOrEqual(21);
        for (const l of lines) expect([...l].length).toBeLessThanOrEqual(80);
        expect(lines[0]).toContain(lab.name);
        expect(lines.join('\n')).toContain('r run');
      }
    });
  }
});
