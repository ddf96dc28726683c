// Delivery reports per batch (BatchDelivery): a finished batch's records reported in one call, their per-record
// figures read off the batch, and a DeliveryReport object made only for the records someone asks about.
import { deliveryReport } from './delivery-log.js';
import type { BatchDelivery, DeliveryError, DeliveryReport, OutgoingRecord } from './engine-types.js';

/** What a batch report reads of each record: the engine's own copy of its fields, and the caller's object. */
export interface DeliveredRecord {
  readonly topic: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: OutgoingRecord['headers'];
  readonly keyPreview?: string | null;
  readonly valuePreview?: string;
  readonly id: number;
  /** performance.now() at produce. */
  readonly started: number;
  /** The caller's record (which the caller may reuse once reported, so reports never read it later). */
  readonly source: OutgoingRecord;
}

/** Records start .. start+count-1 of a finished batch. */
export class BatchReports implements BatchDelivery {
  private reports: DeliveryReport[] | null = null;

  constructor(
    private readonly records: readonly DeliveredRecord[],
    private readonly start: number,
    readonly count: number,
    readonly topic: string,
    readonly partition: number,
    readonly baseOffset: number | null,
    readonly attempts: number,
    readonly error: DeliveryError | null,
    /** performance.now() and Date.now() when the batch finished. */
    private readonly now: number,
    private readonly at: number,
    /** A delivery timeout: each record's error says how long that record waited (see RecordFlow.reportBatch). */
    private readonly ownWait = false,
  ) {}

  record(i: number): OutgoingRecord {
    return this.records[this.start + i].source;
  }

  latencyMs(i: number): number {
    return this.now - this.records[this.start + i].started;
  }

  bytes(i: number): number {
    const r = this.records[this.start + i];
    return (r.key?.length ?? 0) + (r.value?.length ?? 0);
  }

  /** Made once per record, then the same object (the delivery log and a listener see one report). */
  report(i: number): DeliveryReport {
    const reports = (this.reports ??= new Array<DeliveryReport>(this.count));
    return (reports[i] ??= this.made(i));
  }

  private made(i: number): DeliveryReport {
    const r = this.records[this.start + i];
    const err = this.error;
    const e = err && this.ownWait ? { ...err, message: `${err.message}; this record waited ${Math.round(this.now - r.started)} ms` } : err;
    const offset = this.baseOffset === null ? null : this.baseOffset + i;
    return deliveryReport(r, r.id, r.started, this.partition, offset, this.attempts, e, this.now, this.at);
  }
}

/** One record's report as a batch of one: a record that failed before it joined a batch, or a per-record engine's. */
export class OneRecordDelivery implements BatchDelivery {
  readonly count = 1;

  constructor(
    private readonly r: DeliveryReport,
    private readonly rec: OutgoingRecord,
  ) {}

  get topic(): string {
    return this.r.topic;
  }

  get partition(): number {
    return this.r.partition;
  }

  get baseOffset(): number | null {
    return this.r.offset;
  }

  get error(): DeliveryError | null {
    return this.r.error;
  }

  get attempts(): number {
    return this.r.attempts;
  }

  record(): OutgoingRecord {
    return this.rec;
  }

  latencyMs(): number {
    return this.r.latencyMs;
  }

  bytes(): number {
    return this.r.bytes;
  }

  report(): DeliveryReport {
    return this.r;
  }
}
