// Runs one lab from start to verdict: opens its cluster (a fresh sandbox unless brokers are given), creates its
// topic under a unique name, starts the engine and the workload, runs the script, audits what was written,
// computes the metrics and the verdict, and cleans everything up on every path (done, failed, aborted, timed out)
// before the final 'done' event. Progress events let the TUI draw a guided panel; onStart hands it the live
// engine to attach its store to.
import { randomUUID } from 'node:crypto';
import type { ClusterControl } from '../kafka/cluster/cluster-control.js';
import { auditDelivery, auditSummary, type AuditResult } from '../kafka/workload/delivery-audit.js';
import { ProducerEngine } from '../kafka/producer/producer-engine.js';
import { Workload } from '../kafka/workload/workload.js';
import type { ProducerSettings } from '../kafka/producer/config/settings.js';
import { describeClusterEvent, type ClusterEvent, type ClusterHandle, type ContainerTarget, type SandboxControl } from '../kafka/cluster/cluster-handle.js';
import type { ConnectionSecurity } from '../kafka/cluster/connection-config.js';
import { assertReachable, openCluster } from '../kafka/cluster/open-cluster.js';
import { abortReason, createLabContext, LabAbortedError } from './lab-context.js';
import { labMetrics, MetricsTracker } from './lab-metrics.js';
import { cannotRunReason, realClusterCaveat } from './lab-requirements.js';
import type { Lab, LabMetrics, LabStep, LogLevel, TryNext } from './lab-types.js';
import { plural } from '../kafka/producer/plural.js';

export type LabStatus = 'passed' | 'failed' | 'cannot-run' | 'error' | 'aborted';

/** The lab JSON report plus what the text report and the TUI show. */
export interface LabReport {
  lab: string;
  title: string;
  status: LabStatus;
  passed: boolean;
  expected: string;
  observed: string;
  /** The settings the lab applies (with the caller's overrides), by Kafka name. */
  settings: Record<string, unknown>;
  /** Settings the caller changed from the lab's own: the verdict then tests the change, not the lesson. */
  overrides: Record<string, unknown> | null;
  audit: Pick<AuditResult, 'sent' | 'acked' | 'failed' | 'lost' | 'duplicated' | 'reordered'>;
  metrics: LabMetrics;
  cluster: { kind: 'sandbox' | 'real' | null; label: string | null };
  /** Said when the outcome on this cluster cannot be guaranteed. */
  caveat: string | null;
  tryNext: TryNext;
  details: unknown;
  durationMs: number;
}

export type LabPhase = 'cluster' | 'topic' | 'engine' | 'script' | 'audit' | 'cleanup';

export type LabProgress =
  | { t: 'phase'; phase: LabPhase; text: string }
  | { t: 'step'; index: number; id: string; text: string; state: 'started' | 'done' }
  | { t: 'log'; level: LogLevel; source: 'lab' | 'cluster'; text: string }
  | { t: 'counts'; sent: number; acked: number; failed: number; retries: number; requests: number; waitingAppends: number; inFlightRequests: number }
  | { t: 'done'; report: LabReport };

/** What the TUI can attach to while the lab runs. */
export interface LabLive {
  engine: ProducerEngine;
  workload: Workload;
  topic: string;
  clusterLabel: string;
  control: ClusterControl | null;
  sandbox: SandboxControl | null;
}

export interface RunLabOptions {
  /** A real cluster's bootstrap servers; the built-in cluster when absent. */
  brokers?: string[];
  /** TLS and SASL for the real cluster (--tls, --sasl-mechanism...). */
  security?: ConnectionSecurity;
  /** Where the real cluster's containers are (--docker-host, --compose-project). */
  containers?: ContainerTarget;
  /** Settings over the lab's own ("try this next"): phases that set a setting themselves still do. */
  settings?: Partial<ProducerSettings>;
  onProgress?: (e: LabProgress) => void;
  onStart?: (live: LabLive) => void;
  /** Aborting stops the workload, cleans up and resolves with status 'aborted'. */
  signal?: AbortSignal;
  /** Guard for the whole run (default 60 s on the built-in cluster, 180 s on a real one): past it the run aborts. */
  timeoutMs?: number;
  /** How often 'counts' progress events are sent (default 200 ms). */
  countsIntervalMs?: number;
}

type Outcome = Omit<LabReport, 'lab' | 'title' | 'expected' | 'settings' | 'overrides' | 'tryNext' | 'durationMs'>;

const EMPTY_AUDIT = { sent: 0, acked: 0, failed: 0, lost: 0, duplicated: 0, reordered: 0 };
const EMPTY_METRICS: LabMetrics = { recordsPerSec: 0, latencyMs: { p50: 0, p99: 0 }, retries: 0, errors: 0, requests: 0, recordsPerRequest: 0 };
const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Resolves when p settles or after ms, whichever comes first (the timer does not outlive it). */
function within(p: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p.then(() => {}), new Promise<void>((r) => (timer = setTimeout(r, ms)))]).finally(() => clearTimeout(timer));
}

/** Runs a lab; never rejects: failures of any kind come back as a report with their status. */
export async function runLab(lab: Lab, opts: RunLabOptions = {}): Promise<LabReport> {
  const started = performance.now();
  const run = new LabRun(lab, opts);
  let outcome: Outcome;
  try {
    outcome = await run.execute();
  } catch (e) {
    const stopped = e instanceof LabAbortedError && !run.timedOut;
    outcome = run.problem(stopped ? 'aborted' : 'error', stopped ? `stopped before the verdict: ${errorText(e)}` : `the lab could not finish: ${errorText(e)}`);
  } finally {
    await run.cleanup();
  }
  // The design's fields first, in its order; the extras after.
  const report: LabReport = {
    lab: lab.name,
    passed: outcome.passed,
    expected: lab.expected,
    observed: outcome.observed,
    settings: { ...lab.settings, ...opts.settings },
    audit: outcome.audit,
    metrics: outcome.metrics,
    title: lab.title,
    status: outcome.status,
    overrides: opts.settings && Object.keys(opts.settings).length > 0 ? { ...opts.settings } : null,
    cluster: outcome.cluster,
    caveat: outcome.caveat,
    tryNext: lab.tryNext,
    details: outcome.details,
    durationMs: Math.round(performance.now() - started),
  };
  run.emit({ t: 'done', report });
  return report;
}

/** One run's resources, so cleanup can release exactly what was acquired. */
class LabRun {
  private readonly abort = new AbortController();
  private readonly aborted: Promise<never>;
  private readonly guard: NodeJS.Timeout;
  private readonly onOuterAbort = () => this.abort.abort(this.opts.signal?.reason ?? 'the lab was stopped');
  private readonly topic: string;
  private env: ClusterHandle | null = null;
  private engine: ProducerEngine | null = null;
  /** Still opening or starting when an abort came: cleanup waits for them, then releases them. */
  private pending: { env?: Promise<ClusterHandle>; engine?: Promise<ProducerEngine> } = {};
  private workload: Workload | null = null;
  private tracker: MetricsTracker | null = null;
  private countsTimer: NodeJS.Timeout | null = null;
  private offEvents: (() => void) | null = null;
  private topicCreated = false;
  private readonly down = new Map<number, 'start' | 'resume'>();
  private caveat: string | null = null;
  /** The run outlived its time limit (an error, not a stop the caller asked for). */
  timedOut = false;

  constructor(
    private readonly lab: Lab,
    private readonly opts: RunLabOptions,
  ) {
    this.topic = `lab-${lab.name}-${randomUUID().slice(0, 8)}`;
    if (opts.signal?.aborted) this.onOuterAbort();
    opts.signal?.addEventListener('abort', this.onOuterAbort, { once: true });
    // Real brokers take seconds to stop and start again; the sandbox's take milliseconds.
    const timeoutMs = opts.timeoutMs ?? (opts.brokers?.length ? 180_000 : 60_000);
    this.guard = setTimeout(() => {
      this.timedOut = true;
      this.abort.abort(new Error(`it did not finish within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    this.aborted = new Promise<never>((_, reject) => {
      const fail = () => reject(new LabAbortedError(abortReason(this.abort.signal)));
      if (this.abort.signal.aborted) fail();
      else this.abort.signal.addEventListener('abort', fail, { once: true });
    });
    this.aborted.catch(() => {});
  }

  emit(e: LabProgress): void {
    try {
      this.opts.onProgress?.(e);
    } catch {
      // A listener's bug must not break the lab.
    }
  }

  /** Whatever is awaited gives way to an abort. */
  private orAbort<T>(p: Promise<T>): Promise<T> {
    return Promise.race([p, this.aborted]);
  }

  /**
   * A run without a verdict (stopped, failed, cannot run). Its audit keeps the producer's counts as they were
   * (no read-back happened, so lost, duplicated and reordered stay 0: the report's status says there was no audit).
   */
  problem(status: LabStatus, observed: string): Outcome {
    const s = this.workload?.stats();
    return {
      status,
      passed: false,
      observed,
      audit: s ? { ...EMPTY_AUDIT, sent: s.issued, acked: s.acked, failed: s.failed } : EMPTY_AUDIT,
      metrics: EMPTY_METRICS,
      cluster: { kind: this.env?.kind ?? (this.opts.brokers?.length ? 'real' : null), label: this.env?.label ?? null },
      caveat: this.caveat,
      details: null,
    };
  }

  async execute(): Promise<Outcome> {
    const { lab, opts } = this;
    const real = Boolean(opts.brokers?.length);
    const early = cannotRunReason(lab, { real, control: null, checkControl: false });
    if (early) return this.problem('cannot-run', early);

    this.emit({ t: 'phase', phase: 'cluster', text: real ? `connecting to ${opts.brokers!.join(',')}` : 'starting a fresh built-in cluster' });
    this.pending.env = openCluster({
      brokers: opts.brokers,
      sandbox: true,
      sandboxPort: 0,
      sandboxSetup: lab.sandbox,
      containerControl: Boolean(lab.needs.brokerActions),
      security: opts.security,
      containers: opts.containers,
    }).then(async (cluster) => {
      if (cluster.kind === 'real') await assertReachable(cluster).catch(async (e) => (await cluster.close(), Promise.reject(e)));
      return cluster;
    });
    const env = (this.env = await this.orAbort(this.pending.env));
    const late = cannotRunReason(lab, { real: env.kind === 'real', control: env.control, checkControl: true, controlProblem: env.controlProblem });
    if (late) return this.problem('cannot-run', late);
    this.caveat = env.kind === 'real' ? realClusterCaveat(lab) : null;
    if (this.caveat) this.emit({ t: 'log', level: 'warn', source: 'lab', text: this.caveat });

    const events: ClusterEvent[] = [];
    this.offEvents = env.clusterEvents((e) => {
      events.push(e);
      const text = describeClusterEvent(e);
      const warn = e.type === 'truncation' || (e.type === 'election' && (e.lostRecords > 0 || e.unclean));
      if (text) this.emit({ t: 'log', level: warn ? 'warn' : 'info', source: 'cluster', text });
    });

    this.emit({ t: 'phase', phase: 'topic', text: `creating ${this.topic}: ${plural(lab.topic.partitions, 'partition')}, replication ${lab.topic.replicationFactor}` });
    await this.orAbort(env.createTopic(this.topic, lab.topic));
    this.topicCreated = true;

    this.emit({ t: 'phase', phase: 'engine', text: 'starting the producer' });
    this.pending.engine = ProducerEngine.start({ brokers: env.brokers, clientId: `lab-${lab.name}`, settings: { ...lab.settings, ...opts.settings }, ...env.engineOptions });
    const engine = (this.engine = await this.orAbort(this.pending.engine));
    const created = Workload.create(engine, { ...lab.records, topic: this.topic });
    if (!created.ok) throw new Error(`the lab's records are invalid: ${created.errors.join('; ')}`);
    const workload = (this.workload = created.workload);
    const tracker = (this.tracker = new MetricsTracker(engine));
    opts.onStart?.({ engine, workload, topic: this.topic, clusterLabel: env.label, control: env.control, sandbox: env.sandbox });
    this.countsTimer = setInterval(() => this.emitCounts(), opts.countsIntervalMs ?? 200);
    this.countsTimer.unref();

    let current: { step: LabStep; index: number } | null = null;
    const closeStep = () => {
      if (current) this.emit({ t: 'step', index: current.index, id: current.step.id, text: current.step.text, state: 'done' });
      current = null;
    };
    const ctx = createLabContext({
      engine,
      workload,
      topic: this.topic,
      env,
      steps: lab.steps,
      tracker,
      events,
      down: this.down,
      signal: this.abort.signal,
      hooks: {
        step: (step) => {
          closeStep();
          current = { step, index: lab.steps.indexOf(step) };
          this.emit({ t: 'step', index: current.index, id: step.id, text: step.text, state: 'started' });
        },
        log: (text, level) => this.emit({ t: 'log', level, source: 'lab', text }),
      },
    });

    this.emit({ t: 'phase', phase: 'script', text: lab.title });
    const endOverall = tracker.begin();
    const details = await this.orAbort(lab.script(ctx));
    closeStep();
    const overall = endOverall();
    workload.stop();
    // Every issued record has its report by now unless the script left sends behind: those get 5 s.
    await this.orAbort(within(workload.idle(), 5000));
    this.emitCounts();

    this.emit({ t: 'phase', phase: 'audit', text: 'reading the topic back to check every record' });
    const audit = await this.orAbort(auditDelivery(workload.ledger, { brokers: env.brokers, ...env.client.security, settleMs: lab.auditSettleMs ?? 2000, timeoutMs: 20_000 }));
    const metrics = labMetrics(overall);
    const verdict = lab.verdict({ audit, metrics, details, clusterKind: env.kind });
    return {
      status: verdict.passed ? 'passed' : 'failed',
      passed: verdict.passed,
      observed: verdict.observed,
      audit: auditSummary(audit),
      metrics,
      cluster: { kind: env.kind, label: env.label },
      caveat: this.caveat,
      details,
    };
  }

  private emitCounts(): void {
    const { engine, workload } = this;
    if (!engine || !workload) return;
    const s = workload.stats();
    const t = engine.totals();
    let inFlight = 0;
    for (const n of engine.wire.inFlightByBroker().values()) inFlight += n;
    this.emit({ t: 'counts', sent: s.issued, acked: s.acked, failed: s.failed, retries: t.retries, requests: t.requests, waitingAppends: t.waitingAppends, inFlightRequests: inFlight });
  }

  /** Releases everything, whatever happened; never throws. */
  async cleanup(): Promise<void> {
    this.emit({ t: 'phase', phase: 'cleanup', text: 'closing the producer and the cluster' });
    clearTimeout(this.guard);
    this.opts.signal?.removeEventListener('abort', this.onOuterAbort);
    if (this.countsTimer) clearInterval(this.countsTimer);
    this.workload?.stop();
    this.tracker?.close();
    this.offEvents?.();
    const engine = this.engine ?? (await this.pending.engine?.catch(() => null));
    // A send still retrying against a stopped broker must not hold the cleanup: closing the cluster ends it.
    if (engine) await within(engine.close(3000).catch(() => {}), 5000);
    const env = this.env ?? (await this.pending.env?.catch(() => null));
    // A real cluster is the user's: brokers a stopped or failed lab took down are brought back.
    if (env?.kind === 'real' && env.control) {
      for (const [broker, action] of this.down) {
        await within(env.control.act(action, broker, { confirmed: true }).catch(() => {}), 30_000);
      }
    }
    // The topic has a name unique to this run and nobody else uses it: leave the user's cluster as it was.
    if (env?.kind === 'real' && this.topicCreated) await within(env.deleteTopic(this.topic).catch(() => {}), 10_000);
    await env?.close().catch(() => {});
  }
}
