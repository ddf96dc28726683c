// Runs labs for the Labs screen: one at a time, each in its own fresh built-in cluster through the runner (so the
// user's playground is never touched), its progress folded into the labs view the store publishes. A run can be
// stopped (AbortSignal), and closing waits for the runner to clean up its cluster.
import { findLab } from '../labs/catalog.js';
import { runLab as defaultRunLab, type LabReport, type RunLabOptions } from '../labs/runner.js';
import type { Lab } from '../labs/lab-types.js';
import { EMPTY_LABS, labsReducer, settingsText, verdictTitle, type LabRunAction, type LabsView } from './lab-run-view.js';

export type RunLab = (lab: Lab, opts: RunLabOptions) => Promise<LabReport>;

export interface LabRunsOptions {
  /** Where the view goes (the store), on every change. */
  publish: (view: LabsView) => void;
  notify: (level: 'info' | 'ok' | 'error', text: string) => void;
  runLab?: RunLab;
  timeoutMs?: number;
}

export class LabRuns {
  private view: LabsView = EMPTY_LABS;
  private current: { lab: string; abort: AbortController; done: Promise<LabReport> } | null = null;

  constructor(private readonly opts: LabRunsOptions) {}

  get running(): string | null {
    return this.current?.lab ?? null;
  }

  private dispatch(a: LabRunAction): void {
    this.view = labsReducer(this.view, a);
    this.opts.publish(this.view);
  }

  /** Runs the lab as written, or "try this next": the same lab with its suggested settings, or the lab it names. */
  run(name: string, tryNext = false): void {
    const lab = findLab(name);
    if (!lab) return this.opts.notify('error', `no lab named ${name}`);
    if (this.current) return this.opts.notify('error', `lab ${this.current.lab} is running: x stops it first`);
    if (!tryNext) return this.start(lab, undefined);
    const next = lab.tryNext;
    if (next.settings && Object.keys(next.settings).length > 0) return this.start(lab, next.settings);
    const other = next.lab ? findLab(next.lab) : undefined;
    if (other) return this.start(other, undefined);
    this.opts.notify('info', `"try this next" for ${lab.name} is not a producer setting: ${next.text}`);
  }

  private start(lab: Lab, settings: RunLabOptions['settings']): void {
    const abort = new AbortController();
    const overrides = settings ? settingsText(settings) : null;
    const acksZero = ({ ...lab.settings, ...settings } as { acks?: unknown }).acks === 0;
    this.dispatch({ t: 'start', lab: lab.name, steps: lab.steps.length, overrides, acksZero });
    this.opts.notify('info', `running lab ${lab.name}${overrides ? ` with ${overrides}` : ''} in a fresh built-in cluster: x stops it`);
    const run = this.opts.runLab ?? defaultRunLab;
    const done = run(lab, {
      settings,
      signal: abort.signal,
      timeoutMs: this.opts.timeoutMs,
      onProgress: (e) => this.dispatch({ t: 'progress', lab: lab.name, e }),
    });
    this.current = { lab: lab.name, abort, done };
    void done.then(
      (report) => {
        if (this.current?.done === done) this.current = null;
        const contrast = verdictTitle(report) === 'CONTRAST';
        const level = contrast ? 'info' : report.status === 'passed' ? 'ok' : report.status === 'failed' || report.status === 'error' ? 'error' : 'info';
        const what = contrast ? `with ${overrides} (try this next), the contrast` : report.status === 'passed' ? 'PASSED' : report.status;
        // An aborted report's observed text already says it stopped, and why.
        this.opts.notify(level, report.status === 'aborted' ? `lab ${lab.name}: ${report.observed}` : `lab ${lab.name}: ${what}: ${report.observed}`);
      },
      (e: unknown) => {
        // runLab never rejects; this guards a replacement that does.
        if (this.current?.done === done) this.current = null;
        this.opts.notify('error', `lab ${lab.name}: ${e instanceof Error ? e.message : String(e)}`);
      },
    );
  }

  abort(): void {
    const c = this.current;
    if (!c) return this.opts.notify('info', 'no lab is running');
    this.dispatch({ t: 'stopping', lab: c.lab });
    c.abort.abort(new Error('x pressed'));
  }

  /** Stops a running lab and waits for its cleanup (quitting the app). */
  async close(): Promise<void> {
    const c = this.current;
    if (!c) return;
    c.abort.abort(new Error('the app is quitting'));
    await c.done.catch(() => {});
  }
}

