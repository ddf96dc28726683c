/**
 * ProducerBatch (Java's name): the records bound for one partition that travel in one request, as one v2
 * record batch. Its size is the exact uncompressed size of that batch (61-byte header plus every record with
 * its offset and timestamp deltas), so "batch.size reached" means what it means in Kafka.
 */
import { RECORD_BATCH_OVERHEAD, recordV2Size, type RecordHeader } from './serializers.js';

export interface BatchRecord {
  readonly topic: string;
  readonly partition: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: readonly RecordHeader[];
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

export type BatchState = 'open' | 'succeeded' | 'failed';

interface Waiter {
  readonly record: BatchRecord;
  resolve(meta: RecordMetadata): void;
  reject(error: Error): void;
}

export class ProducerBatch {
  readonly records: BatchRecord[] = [];
  /** Exact uncompressed v2 batch size so far. */
  sizeInBytes = RECORD_BATCH_OVERHEAD;
  /** No more records: a later record did not fit, or the batch was drained. */
  closedForAppends = false;
  /** Times this batch was put back for another try. */
  attempts = 0;
  /** After a re-enqueue: not sendable before this time (retry backoff). */
  retryAfterMs = 0;
  /** When it last left the queue for a request; null while queued. */
  drainedMs: number | null = null;
  state: BatchState = 'open';
  /** Resolves (never rejects) once every record has its outcome. */
  readonly done: Promise<void>;

  private readonly waiters: Waiter[] = [];
  private settle!: () => void;

  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly createdMs: number,
    /** Bytes taken from buffer.memory for this batch (Java allocates max(batch.size, record size) up front). */
    readonly allocatedBytes: number,
    /** Creation order within the partition: retries go back in this order. */
    readonly sequence: number,
  ) {
    this.done = new Promise((resolve) => (this.settle = resolve));
  }

  get topicPartition(): string {
    return `${this.topic}-${this.partition}`;
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
   * Adds a record if it fits (the first record always does); null means "start a new batch". The promise
   * settles when the batch completes or fails.
   */
  tryAppend(record: BatchRecord): Promise<RecordMetadata> | null {
    if (this.closedForAppends || this.state !== 'open') return null;
    const timestampDelta = this.records.length === 0 ? 0 : record.timestamp - this.records[0].timestamp;
    const size = recordV2Size(record, this.records.length, timestampDelta);
    if (this.records.length > 0 && this.sizeInBytes + size > this.allocatedBytes) return null;
    this.records.push(record);
    this.sizeInBytes += size;
    const delivered = new Promise<RecordMetadata>((resolve, reject) => this.waiters.push({ record, resolve, reject }));
    // The caller may only care about the append; an unobserved failure must not crash the process.
    delivered.catch(() => {});
    return delivered;
  }

  complete(result: ProduceResult): void {
    this.finish('succeeded');
    this.waiters.forEach((w, i) =>
      w.resolve({
        topic: this.topic,
        partition: this.partition,
        offset: result.baseOffset === null ? -1 : result.baseOffset + i,
        timestamp: result.logAppendTime ?? w.record.timestamp,
        serializedKeySize: w.record.key?.length ?? -1,
        serializedValueSize: w.record.value?.length ?? -1,
      }),
    );
    this.settle();
  }

  fail(error: Error): void {
    this.finish('failed');
    for (const w of this.waiters) w.reject(error);
    this.settle();
  }

  private finish(state: 'succeeded' | 'failed'): void {
    if (this.state !== 'open') {
      throw new Error(`batch for ${this.topicPartition} already ${this.state}; it cannot become ${state}`);
    }
    this.state = state;
    this.closedForAppends = true;
  }
}
