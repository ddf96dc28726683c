// The per-record path of the producer engine: partition, append to the accumulator, and when a batch is done, one
// delivery report per record, in append order, or one batch report per batch for records sent with
// produceBatched. No promise per record: the record object carries its report callback, and a finished batch
// reports all of its records at once.
import type { PlaceResult, RecordAccumulator } from './accumulator/record-accumulator.js';
import { BatchReports, OneRecordDelivery } from './batch-delivery.js';
import { deliveryReport } from './delivery-log.js';
import type { EngineCounters } from './metrics/engine-counters.js';
import type { BatchDelivery, DeliveryError, DeliveryReport, OutgoingRecord, SequenceHeader } from './engine-types.js';
import type { PartitionInfo, Partitioner } from './partitioner.js';
import type { BatchRecord, ProducerBatch } from './accumulator/producer-batch.js';
import { toDeliveryError } from './sender/send-errors.js';
import type { RecordHeader } from './serializers.js';
import type { TransactionManager } from './transaction-manager.js';

/** Gets a record's delivery report, and the record as it was handed in (so one callback can serve many records). */
export type ReportCallback = (r: DeliveryReport, rec: OutgoingRecord) => void;
/** Gets a finished batch's reports for the records sent with produceBatched (see BatchDelivery). */
export type BatchReportCallback = (d: BatchDelivery) => void;
/** A record's callback and whether it takes reports per batch. */
type Sink = ReportCallback | BatchReportCallback;

/**
 * A record on its way: what the accumulator batches and the record batch builder writes, and what its delivery
 * report needs. One object per record; what only the engine reads is private.
 */
class EngineRecord implements BatchRecord {
  readonly #id: number;
  readonly #started: number;
  readonly #source: OutgoingRecord;
  readonly #onReport: Sink;
  readonly #perBatch: boolean;
  readonly sequenceHeader: SequenceHeader | null;
  readonly sequence: number;
  /** The caller's previews, kept here: a batch report is made from this object, not the caller's (reusable) one. */
  readonly keyPreview: string | null | undefined;
  readonly valuePreview: string | undefined;

  constructor(
    readonly topic: string,
    /** Moves only while a sticky append is aborted for a new batch. */
    public partition: number,
    readonly key: Buffer | null,
    readonly value: Buffer | null,
    readonly headers: readonly RecordHeader[],
    readonly timestamp: number,
    id: number,
    started: number,
    source: OutgoingRecord,
    onReport: Sink,
    perBatch: boolean,
  ) {
    this.sequenceHeader = source.sequenceHeader ?? null;
    this.sequence = source.sequence ?? 0;
    this.keyPreview = source.keyPreview;
    this.valuePreview = source.valuePreview;
    this.#id = id;
    this.#started = started;
    this.#source = source;
    this.#onReport = onReport;
    this.#perBatch = perBatch;
  }

  get id(): number {
    return this.#id;
  }

  get started(): number {
    return this.#started;
  }

  get source(): OutgoingRecord {
    return this.#source;
  }

  get onReport(): Sink {
    return this.#onReport;
  }

  get perBatch(): boolean {
    return this.#perBatch;
  }
}

export interface RecordFlowDeps {
  readonly acc: RecordAccumulator;
  readonly partitioner: Partitioner;
  readonly counters: EngineCounters;
  readonly transactions: TransactionManager;
  /** Partitions of a known topic (empty when unknown); partitionsFor fetches them. */
  knownPartitions(topic: string): PartitionInfo[];
  partitionsFor(topic: string): Promise<PartitionInfo[]>;
  /** Every report, before its record's callback: the delivery log and the engine's 'delivery' event. */
  delivered(r: DeliveryReport, rec: OutgoingRecord): void;
  /** The same for an acknowledged batch report (failed ones go through delivered, record by record). */
  deliveredBatch(d: BatchDelivery): void;
}

export class RecordFlow {
  private nextId = 1;
  /** Records waiting for buffer.memory (the accumulator's waiting appends), without building its metrics. */
  waitingForMemory = 0;
  /** produce() calls under way (a callback may send again): reports due inside one wait a tick. */
  private producing = 0;

  constructor(private readonly deps: RecordFlowDeps) {}

  /** One record in: its report goes to onReport once, never before produce() returns. */
  produce(rec: OutgoingRecord, onReport: ReportCallback): void {
    this.start(rec, onReport, false);
  }

  /** produce() with its report in a batch report: onBatch gets one call per finished batch (see BatchDelivery). */
  produceBatched(rec: OutgoingRecord, onBatch: BatchReportCallback): void {
    this.start(rec, onBatch, true);
  }

  private start(rec: OutgoingRecord, onReport: Sink, perBatch: boolean): void {
    this.producing++;
    this.deps.counters.handed++;
    try {
      this.startRecord(rec, onReport, perBatch);
    } finally {
      this.producing--;
    }
  }

  private startRecord(rec: OutgoingRecord, onReport: Sink, perBatch: boolean): void {
    const id = this.nextId++;
    const started = performance.now();
    const refused = this.deps.transactions.refusal();
    if (refused) {
      this.deps.counters.failed++;
      this.deliver(deliveryReport(rec, id, started, rec.partition ?? -1, null, 0, refused), rec, onReport, perBatch);
      return;
    }
    // Known topics skip the async metadata lookup.
    const known = this.deps.knownPartitions(rec.topic);
    if (known.length === 0) {
      this.deps.partitionsFor(rec.topic).then(
        (infos) => this.place(rec, infos, id, started, onReport, perBatch),
        (e: unknown) => this.failRecord(rec, id, started, rec.partition ?? -1, e, onReport, perBatch),
      );
      return;
    }
    this.place(rec, known, id, started, onReport, perBatch);
  }

  private place(rec: OutgoingRecord, infos: PartitionInfo[], id: number, started: number, onReport: Sink, perBatch: boolean): void {
    let partition = rec.partition ?? -1;
    try {
      // Only the sticky strategy re-partitions when a batch fills; round-robin already moves on every record.
      const sticky = rec.partition === undefined && rec.key === null && (this.deps.partitioner.getStrategy().nullKey ?? 'sticky') === 'sticky';
      partition = this.deps.partitioner.partition({ topic: rec.topic, key: rec.key, partition: rec.partition, partitions: infos });
      const now = Date.now();
      const record = new EngineRecord(rec.topic, partition, rec.key, rec.value, rec.headers, now, id, started, rec, onReport, perBatch);
      const res = this.deps.acc.appendRecord(record, sticky, now);
      if (res !== 'appended') {
        this.placeAgain(record, infos, sticky, res).catch((e: unknown) => this.failRecord(rec, id, started, record.partition, e, onReport, perBatch));
        return;
      }
      this.appended(record);
    } catch (e) {
      this.failRecord(rec, id, started, partition, e, onReport, perBatch);
    }
  }

  /**
   * The rare paths: the sticky partition's batch is full, or the buffer must free memory first. Concurrent sends
   * can all abort on the same full partition before any of them re-partitions: only the one that moves the sticky
   * partition opens the new batch, the others join it (Java's append does this in one synchronous call). Each
   * extra round means another send opened a batch, so this ends; the cap is a guard.
   */
  private async placeAgain(record: EngineRecord, infos: PartitionInfo[], sticky: boolean, first: PlaceResult | null): Promise<void> {
    let res = first ?? (await this.whenRoom(record, sticky));
    for (let tries = 0; res === 'aborted-for-new-batch'; tries++) {
      const before = this.deps.partitioner.currentStickyPartition(record.topic);
      this.deps.partitioner.onNewBatch(record.topic, record.partition, infos);
      const moved = this.deps.partitioner.currentStickyPartition(record.topic) !== before;
      record.partition = this.deps.partitioner.partition({ topic: record.topic, key: null, partitions: infos });
      const abort = !moved && tries < 100;
      res = this.deps.acc.appendRecord(record, abort) ?? (await this.whenRoom(record, abort));
    }
    this.appended(record);
  }

  /** An append waiting for buffer.memory, counted in waitingForMemory while it waits. */
  private async whenRoom(record: EngineRecord, abortOnNewBatch: boolean): Promise<PlaceResult> {
    this.waitingForMemory++;
    try {
      return await this.deps.acc.appendRecordWhenRoom(record, abortOnNewBatch);
    } finally {
      this.waitingForMemory--;
    }
  }

  private appended(record: EngineRecord): void {
    this.deps.counters.appended++;
    if (this.deps.transactions.isOpen) this.deps.transactions.recordAppended(record.topic, record.partition);
    this.deps.counters.partition(record.topic, record.partition).sent++;
  }

  /** A waiting sticky record needs a new batch (see AccumulatorEvents.repartition). */
  repartition(r: BatchRecord): 'again' | 'moved' {
    const record = r as EngineRecord;
    const infos = this.deps.knownPartitions(record.topic);
    const current = this.deps.partitioner.currentStickyPartition(record.topic);
    if (current !== undefined && current !== record.partition) {
      record.partition = current;
      return 'again';
    }
    this.deps.partitioner.onNewBatch(record.topic, record.partition, infos);
    record.partition = this.deps.partitioner.partition({ topic: record.topic, key: null, partitions: infos });
    return 'moved';
  }

  /**
   * The accumulator finished a batch (sent, failed or expired): one report per record, in append order; records sent
   * with produceBatched get one batch report per run of consecutive records with the same callback.
   */
  reportBatch(batch: ProducerBatch): void {
    const records = batch.records as EngineRecord[];
    const n = records.length;
    const pc = this.deps.counters.partition(batch.topic, batch.partition);
    const attempts = Math.max(1, batch.sendAttempts);
    const now = performance.now();
    const at = Date.now();
    let base: number | null = null;
    let err: DeliveryError | null = null;
    if (batch.state === 'succeeded') {
      base = batch.result?.baseOffset ?? null;
      pc.acked += n;
      this.deps.counters.acked += n;
      if (base !== null) pc.lastOffset = Math.max(pc.lastOffset ?? -1, base + n - 1);
    } else {
      const e = batch.error;
      err = (e as { delivery?: DeliveryError } | null)?.delivery ?? toDeliveryError(e);
      this.deps.transactions.noteError(err);
      pc.failed += n;
      this.deps.counters.failed += n;
    }
    // delivery.timeout.ms runs from the batch's creation (Java's rule); a record appended later waited less, and
    // its report says so, so its latency and its error tell the same story.
    const own = err !== null && err.code === 'DELIVERY_TIMEOUT' && n > 1;
    for (let i = 0; i < n; ) {
      const r = records[i];
      const offset = base === null ? null : base + i;
      if (r.perBatch) {
        let end = i + 1;
        while (end < n && records[end].onReport === r.onReport) end++;
        this.deliverBatch(new BatchReports(records, i, end - i, batch.topic, batch.partition, offset, attempts, err, now, at, own), r.onReport as BatchReportCallback);
        i = end;
        continue;
      }
      const e = own ? { ...err!, message: `${err!.message}; this record waited ${Math.round(now - r.started)} ms` } : err;
      this.deliver(deliveryReport(r.source, r.id, r.started, batch.partition, offset, attempts, e, now, at), r.source, r.onReport, false);
      i++;
    }
  }

  /** A record that never made it into a batch (refused, unknown topic, too large, no memory in time, closed). */
  private failRecord(rec: OutgoingRecord, id: number, started: number, partition: number, e: unknown, onReport: Sink, perBatch: boolean): void {
    const err = (e as { delivery?: DeliveryError }).delivery ?? toDeliveryError(e);
    this.deps.transactions.noteError(err);
    this.deps.counters.failed++;
    if (partition >= 0) this.deps.counters.partition(rec.topic, partition).failed++;
    this.deliver(deliveryReport(rec, id, started, partition, null, 0, err), rec, onReport, perBatch);
  }

  private deliver(r: DeliveryReport, rec: OutgoingRecord, onReport: Sink, perBatch: boolean): void {
    this.deps.delivered(r, rec);
    // A record refused inside produce() reports a tick later: a caller that sends again from its callback (the
    // workload does) must not recurse once per refused record.
    if (this.producing > 0) queueMicrotask(() => this.callBack(r, rec, onReport, perBatch));
    else this.callBack(r, rec, onReport, perBatch);
  }

  /** Failed batches go to the delivery log record by record, as dead letters need (before the caller may reuse them). */
  private deliverBatch(d: BatchReports, onBatch: BatchReportCallback): void {
    if (d.error) for (let i = 0; i < d.count; i++) this.deps.delivered(d.report(i), d.record(i));
    else this.deps.deliveredBatch(d);
    if (this.producing > 0) queueMicrotask(() => this.callBackBatch(d, onBatch));
    else this.callBackBatch(d, onBatch);
  }

  private callBack(r: DeliveryReport, rec: OutgoingRecord, onReport: Sink, perBatch: boolean): void {
    try {
      if (perBatch) (onReport as BatchReportCallback)(new OneRecordDelivery(r, rec));
      else (onReport as ReportCallback)(r, rec);
    } catch (e) {
      RecordFlow.rethrowLater(e);
    }
  }

  private callBackBatch(d: BatchDelivery, onBatch: BatchReportCallback): void {
    try {
      onBatch(d);
    } catch (e) {
      RecordFlow.rethrowLater(e);
    }
  }

  /**
   * The caller's own failure: surface it as an uncaught error, as a throwing .then() would, without leaving the
   * accumulator half way through finishing a batch.
   */
  private static rethrowLater(e: unknown): void {
    queueMicrotask(() => {
      throw e;
    });
  }
}
