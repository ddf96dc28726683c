// The live delivery audit for the session: one LiveAudit per topic, following the Produce screen's run (a new
// workload is a new run, counted from zero), published into the store twice a second, with a chart marker at
// the moment the run's first lost, first duplicated and first reordered record appears.
import type { ClientTarget } from '../kafka/cluster/clients.js';
import { LiveAudit, type FindingKind } from '../kafka/workload/live-audit.js';
import type { IsolationLevel } from '../kafka/workload/topic-reader.js';
import type { Workload } from '../kafka/workload/workload.js';
import type { AppStore } from './store/app-store.js';

const PUBLISH_MS = 500;

export class LiveAuditFeed {
  private audit: LiveAudit | null = null;
  private run: Workload | null = null;
  private stopReports: (() => void) | null = null;
  private stopFindings: (() => void) | null = null;
  private firsts = new Set<FindingKind>();
  private timer: NodeJS.Timeout | null = null;
  private lastShown = '';

  constructor(
    private readonly store: AppStore,
    private readonly target: ClientTarget,
  ) {}

  get isolation(): IsolationLevel | null {
    return this.audit?.isolation ?? null;
  }

  /** Tails `topic` from its current end (a topic change or a new connection starts a new audit). */
  start(topic: string, isolation: IsolationLevel): void {
    void this.audit?.close();
    this.stopFindings?.();
    const audit = new LiveAudit({ target: this.target, topic, isolation });
    this.audit = audit;
    this.stopFindings = audit.onFinding((f) => {
      if (this.firsts.has(f.kind)) return;
      this.firsts.add(f.kind);
      this.store.addMarker('audit', `first ${f.kind}: key ${f.key} seq ${f.seq}, partition ${f.partition}`);
    });
    void audit.start();
    if (this.run && this.run.spec.topic === topic) this.attach(this.run);
    this.timer ??= setInterval(() => this.publish(), PUBLISH_MS);
    this.timer.unref();
    this.publish();
  }

  /** A transaction was aborted: its records are not lost (read_committed never shows them). */
  transactionAborted(): void {
    this.audit?.transactionAborted();
  }

  /** The Produce screen's run: audited from now on, counts from zero. */
  track(run: Workload): void {
    if (run === this.run) return;
    this.run = run;
    this.attach(run);
  }

  private attach(run: Workload): void {
    const audit = this.audit;
    this.stopReports?.();
    this.stopReports = null;
    if (!audit || run.spec.topic !== audit.topic) return;
    this.firsts = new Set();
    audit.track(run.ledger);
    this.stopReports = run.onReport((r, key, seq) => audit.settled(r, key, seq));
  }

  private publish(): void {
    const audit = this.audit;
    if (!audit) return;
    const view = audit.view();
    const findings = audit.findings();
    const shown = `${JSON.stringify(view)}|${findings.length}`;
    if (shown === this.lastShown) return;
    this.lastShown = shown;
    this.store.setLiveAudit(view, findings);
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.stopReports?.();
    this.stopFindings?.();
    await this.audit?.close();
  }
}
