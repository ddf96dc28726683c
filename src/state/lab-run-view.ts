// What the Labs screen shows of a lab run, folded from the runner's progress events by a pure reducer: the phase,
// which steps are running or done, the live counts, the last log lines and, at the end, the report. One record
// per lab, so going back to a lab shows its last verdict.
import type { LabProgress, LabReport } from '../labs/runner.js';

export { measuredTable } from '../labs/lab-types.js';

export type StepState = 'pending' | 'running' | 'done';

export interface LabCounts {
  sent: number;
  acked: number;
  failed: number;
  retries: number;
  requests: number;
  waitingAppends: number;
  inFlightRequests: number;
}

export interface LabRunView {
  lab: string;
  /** Settings changed from the lab's own ("try this next"), shown as name=value; null for the lab as written. */
  overrides: string | null;
  running: boolean;
  /** Abort asked for; the runner is cleaning up. */
  stopping: boolean;
  phase: string;
  steps: readonly StepState[];
  counts: LabCounts;
  /** Newest last, a few lines. */
  log: readonly { level: 'info' | 'warn'; text: string }[];
  report: LabReport | null;
  /** The run produces with acks=0: nothing is acknowledged, records are only written to the socket. */
  acksZero: boolean;
  /** The last report of the lab as written (the claim) and of its "try this next" run (the counter-claim). */
  claim: LabReport | null;
  contrast: LabReport | null;
}

export interface LabsView {
  /** The lab running now, if any. */
  running: string | null;
  runs: Readonly<Record<string, LabRunView>>;
}

const KEEP_LOG = 6;
export const EMPTY_COUNTS: LabCounts = { sent: 0, acked: 0, failed: 0, retries: 0, requests: 0, waitingAppends: 0, inFlightRequests: 0 };
export const EMPTY_LABS: LabsView = { running: null, runs: {} };

export type LabRunAction =
  | { t: 'start'; lab: string; steps: number; overrides: string | null; acksZero?: boolean }
  | { t: 'stopping'; lab: string }
  | { t: 'progress'; lab: string; e: LabProgress };

function updateRun(view: LabsView, lab: string, fn: (r: LabRunView) => LabRunView): LabsView {
  const run = view.runs[lab];
  return run ? { ...view, runs: { ...view.runs, [lab]: fn(run) } } : view;
}

export function labsReducer(view: LabsView, a: LabRunAction): LabsView {
  switch (a.t) {
    case 'start': {
      const before = view.runs[a.lab];
      return {
        running: a.lab,
        runs: {
          ...view.runs,
          [a.lab]: {
            lab: a.lab, overrides: a.overrides, running: true, stopping: false, phase: 'starting', steps: new Array<StepState>(a.steps).fill('pending'), counts: EMPTY_COUNTS, log: [], report: null,
            acksZero: a.acksZero ?? false, claim: before?.claim ?? null, contrast: before?.contrast ?? null,
          },
        },
      };
    }
    case 'stopping':
      return updateRun(view, a.lab, (r) => (r.running ? { ...r, stopping: true, phase: 'stopping: cleaning up' } : r));
    case 'progress': {
      const e = a.e;
      const next = updateRun(view, a.lab, (r) => progress(r, e));
      return e.t === 'done' && view.running === a.lab ? { ...next, running: null } : next;
    }
  }
}

function progress(r: LabRunView, e: LabProgress): LabRunView {
  switch (e.t) {
    case 'phase':
      return r.stopping ? r : { ...r, phase: e.text };
    case 'step': {
      const steps = [...r.steps];
      // A step starting closes every earlier one (the runner closes the previous step itself; this is the guard).
      for (let i = 0; i < e.index; i++) if (steps[i] === 'running') steps[i] = 'done';
      if (e.index >= 0 && e.index < steps.length) steps[e.index] = e.state === 'started' ? 'running' : 'done';
      return { ...r, steps };
    }
    case 'log':
      return { ...r, log: [...r.log, { level: e.level, text: e.text }].slice(-KEEP_LOG) };
    case 'counts': {
      const { t: _t, ...counts } = e;
      return { ...r, counts };
    }
    case 'done': {
      // Only verdicts count as the claim or its contrast: a stopped run keeps the earlier ones.
      const verdict = e.report.status === 'passed' || e.report.status === 'failed';
      const kept = !verdict ? {} : isContrast(e.report) ? { contrast: e.report } : { claim: e.report };
      return { ...r, running: false, stopping: false, phase: `done in ${(e.report.durationMs / 1000).toFixed(1)} s`, report: e.report, ...kept };
    }
  }
}

/** A "try this next" run: the lab with a changed setting, testing the counter-claim rather than the lesson. */
export function isContrast(report: LabReport): boolean {
  return report.overrides !== null && Object.keys(report.overrides).length > 0;
}

/**
 * The verdict as a headline: PASSED, NOT AS CLAIMED, or why there is no verdict. A "try this next" run is a
 * CONTRAST: the change is expected to undo the claim, so the claim not holding there is the point, not a failure.
 */
export function verdictTitle(report: LabReport): string {
  if (isContrast(report) && (report.status === 'passed' || report.status === 'failed')) return 'CONTRAST';
  switch (report.status) {
    case 'passed':
      return 'PASSED';
    case 'failed':
      return 'NOT AS CLAIMED';
    case 'cannot-run':
      return 'CANNOT RUN HERE';
    case 'aborted':
      return 'ABORTED';
    case 'error':
      return 'ERROR';
  }
}

/** "acked" in words that are true under acks=0, where nothing is acknowledged. */
export const ackedLabel = (acksZero: boolean) => (acksZero ? 'not acknowledged (acks=0)' : 'acked');

/** One report's audit in a line; a run with no verdict gives the counts it had (its topic was not read back). */
export function auditLine(report: LabReport): string {
  const a = report.audit;
  const acked = `${ackedLabel(report.settings.acks === 0)} ${a.acked.toLocaleString('en-US')}`;
  const counts = `sent ${a.sent.toLocaleString('en-US')} · ${acked} · failed ${a.failed.toLocaleString('en-US')}`;
  if (report.status !== 'passed' && report.status !== 'failed') return `counts when it stopped: ${counts} (no audit: the topic was not read back)`;
  return `audit: ${counts} · lost ${a.lost} · duplicated ${a.duplicated} · reordered ${a.reordered}`;
}

/** Settings as "name=value, name=value" for the screen. */
export function settingsText(settings: Readonly<Record<string, unknown>>): string {
  return Object.entries(settings)
    .map(([k, v]) => `${k}=${v === null ? 'null' : typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(', ');
}
