/**
 * The record workload behind "send N", "produce continuously at R records per second", the labs and the bench:
 * generates records from a RecordSpec, stamps each with the audit stamp (run id, sequence) and hands it to
 * the engine, keeping the run's ledger for the delivery audit.
 *
 * Sends are capped: at most `maxOutstanding` records await their report, and none are issued while the engine
 * has appends waiting for buffer.memory. "send N" then simply waits to issue the rest. The continuous rate
 * does not queue what it could not issue: those records are counted as behindSchedule and skipped, so a
 * producer that cannot keep up shows it instead of growing an invisible backlog.
 */
import { systemClock, type Clock, type TimerHandle } from '../../wire/clock.js';
import type { BatchDelivery, DeliveryReport } from '../producer/engine-types.js';
import { RecordGenerator, type RecordSpec } from './record-generator.js';
import { RecordIssuer } from './record-issuer.js';
import { IssueRoom } from './issue-room.js';
import { ReportListeners, type BatchListener, type RecordListener } from './report-listeners.js';
import { Outcome, RunLedger, type KeyLedger } from './run-ledger.js';
import { checkRate, TokenBucket } from './token-bucket.js';
import type { WorkloadRecord, SendJob, SendNOptions, WorkloadEngine, WorkloadOptions, WorkloadStats } from './workload-types.js';

export type { KeySpec, RecordSpec, ValueFormat } from './record-generator.js';
export type { SendNOptions, WorkloadEngine, WorkloadOptions, WorkloadStats } from './workload-types.js';

const DEFAULT_MAX_OUTSTANDING = 10_000;
/**
 * The rate's timer: the simulated application hands its records to the producer in one burst per tick, as a
 * service draining a queue or a poll loop does. At least 25 ms apart (at most 40 bursts a second: each burst is a
 * wakeup of the app, the Sender, the cluster and the answer, the app's main CPU cost at 1,000 records/s); below 40
 * records/s one record per tick, so a slow rate does not wake the app for nothing; at most 250 ms, so a changed rate
 * shows soon. A batch holds at least one burst: linger.ms under the tick changes a record's wait, not the batch size.
 */
const MIN_TICK_MS = 25;
const MAX_TICK_MS = 250;
/** Records issued between two looks at the engine's waiting appends (capacity()). */
const ISSUE_CHUNK = 256;

export class Workload {
  readonly ledger: RunLedger;
  private readonly clock: Clock;
  private readonly maxOutstanding: number;
  private readonly room: IssueRoom;
  private readonly fixedTickMs: number | undefined;
  private readonly listeners = new ReportListeners();
  private readonly issuer: RecordIssuer;
  private readonly jobs = new Set<SendJob>();
  private idleWaiters: (() => void)[] = [];
  private acked = 0;
  private failed = 0;
  private outstanding = 0;
  private behindSchedule = 0;
  private rate: TokenBucket | null = null;
  private timer: TimerHandle | null = null;
  private warmed: Promise<void> | null = null;
  private pumpQueued = false;

  private constructor(
    private readonly engine: WorkloadEngine,
    private generator: RecordGenerator,
    private readonly options: WorkloadOptions,
  ) {
    this.clock = options.clock ?? systemClock;
    this.maxOutstanding = options.maxOutstanding ?? DEFAULT_MAX_OUTSTANDING;
    this.room = new IssueRoom(engine, this.clock, this.maxOutstanding);
    this.fixedTickMs = options.tickMs;
    this.ledger = new RunLedger(generator.spec.topic, options.runId);
    this.issuer = new RecordIssuer(engine, this.ledger, this.clock, generator, {
      batch: (d) => this.settledBatch(d),
      report: (r, rec) => this.settled(rec as WorkloadRecord, r),
      settled: (rec, report, error, reuse) => this.settled(rec, report, error, reuse),
    });
  }

  /** Checks the spec first: every problem comes back as a message, and nothing is created. */
  static create(engine: WorkloadEngine, spec: RecordSpec, options: WorkloadOptions = {}): { ok: true; workload: Workload } | { ok: false; errors: string[] } {
    const max = options.maxOutstanding ?? DEFAULT_MAX_OUTSTANDING;
    if (!Number.isInteger(max) || max < 1) return { ok: false, errors: [`maxOutstanding must be a whole number 1 or more; got ${max}`] };
    const compiled = RecordGenerator.compile(spec, options);
    if (!compiled.ok) return compiled;
    return { ok: true, workload: new Workload(engine, compiled.generator, options) };
  }

  get runId(): string {
    return this.ledger.runId;
  }

  get spec(): RecordSpec {
    return this.generator.spec;
  }

  /** Changes keys, values or size for the records still to come; the topic is fixed for a run (its ledger). */
  respec(change: Partial<Omit<RecordSpec, 'topic'>>): { ok: true } | { ok: false; errors: string[] } {
    const compiled = RecordGenerator.compile({ ...this.generator.spec, ...change }, this.options);
    if (!compiled.ok) return compiled;
    this.generator = compiled.generator;
    this.issuer.use(compiled.generator);
    return { ok: true };
  }

  /** Every delivery report of this workload, as it arrives, with the record's key and audit sequence; returns the unsubscribe function. */
  onReport(fn: RecordListener): () => void {
    return this.listeners.onReport(fn);
  }

  /** The reports a batch at a time: no report object unless report(i) is asked; record(i) valid during the call only. */
  onBatch(fn: BatchListener): () => void {
    return this.listeners.onBatch(fn);
  }

  /**
   * Sends n records and resolves with their reports in issue order (none for records skipped as invalid
   * JSON: stats().invalid counts them). stop() ends it early with the reports so far.
   */
  async sendN(n: number, options: SendNOptions = {}): Promise<DeliveryReport[]> {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`the number of records must be a whole number 0 or more; got ${n}`);
    const rate = options.ratePerSec;
    if (rate !== undefined) {
      const problem = checkRate(rate);
      if (problem) throw new RangeError(problem);
    }
    await this.warmUp();
    if (n === 0) return [];
    return new Promise<DeliveryReport[]>((resolve) => {
      const job: SendJob = {
        remaining: n,
        unsettled: 0,
        owed: 0,
        bucket: rate === undefined ? null : new TokenBucket(rate, this.clock.now()),
        reports: options.collect === false ? null : [],
        resolve,
      };
      this.jobs.add(job);
      this.pump();
      this.arm();
    });
  }

  /** Produces continuously at `ratePerSec` until stop(); calling it again changes the rate. */
  startRate(ratePerSec: number): void {
    const problem = checkRate(ratePerSec);
    if (problem) throw new RangeError(problem);
    if (this.rate) {
      this.rate.setRate(ratePerSec, this.clock.now());
      // The tick's period follows the rate: a faster rate must not wait out a slow rate's long tick.
      if (this.timer !== null) {
        this.disarm();
        this.arm();
      }
      return;
    }
    this.rate = new TokenBucket(ratePerSec, this.clock.now());
    void this.warmUp().then(() => {
      this.tick();
      this.arm();
    });
  }

  /** Changes the continuous rate live (0 pauses it); starts it when it is not running. */
  setRate(ratePerSec: number): void {
    this.startRate(ratePerSec);
  }

  /** Stops the continuous rate, and ends running sendN calls without issuing the rest. Issued records still report. */
  stop(): void {
    this.rate = null;
    for (const job of this.jobs) {
      job.remaining = 0;
      this.finishIfDone(job);
    }
    this.disarm();
    if (this.isIdle()) for (const w of this.idleWaiters.splice(0)) w();
  }

  /** Resolves once nothing is being issued and every issued record has its report. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  stats(): WorkloadStats {
    return {
      runId: this.runId,
      topic: this.generator.spec.topic,
      issued: this.issuer.issued,
      acked: this.acked,
      failed: this.failed,
      outstanding: this.outstanding,
      maxOutstanding: this.maxOutstanding,
      behindSchedule: this.behindSchedule,
      invalid: this.issuer.invalid,
      lastInvalid: this.issuer.lastInvalid,
      oversize: this.issuer.oversize,
      ratePerSec: this.rate ? this.rate.ratePerSec : null,
      activeSends: this.jobs.size,
    };
  }

  // ---- internals ----------------------------------------------------------------------------------------
  private warmUp(): Promise<void> {
    const topic = this.generator.spec.topic;
    this.warmed ??= (this.engine.partitionsReady?.(topic) ?? this.engine.partitionsFor?.(topic) ?? Promise.resolve()).then(
      () => {},
      // The sends themselves will report the problem (e.g. the topic does not exist), one report each.
      () => {},
    );
    return this.warmed;
  }

  /** How many records may be issued now. */
  private capacity(): number {
    return this.room.capacity(this.outstanding);
  }

  /** Issues what sendN jobs may issue now, oldest job first. */
  private pump(): void {
    for (const job of this.jobs) {
      if (job.bucket) job.owed += job.bucket.take(this.clock.now());
      // In chunks: the capacity is looked at again every ISSUE_CHUNK records, not per record.
      for (let n = this.dueNow(job); n > 0; n = this.dueNow(job)) {
        job.remaining -= n;
        if (job.bucket) job.owed -= n;
        this.outstanding += this.issuer.issue(job, n);
      }
      // A rate owes nothing beyond what is left to send.
      if (job.bucket) job.owed = Math.min(job.owed, job.remaining);
      this.finishIfDone(job);
      if (this.capacity() === 0) break;
    }
  }

  /** How many of `job`'s records to issue now, at most ISSUE_CHUNK. */
  private dueNow(job: SendJob): number {
    if (job.remaining <= 0) return 0;
    const due = job.bucket ? Math.min(job.owed, job.remaining) : job.remaining;
    return due <= 0 ? 0 : Math.min(due, this.capacity(), ISSUE_CHUNK);
  }

  /** One continuous-rate step: what is due and cannot be issued now is skipped and counted. */
  private tick(): void {
    this.pump();
    if (!this.rate) return;
    const due = this.rate.take(this.clock.now());
    let sent = 0;
    // In chunks, as pump(): the capacity is looked at again every ISSUE_CHUNK records.
    for (let n = Math.min(due, this.capacity(), ISSUE_CHUNK); n > 0; n = Math.min(due - sent, this.capacity(), ISSUE_CHUNK)) {
      this.outstanding += this.issuer.issue(null, n);
      sent += n;
    }
    this.behindSchedule += due - sent;
  }

  /** `reuse`: the engine is done with the record (its produce() contract), so the object can serve a later one. */
  private settled(rec: WorkloadRecord, report: DeliveryReport | null, error?: unknown, reuse = report !== null): void {
    this.outstanding--;
    const job = rec.job;
    if (report) {
      this.ledger.settleIn(rec.keyLedger!, rec.sequence, report);
      if (report.error) this.failed++;
      else this.acked++;
      if (job?.reports) job.reports[rec.slot] = report;
      this.listeners.single(report, rec, rec.keyText, rec.sequence);
    } else {
      // Only an engine breaking its never-rejects contract gets here: count it, keep going.
      this.failed++;
      this.issuer.lastInvalid = `send failed without a report: ${(error as Error)?.message ?? String(error)}`;
    }
    this.release(rec, job, reuse);
    this.afterReports();
  }

  /**
   * settled() for a batch report: its records settled in the ledger and released in one loop, a report object only
   * where wanted, each send job told once per batch.
   */
  private settledBatch(d: BatchDelivery): void {
    const { listeners, ledger } = this;
    const issuer = this.issuer;
    listeners.batch(d);
    const acked = d.error === null;
    const outcome = acked ? Outcome.Acked : Outcome.Failed;
    const wantReports = listeners.wantRecords;
    const n = d.count;
    // Counted once per batch: its records share one outcome.
    this.outstanding -= n;
    if (acked) this.acked += n;
    else this.failed += n;
    let settled = 0;
    let lastSettled = -1;
    let job: SendJob | null = null;
    for (let i = 0; i < n; i++) {
      const rec = d.record(i) as WorkloadRecord;
      const seq = rec.sequence;
      if (ledger.mark(rec.keyLedger as KeyLedger, seq, outcome)) {
        settled++;
        lastSettled = i;
      }
      const recJob = rec.job;
      if (recJob !== null) {
        if (recJob.reports !== null) recJob.reports[rec.slot] = d.report(i);
        recJob.unsettled--;
        if (recJob !== job && job !== null) this.finishIfDone(job);
        job = recJob;
      }
      if (wantReports) listeners.record(d.report(i), rec.keyText, seq);
      issuer.recycle(rec);
    }
    ledger.settledMany(settled, acked);
    if (acked && lastSettled >= 0 && d.baseOffset !== null) ledger.ackedAt(d.partition, d.baseOffset + lastSettled);
    if (job !== null) this.finishIfDone(job);
    this.afterReports();
  }

  /** A reported record: its object kept for a later one (when `reuse`), its job told. */
  private release(rec: WorkloadRecord, job: SendJob | null, reuse: boolean): void {
    if (reuse) this.issuer.recycle(rec);
    if (job) {
      job.unsettled--;
      this.finishIfDone(job);
    }
  }

  private afterReports(): void {
    this.pumpSoon();
    if (this.isIdle()) for (const w of this.idleWaiters.splice(0)) w();
  }

  /**
   * A finished batch reports all its records at once: issue the freed room once after them (a microtask later),
   * not one record per report from inside the engine's reporting loop.
   */
  private pumpSoon(): void {
    if (this.pumpQueued || this.jobs.size === 0) return;
    this.pumpQueued = true;
    queueMicrotask(() => {
      this.pumpQueued = false;
      this.pump();
    });
  }

  private finishIfDone(job: SendJob): void {
    if (job.remaining > 0 || job.unsettled > 0 || !this.jobs.has(job)) return;
    this.jobs.delete(job);
    // Stopped early: slots of records never issued do not exist; slots of issued ones are all filled.
    job.resolve(job.reports ?? []);
    if (this.jobs.size === 0 && !this.rate) this.disarm();
  }

  private isIdle(): boolean {
    return this.outstanding === 0 && this.jobs.size === 0 && this.rate === null;
  }

  /** The tick timer runs while a rate is active: unref'd for the continuous rate, ref'd while a rated sendN waits. */
  private arm(): void {
    if (this.timer !== null) return;
    let ratedJob = false;
    for (const j of this.jobs) if (j.bucket) ratedJob = true;
    if (this.rate === null && !ratedJob) return;
    this.timer = this.clock.setTimeout(this.onTick, this.tickMs());
    if (!ratedJob) (this.timer as { unref?: () => void }).unref?.();
  }

  /** The period for the fastest rate running: one record per tick when slow, MIN_TICK_MS..MAX_TICK_MS. */
  private tickMs(): number {
    if (this.fixedTickMs !== undefined) return this.fixedTickMs;
    let fastest = this.rate?.ratePerSec ?? 0;
    for (const j of this.jobs) if (j.bucket) fastest = Math.max(fastest, j.bucket.ratePerSec);
    return fastest > 0 ? Math.min(MAX_TICK_MS, Math.max(MIN_TICK_MS, 1000 / fastest)) : MAX_TICK_MS;
  }

  private readonly onTick = (): void => void ((this.timer = null), this.tick(), this.arm());

  private disarm(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
  }
}
