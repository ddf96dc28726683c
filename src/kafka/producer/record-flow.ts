// The per-record path of the producer engine: partition, append to the accumulator, and when a batch is done, one
// delivery report per record, in append order. No promise per record: the record object carries its report
// callback, and a finished batch reports all of its records at once.
import type { PlaceResult, RecordAccumulator } from './accumulator/record-accumulator.js';
import { deliveryReport } from './delivery-log.js';
import type { EngineCounters } from './metrics/engine-counters.js';
import type { DeliveryError, DeliveryReport, OutgoingRecord } from './engine-types.js';
import type { PartitionInfo, Partitioner } from './partitioner.js';
import type { BatchRecord, ProducerBatch } from './accumulator/producer-batch.js';
import { toDeliveryError } from './sender/send-errors.js';
import type { RecordHeader } from './serializers.js';
import type { TransactionManager } from './transaction-manager.js';

/** Gets a record's delivery report, and the record as it was handed in (so one callback can serve many records). */
export type ReportCallback = (r: DeliveryReport, rec: OutgoingRecord) => void;

/**
 * A record on its way: what the accumulator batches and the record batch builder writes, and what its delivery
 * report needs. One object per record; what only the engine reads is private.
 */
class EngineRecord implements BatchRecord {
  readonly #id: number;
  readonly #started: number;
  readonly #source: OutgoingRecord;
  readonly #onReport: ReportCallback;
  readonly sequenceHeader: string | null;
  readonly sequence: number;

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
    onReport: ReportCallback,
  ) {
    this.sequenceHeader = source.sequenceHeader ?? null;
    this.sequence = source.sequence ?? 0;
    this.#id = id;
    this.#started = started;
    this.#source = source;
    this.#onReport = onReport;
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

  get onReport(): ReportCallback {
    return this.#onReport;
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
    this.producing++;
    this.deps.counters.handed++;
    try {
      this.startRecord(rec, onReport);
    } finally {
      this.producing--;
    }
  }

  private startRecord(rec: OutgoingRecord, onReport: ReportCallback): void {
    const id = this.nextId++;
    const started = performance.now();
    const refused = this.deps.transactions.refusal();
    if (refused) {
      this.deps.counters.failed++;
      this.deliver(deliveryReport(rec, id, started, rec.partition ?? -1, null, 0, refused), rec, onReport);
      return;
    }
    // Known topics skip the async metadata lookup.
    const known = this.deps.knownPartitions(rec.topic);
    if (known.length === 0) {
      this.deps.partitionsFor(rec.topic).then(
        (infos) => this.place(rec, infos, id, started, onReport),
        (e: unknown) => this.failRecord(rec, id, started, rec.partition ?? -1, e, onReport),
      );
      return;
    }
    this.place(rec, known, id, started, onReport);
  }

  private place(rec: OutgoingRecord, infos: PartitionInfo[], id: number, started: number, onReport: ReportCallback): void {
    let partition = rec.partition ?? -1;
    try {
      // Only the sticky strategy re-partitions when a batch fills; round-robin already moves on every record.
      const sticky = rec.partition === undefined && rec.key === null && (this.deps.partitioner.getStrategy().nullKey ?? 'sticky') === 'sticky';
      partition = this.deps.partitioner.partition({ topic: rec.topic, key: rec.key, partition: rec.partition, partitions: infos });
      const now = Date.now();
      const record = new EngineRecord(rec.topic, partition, rec.key, rec.value, rec.headers, now, id, started, rec, onReport);
      const res = this.deps.acc.appendRecord(record, sticky, now);
      if (res !== 'appended') {
        this.placeAgain(record, infos, sticky, res).catch((e: unknown) => this.failRecord(rec, id, started, record.partition, e, onReport));
        return;
      }
      this.appended(record);
    } catch (e) {
      this.failRecord(rec, id, started, partition, e, onReport);
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

  /** The accumulator finished a batch (sent, failed or expired): one report per record, in append order. */
  reportBatch(batch: ProducerBatch): void {
    const records = batch.records as EngineRecord[];
    const pc = this.deps.counters.partition(batch.topic, batch.partition);
    const attempts = Math.max(1, batch.sendAttempts);
    const now = performance.now();
    const at = Date.now();
    if (batch.state === 'succeeded') {
      const base = batch.result?.baseOffset ?? null;
      pc.acked += records.length;
      this.deps.counters.acked += records.length;
      if (base !== null) pc.lastOffset = Math.max(pc.lastOffset ?? -1, base + records.length - 1);
      for (let i = 0; i < records.length; i++) {
        const r = records[i];
        this.deliver(deliveryReport(r.source, r.id, r.started, batch.partition, base === null ? null : base + i, attempts, null, now, at), r.source, r.onReport);
      }
      return;
    }
    const e = batch.error;
    const err = (e as { delivery?: DeliveryError } | null)?.delivery ?? toDeliveryError(e);
    this.deps.transactions.noteError(err);
    pc.failed += records.length;
    this.deps.counters.failed += records.length;
    // delivery.timeout.ms runs from the batch's creation (Java's rule); a record appended later waited less, and
    // its report says so, so its latency and its error tell the same story.
    const own = err.code === 'DELIVERY_TIMEOUT' && records.length > 1;
    for (const r of records) {
      const e = own ? { ...err, message: `${err.message}; this record waited ${Math.round(now - r.started)} ms` } : err;
      this.deliver(deliveryReport(r.source, r.id, r.started, batch.partition, null, attempts, e, now, at), r.source, r.onReport);
    }
  }

  /** A record that never made it into a batch (refused, unknown topic, too large, no memory in time, closed). */
  private failRecord(rec: OutgoingRecord, id: number, started: number, partition: number, e: unknown, onReport: ReportCallback): void {
    const err = (e as { delivery?: DeliveryError }).delivery ?? toDeliveryError(e);
    this.deps.transactions.noteError(err);
    this.deps.counters.failed++;
    if (partition >= 0) this.deps.counters.partition(rec.topic, partition).failed++;
    this.deliver(deliveryReport(rec, id, started, partition, null, 0, err), rec, onReport);
  }

  private deliver(r: DeliveryReport, rec: OutgoingRecord, onReport: ReportCallback): void {
    this.deps.delivered(r, rec);
    // A record refused inside produce() reports a tick later: a caller that sends again from its callback (the
    // workload does) must not recurse once per refused record.
    if (this.producing > 0) queueMicrotask(() => this.callBack(r, rec, onReport));
    else this.callBack(r, rec, onReport);
  }

  private callBack(r: DeliveryReport, rec: OutgoingRecord, onReport: ReportCallback): void {
    try {
      onReport(r, rec);
    } catch (e) {
      // The caller's own failure: surface it as an uncaught error, as a throwing .then() would, without
      // leaving the accumulator half way through finishing a batch.
      queueMicrotask(() => {
        throw e;
      });
    }
  }
}
