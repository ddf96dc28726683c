/**
 * One partition's queue of batches (Java's `Deque<ProducerBatch>` per TopicPartition in RecordAccumulator):
 * the oldest batch at the head is the next to go; only the newest may still take records. Also knows when
 * its head may be sent, which batches outlived delivery.timeout.ms, and its numbers for the metrics.
 */
import { ProducerBatch } from './producer-batch.js';

export interface PartitionMetrics {
  readonly topic: string;
  readonly partition: number;
  readonly queuedRecords: number;
  /** Exact uncompressed batch bytes waiting here (headers included). */
  readonly queuedBytes: number;
  readonly queuedBatches: number;
  readonly inFlightBatches: number;
  /** The batch still taking records: bytes / batch.size; null when there is none. */
  readonly openBatchFill: number | null;
  /** Until the head batch may go by linger (or retry backoff); 0 when it may; null when nothing is queued. */
  readonly lingerRemainingMs: number | null;
  /** A batch of this partition is in flight and ordering forbids a second one. */
  readonly muted: boolean;
}

const NONE: readonly ProducerBatch[] = [];

export class PartitionQueue {
  readonly batches: ProducerBatch[] = [];
  muted = false;
  inFlight = 0;
  private nextSequence = 0;

  constructor(
    readonly topic: string,
    readonly partition: number,
  ) {}

  get head(): ProducerBatch | undefined {
    return this.batches[0];
  }

  /** The batch that may still take records. */
  get open(): ProducerBatch | undefined {
    const last = this.batches.at(-1);
    return last && !last.closedForAppends ? last : undefined;
  }

  newBatch(now: number, allocatedBytes: number): ProducerBatch {
    const batch = new ProducerBatch(this.topic, this.partition, now, allocatedBytes, this.nextSequence++);
    this.batches.push(batch);
    return batch;
  }

  /** Puts a retried batch back before every batch created after it, whatever order retries arrive in. */
  insertInOrder(batch: ProducerBatch): void {
    const at = this.batches.findIndex((b) => b.sequence > batch.sequence);
    this.batches.splice(at < 0 ? this.batches.length : at, 0, batch);
  }

  /**
   * Ms until the head batch may be sent; 0 if now. Java's rule: a retried batch waits out its backoff;
   * otherwise it goes when full (a full batch, or another batch behind it), when linger.ms has passed, or at
   * once when `sendNow` (memory exhausted, flush, close). Assumes a non-empty queue.
   */
  waitMs(now: number, lingerMs: number, sendNow: boolean): number {
    const head = this.batches[0];
    if (head.attempts > 0) return Math.max(0, head.retryAfterMs - now);
    if (sendNow || this.batches.length > 1 || head.isFull()) return 0;
    return Math.max(0, head.createdMs + lingerMs - now);
  }

  remove(batch: ProducerBatch): void {
    const at = this.batches.indexOf(batch);
    if (at >= 0) this.batches.splice(at, 1);
  }

  /** Removes the queued batches that reached delivery.timeout.ms (oldest first; creation order = age order). */
  takeExpired(now: number, deliveryTimeoutMs: number): readonly ProducerBatch[] {
    if (this.batches.length === 0 || now - this.batches[0].createdMs < deliveryTimeoutMs) return NONE;
    const expired: ProducerBatch[] = [];
    while (this.batches.length > 0 && now - this.batches[0].createdMs >= deliveryTimeoutMs) {
      expired.push(this.batches.shift()!);
    }
    return expired;
  }

  metrics(now: number, batchSize: number, lingerMs: number): PartitionMetrics {
    const open = this.open;
    return {
      topic: this.topic,
      partition: this.partition,
      queuedRecords: this.batches.reduce((n, b) => n + b.recordCount, 0),
      queuedBytes: this.batches.reduce((n, b) => n + b.sizeInBytes, 0),
      queuedBatches: this.batches.length,
      inFlightBatches: this.inFlight,
      openBatchFill: open ? (batchSize > 0 ? open.sizeInBytes / batchSize : 1) : null,
      lingerRemainingMs: this.batches.length === 0 ? null : this.waitMs(now, lingerMs, false),
      muted: this.muted,
    };
  }
}

/** Every partition's queue in creation order (the drain order), found without building a key string per record. */
export class PartitionQueues implements Iterable<PartitionQueue> {
  private readonly all: PartitionQueue[] = [];
  private readonly byTopic = new Map<string, PartitionQueue[]>();

  get(topic: string, partition: number): PartitionQueue {
    let qs = this.byTopic.get(topic);
    if (!qs) this.byTopic.set(topic, (qs = []));
    let q = qs[partition];
    if (!q) {
      q = qs[partition] = new PartitionQueue(topic, partition);
      this.all.push(q);
    }
    return q;
  }

  /** Partitions whose head batch is sendable now (not muted), and the ms until the next one is. */
  ready(now: number, lingerMs: number, sendNow: boolean): { partitions: Array<{ topic: string; partition: number }>; nextReadyCheckDelayMs: number } {
    const partitions: Array<{ topic: string; partition: number }> = [];
    let next = Infinity;
    for (const q of this.all) {
      if (q.batches.length === 0 || q.muted) continue;
      const wait = q.waitMs(now, lingerMs, sendNow);
      if (wait === 0) partitions.push({ topic: q.topic, partition: q.partition });
      else next = Math.min(next, wait);
    }
    return { partitions, nextReadyCheckDelayMs: next };
  }

  /** ready() without building its list: asked after every change, and before every drain. */
  anyReady(now: number, lingerMs: number, sendNow: boolean): boolean {
    for (const q of this.all) {
      if (q.batches.length > 0 && !q.muted && q.waitMs(now, lingerMs, sendNow) === 0) return true;
    }
    return false;
  }

  [Symbol.iterator](): Iterator<PartitionQueue> {
    return this.all[Symbol.iterator]();
  }
}
