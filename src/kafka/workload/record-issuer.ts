// The workload's issuing side: generated records stamped with the run's audit stamp and handed to the engine, a
// run of records per call. A record costs no result object, no header objects and, once the first reports are in,
// no record object of its own: reported records' objects serve the next ones (the engine keeps none after its
// report), and a key like the last record's shares its bytes and its ledger.
import type { Clock } from '../../wire/clock.js';
import type { BatchDelivery, DeliveryReport, HeaderEntry, OutgoingRecord } from '../producer/engine-types.js';
import type { GeneratedSlot, RecordGenerator, RecordSpec } from './record-generator.js';
import type { KeyLedger, RunLedger } from './run-ledger.js';
import { WorkloadRecord, type SendJob, type WorkloadEngine } from './workload-types.js';

/** Where the records' reports go: the workload's settling. */
export interface IssueSinks {
  batch(d: BatchDelivery): void;
  report(r: DeliveryReport, rec: OutgoingRecord): void;
  /** A record without a report: the engine threw (`reuse` false), or send()'s promise settled. */
  settled(rec: WorkloadRecord, report: DeliveryReport | null, error?: unknown, reuse?: boolean): void;
}

/** A key's bytes and ledger, kept for the records after it with the same key text. */
interface IssuedKey {
  readonly text: string | null;
  readonly bytes: Buffer | null;
  readonly ledger: KeyLedger;
}

export class RecordIssuer {
  /** Reported records' objects, for the next ones (at most maxOutstanding). */
  private readonly spare: WorkloadRecord[] = [];
  issued = 0;
  invalid = 0;
  lastInvalid: string | null = null;
  oversize = 0;
  private nextSeq = 0;
  private generator!: RecordGenerator;
  /** Every record's headers before its sequence header: the spec's, then the run header; shared, never changed. */
  private headers: readonly HeaderEntry[] = [];
  /** The record being generated: refilled per record. */
  private readonly slot: GeneratedSlot = { key: null, value: null, oversize: false };
  /** The last key's: the same key text as the last record's (a fixed key, the null key) needs no bytes or lookup. */
  private lastKey: IssuedKey | null = null;
  private readonly onBatch: (d: BatchDelivery) => void;
  private readonly onReport: (r: DeliveryReport, rec: OutgoingRecord) => void;

  constructor(
    private readonly engine: WorkloadEngine,
    private readonly ledger: RunLedger,
    private readonly clock: Clock,
    generator: RecordGenerator,
    private readonly sinks: IssueSinks,
  ) {
    this.use(generator);
    this.onBatch = (d) => sinks.batch(d);
    this.onReport = (r, rec) => sinks.report(r, rec);
  }

  /** A reported record's object, kept for a later record (the engine holds none of it after its report). */
  recycle(rec: WorkloadRecord): void {
    rec.key = null;
    rec.job = null;
    this.spare.push(rec);
  }

  /** Generates the records still to come with `generator` (a respec). */
  use(generator: RecordGenerator): void {
    this.generator = generator;
    this.headers = this.headersFor(generator.spec);
  }

  private headersFor(spec: RecordSpec): readonly HeaderEntry[] {
    return spec.headers ?? [];
  }

  /**
   * Generates and sends `n` records for `job` (null: the continuous rate); those whose JSON broke are counted as
   * invalid instead. Returns how many went to the engine. What every record of the run shares (spec, headers, the
   * time) is read once.
   */
  issue(job: SendJob | null, n: number): number {
    const { generator, ledger, slot, spare, engine, headers } = this;
    const { topic, partition } = generator.spec;
    // Records issued together share their time ({{now}}, {{ts}}): they are issued in the same turn.
    const nowMs = generator.usesTime ? this.clock.now() : 0;
    const reports = job === null ? null : job.reports;
    let sent = 0;
    for (let i = 0; i < n; i++) {
      const seq = this.nextSeq++;
      const problem = generator.fill(slot, seq, nowMs);
      if (problem !== null) {
        this.invalid++;
        this.lastInvalid = problem;
        continue;
      }
      if (slot.oversize) this.oversize++;
      const keyText = slot.key;
      const key = this.lastKey !== null && this.lastKey.text === keyText ? this.lastKey : this.keyOf(keyText);
      const keyLedger = key.ledger;
      const rec = spare.pop() ?? new WorkloadRecord(ledger.stamp);
      rec.topic = topic;
      rec.key = key.bytes;
      rec.value = slot.value;
      rec.headers = headers;
      rec.sequence = ledger.takeIn(keyLedger);
      rec.partition = partition;
      rec.keyText = keyText;
      rec.keyLedger = keyLedger;
      rec.job = job;
      // The report's slot, kept in issue order.
      rec.slot = reports === null ? -1 : reports.push(null as unknown as DeliveryReport) - 1;
      if (job !== null) job.unsettled++;
      this.issued++;
      sent++;
      if (engine.produceBatched === undefined && engine.produce === undefined) {
        this.sendOne(rec);
        continue;
      }
      try {
        if (engine.produceBatched !== undefined) engine.produceBatched(rec, this.onBatch);
        else engine.produce!(rec, this.onReport);
      } catch (e) {
        // No report: an engine that threw may still hold the record, so it is not reused.
        queueMicrotask(() => this.sinks.settled(rec, null, e, false));
      }
    }
    return sent;
  }

  /** The bytes and ledger of a key unlike the last record's. */
  private keyOf(text: string | null): IssuedKey {
    const key: IssuedKey = { text, bytes: text === null ? null : Buffer.from(text, 'utf8'), ledger: this.ledger.keyLedger(text) };
    this.lastKey = key;
    return key;
  }

  /** An engine with send() only: a promise per record. */
  private sendOne(rec: WorkloadRecord): void {
    this.engine.send(rec).then(
      (report) => this.sinks.settled(rec, report, undefined, false),
      (e: unknown) => this.sinks.settled(rec, null, e, false),
    );
  }
}
