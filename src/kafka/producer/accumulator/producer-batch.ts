/**
 * ProducerBatch (Java's name): the records bound for one partition that travel in one request, as one v2
 * record batch. Its size is the exact uncompressed size of that batch (61-byte header plus every record with
 * its offset and timestamp deltas), so "batch.size reached" means what it means in Kafka.
 */
import type { SequenceHeader } from '../../../wire/record-batch-builder.js';
import { RECORD_BATCH_OVERHEAD, recordV2Size, sizeOfVarint, type RecordHeader } from '../serializers.js';

export interface BatchRecord {
  readonly topic: string;
  readonly partition: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: readonly RecordHeader[];
  /** A last header whose value ends in `sequence` in decimal (see OutgoingRecord.sequenceHeader). */
  readonly sequenceHeader?: SequenceHeader | null;
  readonly sequence?: number;
  /** Create time, ms since the epoch. */
  readonly timestamp: number;
}

/** What the producer tells the sender of a record once it is written (Java `RecordMetadata`). */
export interface RecordMetadata {
  readonly topic: string;
  readonly partition: number;
  /** -1 when unknown: acks=0 gets no answer, so no offset. */
  readonly offset: number;
  readonly timestamp: number;
  /** -1 for a null key/value, as in Java. */
  readonly serializedKeySize: number;
  readonly serializedValueSize: number;
}

/** The broker's answer for this batch's partition. `baseOffset: null` for acks=0. */
export interface ProduceResult {
  readonly baseOffset: number | null;
  /** Set when the topic uses LogAppendTime: every record then carries the broker's time. */
  readonly logAppendTime?: number | null;
}

/** 'split': refused as too large and replaced by smaller batches that carry its records (and their outcomes). */
export type BatchState = 'open' | 'succeeded' | 'failed' | 'split';

interface Waiter {
  readonly index: number;
  resolve(meta: RecordMetadata): void;
  reject(error: Error): void;
}

export class ProducerBatch {
  readonly records: BatchRecord[] = [];
  /** Exact uncompressed v2 batch size so far. */
  sizeInBytes = RECORD_BATCH_OVERHEAD;
  /** Records with headers (the sender hands header-less records to kafkajs as they are). */
  recordsWithHeaders = 0;
  /** Earliest and latest record timestamps (the batch header's firstTimestamp and maxTimestamp). */
  firstTimestamp = Infinity;
  maxTimestamp = -Infinity;
  /** No more records: a later record did not fit, or the batch was drained. */
  closedForAppends = false;
  /** Times this batch was put back for another try. */
  attempts = 0;
  /** After a re-enqueue: not sendable before this time (retry backoff). */
  retryAfterMs = 0;
  /** When it last left the queue for a request; null while queued. */
  drainedMs: number | null = null;
  state: BatchState = 'open';
  /** Times it went on the wire (1, plus its retries). */
  sendAttempts = 0;
  /** Producer fields it is sent with (idempotence): -1 until the Sender assigns them. */
  producerId = -1;
  producerEpoch = -1;
  baseSequence = -1;
  /** The v2 batch as sent, built once; re-sends reuse it (re-stamped when the producer fields change). */
  encoded: Buffer | null = null;
  /** Split batches live outside buffer.memory (Java allocates them off the pool): nothing to give back. */
  pooled = true;
  /** Failed by delivery.timeout.ms while its request was on the wire: the answer still frees its request slot. */
  expiredInFlight = false;
  /**
   * A send of it under its current sequences ended without an answer (request timeout, lost connection): the broker
   * may have written it. Only then can a later acknowledged sequence prove that it did.
   */
  mayBeWritten = false;
  /** The broker's answer once succeeded, the error once failed. */
  result: ProduceResult | null = null;
  error: Error | null = null;
  /** Only records appended through the promise API wait here; the engine reads outcomes off the batch. */
  private waiters: Waiter[] | null = null;
  /** `done`, made when first asked for (a flush): most batches are never waited on. */
  private donePromise: Promise<void> | null = null;
  private settleDone: (() => void) | null = null;
  private settled = false;
  private tpName: string | undefined;

  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly createdMs: number,
    /** Bytes taken from buffer.memory for this batch (Java allocates max(batch.size, record size) up front). */
    readonly allocatedBytes: number,
    /** Creation order within the partition: retries go back in this order. */
    readonly sequence: number,
    /** Order numbers up to sequence + span are free (the next batch has sequence + 1): a split shares them out. */
    readonly span = 1,
  ) {}

  /** Resolves (never rejects) once every record has its outcome. */
  get done(): Promise<void> {
    this.donePromise ??= this.settled ? Promise.resolve() : new Promise((resolve) => (this.settleDone = resolve));
    return this.donePromise;
  }

  private settle(): void {
    this.settled = true;
    this.settleDone?.();
  }

  /** "topic-partition", built once: the sequence bookkeeping looks batches up by it several times per send. */
  get topicPartition(): string {
    return (this.tpName ??= `${this.topic}-${this.partition}`);
  }

  get recordCount(): number {
    return this.records.length;
  }

  /** Time spent queued before its latest drain (Java record-queue-time). */
  get queueTimeMs(): number | null {
    return this.drainedMs === null ? null : this.drainedMs - this.createdMs;
  }

  /** Java `isFull`: closed, or filled to its limit (the allocation: batch.size, or the one big record). */
  isFull(): boolean {
    return this.closedForAppends || (this.records.length > 0 && this.sizeInBytes >= this.allocatedBytes);
  }

  /**
   * Adds a record if it fits (the first record always does); false means "start a new batch". `bodyBytes` is
   * the record's key, value and header fields (recordSizeUpperBound minus MAX_RECORD_OVERHEAD) when the caller
   * has it already, so the headers are not measured twice per record.
   */
  tryAppend(record: BatchRecord, bodyBytes?: number): boolean {
    if (this.closedForAppends || this.state !== 'open') return false;
    const n = this.records.length;
    const timestampDelta = n === 0 ? 0 : record.timestamp - this.records[0].timestamp;
    let size: number;
    if (bodyBytes === undefined) size = recordV2Size(record, n, timestampDelta);
    else {
      const body = 1 + sizeOfVarint(timestampDelta) + sizeOfVarint(n) + bodyBytes;
      size = sizeOfVarint(body) + body;
    }
    if (n > 0 && this.sizeInBytes + size > this.allocatedBytes) return false;
    this.records.push(record);
    this.sizeInBytes += size;
    if (record.headers.length > 0 || record.sequenceHeader) this.recordsWithHeaders++;
    if (record.timestamp < this.firstTimestamp) this.firstTimestamp = record.timestamp;
    if (record.timestamp > this.maxTimestamp) this.maxTimestamp = record.timestamp;
    return true;
  }

  /** What the producer tells the sender of record `index` once the batch succeeded. */
  metadata(index: number): RecordMetadata {
    const r = this.records[index];
    const base = this.result?.baseOffset ?? null;
    return {
      topic: this.topic,
      partition: this.partition,
      offset: base === null ? -1 : base + index,
      timestamp: this.result?.logAppendTime ?? r.timestamp,
      serializedKeySize: r.key?.length ?? -1,
      serializedValueSize: r.value?.length ?? -1,
    };
  }

  /** A promise of record `index`'s outcome (it settles when the batch completes or fails). */
  whenDelivered(index: number): Promise<RecordMetadata> {
    let delivered: Promise<RecordMetadata>;
    if (this.state === 'succeeded') delivered = Promise.resolve(this.metadata(index));
    else if (this.state === 'failed') delivered = Promise.reject(this.error);
    else delivered = new Promise((resolve, reject) => (this.waiters ??= []).push({ index, resolve, reject }));
    // The caller may only care about the append; an unobserved failure must not crash the process.
    delivered.catch(() => {});
    return delivered;
  }

  complete(result: ProduceResult): void {
    this.finish('succeeded');
    this.result = result;
    if (this.waiters) for (const w of this.waiters) w.resolve(this.metadata(w.index));
    this.waiters = null;
    this.settle();
  }

  fail(error: Error): void {
    this.finish('failed');
    this.error = error;
    if (this.waiters) for (const w of this.waiters) w.reject(error);
    this.waiters = null;
    this.settle();
  }

  /**
   * This batch was split into `parts` (its records, in order): each record's outcome is now its part's, and `done`
   * settles once every part has settled, so a flush that waits on this batch waits for them.
   */
  splitInto(parts: readonly ProducerBatch[]): void {
    this.finish('split');
    let first = 0;
    for (const part of parts) {
      const end = first + part.recordCount;
      for (const w of this.waiters ?? []) {
        if (w.index >= first && w.index < end) part.whenDelivered(w.index - first).then(w.resolve, w.reject);
      }
      first = end;
    }
    this.waiters = null;
    void Promise.all(parts.map((p) => p.done)).then(() => this.settle());
  }

  private finish(state: 'succeeded' | 'failed' | 'split'): void {
    if (this.state !== 'open') {
      throw new Error(`batch for ${this.topicPartition} already ${this.state}; it cannot become ${state}`);
    }
    this.state = state;
    this.closedForAppends = true;
  }
}
