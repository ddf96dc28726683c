// The guided lab panel: a "try this next" run reads as the contrast it is (the claim and its counter-claim, both
// audited), never as a red NOT AS CLAIMED; acks=0 never says "acked"; a stopped lab shows the counts it had.
import { stripVTControlCharacters } from 'node:util';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { LabPanel } from '../../src/components/lab-panel.js';
import { findLab } from '../../src/labs/catalog.js';
import type { LabReport } from '../../src/labs/runner.js';
import { EMPTY_LABS, labsReducer, verdictTitle, type LabsView } from '../../src/state/lab-run-view.js';

function report(lab: string, over: Partial<LabReport>): LabReport {
  return {
    lab, title: lab, status: 'passed', passed: true, expected: '', observed: 'observed', settings: {}, overrides: null,
    audit: { sent: 3000, acked: 3000, failed: 0, lost: 0, duplicated: 0, reordered: 0 },
    metrics: { recordsPerSec: 0, latencyMs: { p50: 0, p99: 0 }, retries: 0, errors: 0, requests: 0, recordsPerRequest: 0 },
    cluster: { kind: 'sandbox', label: null }, caveat: null, tryNext: { text: '' }, details: null, durationMs: 1000, ...over,
  };
}

function run(view: LabsView, lab: string, r: LabReport, overrides: string | null = null, acksZero = false): LabsView {
  const started = labsReducer(view, { t: 'start', lab, steps: 3, overrides, acksZero });
  return labsReducer(started, { t: 'progress', lab, e: { t: 'done', report: r } });
}

function frame(lab: string, view: LabsView, width = 80, height = 21): string {
  const { lastFrame, unmount } = render(<LabPanel lab={findLab(lab)!} run={view.runs[lab] ?? null} busyWith={null} width={width} height={height} />);
  const out = stripVTControlCharacters(lastFrame() ?? '');
  unmount();
  return out;
}

describe('LabPanel', () => {
  const name = 'retries-duplicate';

  it('shows a "try this next" run as a CONTRAST with the claim\'s audit and the counter-claim\'s', () => {
    let view = run(EMPTY_LABS, name, report(name, { status: 'passed', audit: { sent: 3000, acked: 3000, failed: 0, lost: 0, duplicated: 12, reordered: 0 } }));
    // With idempotence on there are no duplicates, so the lab's claim ("retries duplicate") does not hold: the point.
    const contrast = report(name, { status: 'failed', passed: false, overrides: { 'enable.idempotence': true }, observed: '0 duplicates with idempotence' });
    expect(verdictTitle(contrast)).toBe('CONTRAST');
    view = run(view, name, contrast, 'enable.idempotence=true');
    const text = frame(name, view);
    expect(text).toContain('CONTRAST');
    expect(text).not.toContain('NOT AS CLAIMED');
    expect(text).toMatch(/audits\s+sent\s+acked\s+failed\s+lost\s+dup\s+reord/);
    expect(text).toMatch(/the claim \(as written\)\s+3,000\s+3,000\s+0\s+0\s+12\s+0/);
    expect(text).toMatch(/with enable\.idempotence=true\s+3,000\s+3,000\s+0\s+0\s+0\s+0/);
  });

  it('says where the claim\'s own audit comes from when only the contrast ran', () => {
    const view = run(EMPTY_LABS, name, report(name, { status: 'failed', overrides: { 'enable.idempotence': true } }), 'enable.idempotence=true');
    expect(frame(name, view)).toContain('the claim (as written): r runs it for its own audit');
  });

  it('never says acked under acks=0', () => {
    const view = run(EMPTY_LABS, 'acks0', report('acks0', { settings: { acks: 0 }, audit: { sent: 3200, acked: 3200, failed: 0, lost: 40, duplicated: 0, reordered: 0 } }), null, true);
    const text = frame('acks0', view, 100, 30);
    expect(text).toContain('not acknowledged (acks=0) 3,200');
    expect(text).toMatch(/no ack \(acks=0\)\s+0/);
    expect(text).not.toMatch(/\backed 3,200/);
  });

  it('a stopped lab shows the counts it had, saying there was no audit', () => {
    const view = run(EMPTY_LABS, 'acks-all', report('acks-all', { status: 'aborted', passed: false, audit: { sent: 76, acked: 45, failed: 0, lost: 0, duplicated: 0, reordered: 0 } }));
    expect(frame('acks-all', view, 100, 30)).toContain('counts when it stopped: sent 76 · acked 45 · failed 0 (no audit');
  });
});
