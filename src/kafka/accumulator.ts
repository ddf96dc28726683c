/**
 * RecordAccumulator (Java's name): the producer's buffer. One queue of ProducerBatches per partition; a batch
 * is sendable when it is full, has waited linger.ms, or something needs the memory or a flush. `drain` turns
 * sendable batches into at most one request per leader broker, within the in-flight limits.
 *
 * kafkajs has no such stage (notes/kafkajs.md §1, §10): it sends one request per send() call. This one decides
 * which records travel together, so batch fill, records per request and queue time are real, not simulated.
 * Pure logic: time comes from the injected Clock, and the sender is whoever calls drain() and reports back
 * with complete / fail / reenqueueFirst.
 */
import { systemClock, type Clock, type TimerHandle } from './clock.js';
import { InFlightRequests, type ProducerRequest } from './in-flight-requests.js';
import { PartitionQueue, type PartitionMetrics } from './partition-queue.js';
import type { BatchRecord, ProduceResult, ProducerBatch, RecordMetadata } from './producer-batch.js';
import {
  BufferExhaustedError,
  DeliveryTimeoutError,
  ProducerClosedError,
  RecordTooLargeError,
} from './producer-errors.js';
import { batchSizeUpperBound, type RecordHeader } from './serializers.js';

export interface AccumulatorConfig {
  batchSize: number;
  lingerMs: number;
  bufferMemory: number;
  maxBlockMs: number;
  maxRequestSize: number;
  deliveryTimeoutMs: number;
  /** max.in.flight.requests.per.connection: we hold one connection per broker. */
  maxInFlightPerBroker: number;
  idempotent: boolean;
  retryBackoffMs: number;
  retryBackoffMaxMs: number;
}

export interface AccumulatorEvents {
  /**
   * Something may be sendable now (a batch filled, linger ran out, a request finished): call drain().
   * Delivered from a microtask and coalesced, so a burst of appends wakes the sender once, and a sender that
   * drains right here never re-enters the accumulator.
   */
  wakeup?(): void;
  /** A batch left its queue for a request; queueTimeMs is Java's record-queue-time. */
  batchDrained?(batch: ProducerBatch, queueTimeMs: number): void;
  batchDone?(batch: ProducerBatch, outcome: 'succeeded' | 'failed' | 'expired'): void;
}

export interface AppendInput {
  readonly topic: string;
  readonly partition: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers?: readonly RecordHeader[];
  /** Defaults to the clock's now. */
  readonly timestamp?: number;
}

export type AppendResult =
  | { readonly status: 'appended'; readonly batch: ProducerBatch; readonly newBatch: boolean; readonly delivered: Promise<RecordMetadata> }
  /** abortOnNewBatch was set and the record needs a new batch: tell the sticky partitioner, partition again. */
  | { readonly status: 'aborted-for-new-batch' };

export type { PartitionMetrics } from './partition-queue.js';
export type { ProducerRequest } from './in-flight-requests.js';

export interface AccumulatorMetrics {
  readonly bufferTotalBytes: number;
  readonly bufferAvailableBytes: number;
  readonly waitingAppends: number;
  readonly incompleteBatches: number;
  readonly inFlightRequests: ReadonlyMap<number, number>;
  readonly partitions: readonly PartitionMetrics[];
}

interface PendingAppend {
  readonly record: BatchRecord;
  readonly upperBound: number;
  readonly abortOnNewBatch: boolean;
  readonly enqueuedMs: number;
  readonly promise: Promise<AppendResult>;
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: Error) => void;
}

export class RecordAccumulator {
  private readonly queues = new Map<string, PartitionQueue>();
  /** Appends waiting for buffer.memory, in call order: later appends queue behind them to keep order. */
  private readonly pending: PendingAppend[] = [];
  private readonly incomplete = new Set<ProducerBatch>();
  private readonly inFlight = new InFlightRequests();
  private readonly drainIndex = new Map<number, number>();
  private readonly clock: Clock;
  private readonly events: AccumulatorEvents;
  private usedBytes = 0;
  private flushing = 0;
  private closed = false;
  private timer: { handle: TimerHandle; at: number } | null = null;
  private wakeupQueued = false;

  constructor(
    private cfg: AccumulatorConfig,
    options: { clock?: Clock; events?: AccumulatorEvents } = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.events = options.events ?? {};
  }

  get config(): Readonly<AccumulatorConfig> {
    return this.cfg;
  }

  /** Live settings change: a bigger buffer lets waiting appends go, a shorter linger may make batches ready. */
  reconfigure(change: Partial<AccumulatorConfig>): void {
    this.cfg = { ...this.cfg, ...change };
    this.processPending();
    this.afterChange();
  }

  append(input: AppendInput, options: { abortOnNewBatch?: boolean } = {}): Promise<AppendResult> {
    const now = this.clock.now();
    let checked: { record: BatchRecord; upperBound: number };
    try {
      checked = this.check(input, now);
    } catch (e) {
      return Promise.reject(e);
    }
    const { record, upperBound } = checked;
    let resolve!: (result: AppendResult) => void;
    let reject!: (error: Error) => void;
    const promise = new Promise<AppendResult>((res, rej) => ((resolve = res), (reject = rej)));
    const p: PendingAppend = { record, upperBound, abortOnNewBatch: options.abortOnNewBatch ?? false, enqueuedMs: now, promise, resolve, reject };
    if (this.pending.length > 0 || !this.tryAppendNow(p, now)) {
      this.pending.push(p);
      // Exhausted memory makes every batch sendable (Java does the same) so memory frees up soon.
      this.afterChange();
    }
    return promise;
  }

  /**
   * append() without the promise, for the common case: the result when the record went in (or needs a new
   * batch) at once; null when it has to wait for memory (then call append()). Throws what append() rejects
   * with. The engine calls this per record, so the fast path allocates nothing it does not need.
   */
  appendNow(input: AppendInput, options: { abortOnNewBatch?: boolean } = {}): AppendResult | null {
    const now = this.clock.now();
    const { record, upperBound } = this.check(input, now);
    if (this.pending.length > 0) return null;
    return this.place(record, upperBound, options.abortOnNewBatch ?? false, now);
  }

  /** Partitions whose head batch is sendable now, and when to look again. */
  ready(now = this.clock.now()): { partitions: Array<{ topic: string; partition: number }>; nextReadyCheckDelayMs: number } {
    const partitions: Array<{ topic: string; partition: number }> = [];
    let next = Infinity;
    for (const q of this.queues.values()) {
      if (q.batches.length === 0 || q.muted) continue;
      const wait = q.waitMs(now, this.cfg.lingerMs, this.sendNow);
      if (wait === 0) partitions.push({ topic: q.topic, partition: q.partition });
      else next = Math.min(next, wait);
    }
    return { partitions, nextReadyCheckDelayMs: next };
  }

  /**
   * One request's worth of batches per leader broker that has a sendable partition (Java
   * `Sender.sendProducerData`). Once a broker gets a request, every partition it leads sends its head batch,
   * lingering or not, up to max.request.size. Skipped: brokers at their in-flight limit (1 when idempotent:
   * kafkajs serialises per broker anyway and overlapping sends race on sequence numbers), brokers the gate
   * refuses, muted partitions (one batch in flight per partition when ordering needs it), unknown leaders.
   */
  drain(
    leaderOf: (topic: string, partition: number) => number,
    gate?: (brokerId: number) => boolean,
    now = this.clock.now(),
  ): { requests: ProducerRequest[]; unknownLeaderTopics: string[] } {
    this.expire(now);
    const byBroker = new Map<number, PartitionQueue[]>();
    const unknown = new Set<string>();
    for (const q of this.queues.values()) {
      if (q.batches.length === 0) continue;
      const leader = leaderOf(q.topic, q.partition);
      if (leader < 0) unknown.add(q.topic);
      else if (byBroker.has(leader)) byBroker.get(leader)!.push(q);
      else byBroker.set(leader, [q]);
    }
    const requests: ProducerRequest[] = [];
    const mute = this.cfg.maxInFlightPerBroker === 1 || this.cfg.idempotent;
    for (const [brokerId, qs] of [...byBroker].sort(([a], [b]) => a - b)) {
      if (!this.hasCapacity(brokerId) || (gate && !gate(brokerId))) continue;
      if (!qs.some((q) => !q.muted && q.waitMs(now, this.cfg.lingerMs, this.sendNow) === 0)) continue;
      const start = (this.drainIndex.get(brokerId) ?? 0) % qs.length;
      this.drainIndex.set(brokerId, start + 1);
      const batches: ProducerBatch[] = [];
      let bytes = 0;
      for (let k = 0; k < qs.length; k++) {
        const q = qs[(start + k) % qs.length];
        const head = q.batches[0];
        if (q.muted || (head.attempts > 0 && now < head.retryAfterMs)) continue;
        // Fairness: stop rather than skip, so the rotation gives the next partition its turn first next time.
        if (batches.length > 0 && bytes + head.sizeInBytes > this.cfg.maxRequestSize) break;
        q.batches.shift();
        head.closedForAppends = true;
        head.drainedMs = now;
        q.inFlight++;
        if (mute) q.muted = true;
        batches.push(head);
        bytes += head.sizeInBytes;
      }
      if (batches.length === 0) continue;
      requests.push(this.inFlight.add(brokerId, batches));
      for (const b of batches) this.events.batchDrained?.(b, now - b.createdMs);
    }
    this.schedule(now);
    return { requests, unknownLeaderTopics: [...unknown] };
  }

  /** The broker wrote the batch. */
  complete(batch: ProducerBatch, result: ProduceResult): void {
    batch.complete(result);
    this.finished(batch, 'succeeded');
  }

  /** The batch failed for good (non-retriable error, retries exhausted); a queued batch leaves its queue. */
  fail(batch: ProducerBatch, error: Error): void {
    batch.fail(error);
    this.queue(batch.topic, batch.partition).remove(batch);
    this.finished(batch, 'failed');
  }

  /**
   * Fails every queued batch and every append waiting for memory (Java `abortIncompleteBatches`), e.g. when
   * the producer became fatal or a close must not wait. In-flight batches keep waiting for their answer.
   */
  abortQueued(error: Error): void {
    for (const p of this.pending.splice(0)) p.reject(error);
    for (const q of this.queues.values()) for (const batch of q.batches.splice(0)) {
      batch.fail(error);
      this.finished(batch, 'failed');
    }
  }

  /**
   * A drained batch goes back to the head of its partition's queue for another try, after retry backoff
   * (retry.backoff.ms doubling per attempt, up to retry.backoff.max.ms). Batches return in creation order
   * whatever order their failures arrive in. A batch past delivery.timeout.ms fails instead.
   */
  reenqueueFirst(batch: ProducerBatch, now = this.clock.now()): 'requeued' | 'expired' {
    if (batch.state !== 'open' || batch.drainedMs === null) {
      throw new Error(`only an in-flight batch can be re-enqueued; ${batch.topicPartition} is ${batch.state}`);
    }
    if (now - batch.createdMs >= this.cfg.deliveryTimeoutMs) {
      batch.fail(new DeliveryTimeoutError(batch.recordCount, batch.topicPartition, now - batch.createdMs, this.cfg.deliveryTimeoutMs));
      this.finished(batch, 'expired');
      return 'expired';
    }
    this.leaveRequest(batch);
    batch.attempts++;
    batch.drainedMs = null;
    // With retry.backoff.ms above the max this is the max every time, as KIP-580 specifies.
    batch.retryAfterMs = now + Math.min(this.cfg.retryBackoffMs * 2 ** (batch.attempts - 1), this.cfg.retryBackoffMaxMs);
    this.queue(batch.topic, batch.partition).insertInOrder(batch);
    this.afterChange();
    return 'requeued';
  }

  /**
   * Makes everything sendable now and resolves when every record appended before the call (including those
   * still waiting for memory) has an outcome. Failed records do not make flush fail: their promises do.
   */
  async flush(): Promise<void> {
    this.flushing++;
    try {
      const batches = new Set(this.incomplete);
      this.afterChange();
      const landed = await Promise.allSettled(this.pending.map((p) => p.promise));
      for (const l of landed) if (l.status === 'fulfilled' && l.value.status === 'appended') batches.add(l.value.batch);
      await Promise.all([...batches].map((b) => b.done));
    } finally {
      this.flushing--;
    }
  }

  /** No new appends (they reject); everything already accepted is flushed. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
    if (this.timer) this.clock.clearTimeout(this.timer.handle);
    this.timer = null;
  }

  metrics(now = this.clock.now()): AccumulatorMetrics {
    const partitions = [...this.queues.values()].map((q) => q.metrics(now, this.cfg.batchSize, this.cfg.lingerMs));
    return {
      bufferTotalBytes: this.cfg.bufferMemory,
      bufferAvailableBytes: Math.max(0, this.cfg.bufferMemory - this.usedBytes),
      waitingAppends: this.pending.length,
      incompleteBatches: this.incomplete.size,
      inFlightRequests: this.inFlight.snapshot(),
      partitions,
    };
  }

  // ---- internals ----------------------------------------------------------------------------------------

  private queue(topic: string, partition: number): PartitionQueue {
    const id = `${topic}\u0000${partition}`;
    let q = this.queues.get(id);
    if (!q) this.queues.set(id, (q = new PartitionQueue(topic, partition)));
    return q;
  }

  /** The record as batched, and its size bound; throws when it can never be appended. */
  private check(input: AppendInput, now: number): { record: BatchRecord; upperBound: number } {
    if (this.closed) throw new ProducerClosedError();
    const record: BatchRecord = { ...input, headers: input.headers ?? [], timestamp: input.timestamp ?? now };
    const upperBound = batchSizeUpperBound(record);
    if (upperBound > this.cfg.maxRequestSize) throw new RecordTooLargeError(upperBound, this.cfg.maxRequestSize, 'max.request.size');
    if (upperBound > this.cfg.bufferMemory) throw new RecordTooLargeError(upperBound, this.cfg.bufferMemory, 'buffer.memory');
    return { record, upperBound };
  }

  /** Appends now if possible (false: must wait for memory). Resolves the append itself. */
  private tryAppendNow(p: PendingAppend, now: number): boolean {
    const result = this.place(p.record, p.upperBound, p.abortOnNewBatch, now);
    if (result) p.resolve(result);
    return result !== null;
  }

  /** Puts the record in its partition's open batch or a new one; null when a new batch needs memory there is not. */
  private place(record: BatchRecord, upperBound: number, abortOnNewBatch: boolean, now: number): AppendResult | null {
    const q = this.queue(record.topic, record.partition);
    const last = q.open;
    if (last) {
      const delivered = last.tryAppend(record);
      if (delivered) {
        if (last.isFull()) this.afterChange();
        return { status: 'appended', batch: last, newBatch: false, delivered };
      }
      last.closedForAppends = true; // it is full for this record: sendable now
    }
    if (abortOnNewBatch) {
      this.afterChange();
      return { status: 'aborted-for-new-batch' };
    }
    const allocation = Math.max(this.cfg.batchSize, upperBound);
    if (this.usedBytes + allocation > this.cfg.bufferMemory) return null;
    this.usedBytes += allocation;
    const batch = q.newBatch(now, allocation);
    this.incomplete.add(batch);
    const delivered = batch.tryAppend(record)!;
    this.afterChange();
    return { status: 'appended', batch, newBatch: true, delivered };
  }

  private processPending(): void {
    const now = this.clock.now();
    while (this.pending.length > 0 && this.tryAppendNow(this.pending[0], now)) this.pending.shift();
  }

  private hasCapacity(brokerId: number): boolean {
    return this.inFlight.count(brokerId) < (this.cfg.idempotent ? 1 : this.cfg.maxInFlightPerBroker);
  }

  /** Memory is exhausted or a flush or close is on: every head batch may go, lingering or not. */
  private get sendNow(): boolean {
    return this.pending.length > 0 || this.flushing > 0 || this.closed;
  }

  /** Queued batches past delivery.timeout.ms fail (Java `expiredBatches`); in-flight ones await their answer. */
  private expire(now: number): void {
    for (const q of this.queues.values()) {
      for (const batch of q.takeExpired(now, this.cfg.deliveryTimeoutMs)) {
        batch.fail(new DeliveryTimeoutError(batch.recordCount, batch.topicPartition, now - batch.createdMs, this.cfg.deliveryTimeoutMs));
        this.finished(batch, 'expired');
      }
    }
    while (this.pending.length > 0 && now - this.pending[0].enqueuedMs >= this.cfg.maxBlockMs) {
      const p = this.pending.shift()!;
      const size = Math.max(this.cfg.batchSize, p.upperBound);
      p.reject(new BufferExhaustedError(size, this.cfg.maxBlockMs, this.cfg.bufferMemory, this.cfg.bufferMemory - this.usedBytes));
    }
    this.processPending(); // the next waiter may fit in an open batch without new memory
  }

  /** A drained batch has its outcome (or goes back): its request slot and its partition are free again. */
  private leaveRequest(batch: ProducerBatch): void {
    if (!this.inFlight.release(batch)) return;
    const q = this.queue(batch.topic, batch.partition);
    q.inFlight--;
    q.muted = false;
  }

  private finished(batch: ProducerBatch, outcome: 'succeeded' | 'failed' | 'expired'): void {
    this.leaveRequest(batch);
    this.incomplete.delete(batch);
    this.usedBytes -= batch.allocatedBytes;
    this.events.batchDone?.(batch, outcome);
    this.processPending();
    this.afterChange();
  }

  /** Re-arms the single timer and tells the sender when something is sendable. */
  private afterChange(): void {
    const now = this.clock.now();
    this.schedule(now);
    if (this.wakeupQueued || !this.events.wakeup || this.ready(now).partitions.length === 0) return;
    this.wakeupQueued = true;
    queueMicrotask(() => {
      this.wakeupQueued = false;
      this.events.wakeup?.();
    });
  }

  /** One timer for the earliest of: linger or backoff end, delivery timeout, max.block.ms of a waiting append. */
  private schedule(now: number): void {
    let at = Infinity;
    for (const q of this.queues.values()) {
      if (q.batches.length === 0) continue;
      at = Math.min(at, q.batches[0].createdMs + this.cfg.deliveryTimeoutMs);
      const wait = q.muted ? 0 : q.waitMs(now, this.cfg.lingerMs, this.sendNow);
      if (wait > 0) at = Math.min(at, now + wait);
    }
    if (this.pending.length > 0) at = Math.min(at, this.pending[0].enqueuedMs + this.cfg.maxBlockMs);
    if (this.timer && this.timer.at === at) return;
    if (this.timer) this.clock.clearTimeout(this.timer.handle);
    this.timer = null;
    if (at === Infinity) return;
    const handle = this.clock.setTimeout(() => this.onTimer(), Math.max(0, at - now));
    this.timer = { handle, at };
  }

  private onTimer(): void {
    this.timer = null;
    this.expire(this.clock.now());
    this.afterChange();
  }
}
