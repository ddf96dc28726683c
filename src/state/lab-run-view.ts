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
  | { t: 'start'; lab: string; steps: number; overrides: string | null }
  | { t: 'stopping'; lab: string }
  | { t: 'progress'; lab: string; e: LabProgress };

function updateRun(view: LabsView, lab: string, fn: (r: LabRunView) => LabRunView): LabsView {
  const run = view.runs[lab];
  return run ? { ...view, runs: { ...view.runs, [lab]: fn(run) } } : view;
}

export function labsReducer(view: LabsView, a: LabRunAction): LabsView {
  switch (a.t) {
    case 'start':
      return {
        running: a.lab,
        runs: {
          ...view.runs,
          [a.lab]: { lab: a.lab, overrides: a.overrides, running: true, stopping: false, phase: 'starting', steps: new Array<StepState>(a.steps).fill('pending'), counts: EMPTY_COUNTS, log: [], report: null },
        },
      };
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
    case 'done':
      return { ...r, running: false, stopping: false, phase: `done in ${(e.report.durationMs / 1000).toFixed(1)} s`, report: e.report };
  }
}

/** The verdict as a headline: PASSED, NOT AS CLAIMED, or why there is no verdict. */
export function verdictTitle(report: LabReport): string {
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

/** Settings as "name=value, name=value" for the screen. */
export function settingsText(settings: Readonly<Record<string, unknown>>): string {
  return Object.entries(settings)
    .map(([k, v]) => `${k}=${v === null ? 'null' : typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(', ');
}
