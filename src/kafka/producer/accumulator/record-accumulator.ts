/**
 * RecordAccumulator (Java's name): the producer's buffer. One queue of ProducerBatches per partition; a batch is
 * sendable when it is full, has waited linger.ms, or something needs the memory or a flush. `drain` turns sendable
 * batches into at most one request per leader broker, within the in-flight limits. (kafkajs has no such stage: it
 * sends one request per send() call.) Pure logic: time comes from the injected Clock, and the sender is whoever
 * calls drain() and reports back with complete / fail / reenqueueFirst / splitAndReenqueue.
 */
import type { AccumulatorConfig, AccumulatorEvents, AccumulatorMetrics, AppendInput, AppendResult, PendingAppend, PlaceResult } from './accumulator-types.js';
import { systemClock, type Clock } from '../../../wire/clock.js';
import { AccumulatorTimers } from './accumulator-timers.js';
import { InFlightRequests, type ProducerRequest } from '../sender/in-flight-requests.js';
import { PartitionQueues, type PartitionQueue } from './partition-queue.js';
import { splitBatch, splitLimit } from './batch-split.js';
import { queuesByLeader, takeHeads } from './drain-plan.js';
import type { BatchRecord, ProduceResult, ProducerBatch } from './producer-batch.js';
import { BufferExhaustedError, DeliveryTimeoutError, ProducerClosedError, RecordTooLargeError } from '../errors.js';
import { MAX_RECORD_OVERHEAD, RECORD_BATCH_OVERHEAD, recordSizeUpperBound } from '../serializers.js';

export type { AccumulatorConfig, AccumulatorEvents, AccumulatorMetrics, AppendInput, AppendResult, PlaceResult } from './accumulator-types.js';
export type { PartitionMetrics } from './partition-queue.js';
export type { ProducerRequest } from '../sender/in-flight-requests.js';

const ABORTED = 'aborted-for-new-batch';

type Drained = { readonly requests: readonly ProducerRequest[]; readonly unknownLeaderTopics: readonly string[] };
const NOTHING_DRAINED: Drained = Object.freeze({ requests: Object.freeze([]), unknownLeaderTopics: Object.freeze([]) });
const RESOLVED = Promise.resolve();

export class RecordAccumulator {
  private readonly queues = new PartitionQueues();
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
  private readonly timers: AccumulatorTimers;
  private wakeupQueued = false;

  constructor(
    private cfg: AccumulatorConfig,
    options: { clock?: Clock; events?: AccumulatorEvents } = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.events = options.events ?? {};
    this.timers = new AccumulatorTimers(this.clock, () => this.onTimer());
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
    const record: BatchRecord = { ...input, headers: input.headers ?? [], timestamp: input.timestamp ?? this.clock.now() };
    return this.enqueue(record, options.abortOnNewBatch ?? false, true) as Promise<AppendResult>;
  }

  /**
   * append() for a record the caller built (timestamp set), without a promise per record: the result when the
   * record went in (or needs a new batch) at once; null when it has to wait for memory (then call
   * appendRecordWhenRoom). Throws what append() rejects with. The engine's per-record path.
   */
  appendRecord(record: BatchRecord, abortOnNewBatch = false, now = this.clock.now()): PlaceResult | null {
    const upperBound = this.admit(record);
    if (this.pending.length > 0) return null;
    const placed = this.place(record, upperBound, abortOnNewBatch, now);
    return placed === null ? null : placed === ABORTED ? ABORTED : 'appended';
  }

  /** appendRecord that waits for buffer.memory (up to max.block.ms) behind earlier waiting appends. */
  appendRecordWhenRoom(record: BatchRecord, abortOnNewBatch = false): Promise<PlaceResult> {
    return this.enqueue(record, abortOnNewBatch, false) as Promise<PlaceResult>;
  }

  /** Partitions whose head batch is sendable now, and when to look again. */
  ready(now = this.clock.now()): { partitions: Array<{ topic: string; partition: number }>; nextReadyCheckDelayMs: number } {
    return this.queues.ready(now, this.cfg.lingerMs, this.sendNow);
  }

  private anyReady(now: number): boolean {
    return this.queues.anyReady(now, this.cfg.lingerMs, this.sendNow);
  }

  /**
   * One request's worth of batches per leader broker that has a sendable partition (Java
   * `Sender.sendProducerData`). Once a broker gets a request, every partition it leads sends its head batch,
   * lingering or not, up to max.request.size. Skipped: brokers at their in-flight limit, brokers the gate
   * refuses, muted partitions (one batch in flight per partition when ordering needs it), unknown leaders.
   */
  drain(
    leaderOf: (topic: string, partition: number) => number,
    gate?: (brokerId: number) => boolean,
    now = this.clock.now(),
    mayDrain?: (batch: ProducerBatch) => boolean,
  ): Drained {
    // Most drains (one after every answer) find nothing sendable: one look per queue then (expiry has its timer).
    if (!this.anyReady(now)) return NOTHING_DRAINED;
    this.expire(now);
    const { byBroker, unknownLeaderTopics } = queuesByLeader(this.queues, leaderOf);
    const requests: ProducerRequest[] = [];
    for (const [brokerId, qs] of byBroker) {
      if (!this.hasCapacity(brokerId) || (gate && !gate(brokerId))) continue;
      if (!qs.some((q) => !q.muted && q.waitMs(now, this.cfg.lingerMs, this.sendNow) === 0)) continue;
      const start = (this.drainIndex.get(brokerId) ?? 0) % qs.length;
      this.drainIndex.set(brokerId, start + 1);
      const batches = takeHeads(qs, start, now, this.cfg.maxRequestSize, this.cfg.maxInFlightPerBroker === 1, mayDrain);
      if (batches.length === 0) continue;
      requests.push(this.inFlight.add(brokerId, batches));
      for (const b of batches) this.events.batchDrained?.(b, now - b.createdMs);
    }
    this.schedule(now);
    return { requests, unknownLeaderTopics };
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

  /** Fails queued batches and appends waiting for memory (Java `abortIncompleteBatches`); in-flight ones wait on. */
  abortQueued(error: Error): void {
    for (const p of this.pending.splice(0)) p.reject(error);
    for (const q of this.queues) for (const batch of q.batches.splice(0)) {
      batch.fail(error);
      this.finished(batch, 'failed');
    }
  }

  /** A drained batch goes back, in creation order, for another try after backoff; past delivery.timeout.ms it fails. */
  reenqueueFirst(batch: ProducerBatch, now = this.clock.now()): 'requeued' | 'expired' {
    if (batch.state !== 'open' || batch.drainedMs === null) {
      throw new Error(`only an in-flight batch can be re-enqueued; ${batch.topicPartition} is ${batch.state}`);
    }
    if (now - batch.createdMs >= this.cfg.deliveryTimeoutMs) {
      batch.fail(this.timedOut(batch, now));
      this.finished(batch, 'expired');
      return 'expired';
    }
    this.leaveRequest(batch);
    batch.attempts++;
    batch.drainedMs = null;
    // KIP-580: exponential from retry.backoff.ms up to retry.backoff.max.ms, 20% jitter either way.
    const backoff = Math.min(this.cfg.retryBackoffMs * 2 ** (batch.attempts - 1), this.cfg.retryBackoffMaxMs);
    batch.retryAfterMs = now + backoff * (0.8 + Math.random() * 0.4);
    this.queue(batch.topic, batch.partition).insertInOrder(batch);
    this.afterChange();
    return 'requeued';
  }

  /** Java's splitAndReenqueue: a batch refused as too large goes back as smaller ones, first in its queue, in order. */
  splitAndReenqueue(big: ProducerBatch): ProducerBatch[] {
    const parts = splitBatch(big, splitLimit(big.sizeInBytes, this.cfg.batchSize));
    for (const part of parts) {
      this.queue(big.topic, big.partition).insertInOrder(part);
      this.incomplete.add(part);
    }
    big.splitInto(parts);
    this.finished(big, null);
    return parts;
  }

  /** The answer to a batch that expired in flight came (or its request failed): its request slot is free. */
  answered(batch: ProducerBatch): void {
    this.leaveRequest(batch);
    this.afterChange();
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
      const waiting = [...this.pending];
      await Promise.allSettled(waiting.map((p) => p.promise));
      for (const p of waiting) if (p.placedIn) batches.add(p.placedIn);
      await Promise.all([...batches].map((b) => b.done));
    } finally {
      this.flushing--;
    }
  }

  /** No new appends (they reject); everything already accepted is flushed. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
    this.timers.clear();
  }

  metrics(now = this.clock.now()): AccumulatorMetrics {
    const partitions = [...this.queues].map((q) => q.metrics(now, this.cfg.batchSize, this.cfg.lingerMs));
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
    return this.queues.get(topic, partition);
  }

  /** The record's batch size bound (Java `estimateSizeInBytesUpperBound`); throws when it can never be appended. */
  private admit(record: BatchRecord): number {
    if (this.closed) throw new ProducerClosedError();
    const upperBound = RECORD_BATCH_OVERHEAD + recordSizeUpperBound(record);
    if (upperBound > this.cfg.maxRequestSize) throw new RecordTooLargeError(upperBound, this.cfg.maxRequestSize, 'max.request.size');
    if (upperBound > this.cfg.bufferMemory) throw new RecordTooLargeError(upperBound, this.cfg.bufferMemory, 'buffer.memory');
    return upperBound;
  }

  /** Appends at once when it can, else queues behind the appends waiting for memory. */
  private enqueue(record: BatchRecord, abortOnNewBatch: boolean, withDelivery: boolean): Promise<AppendResult | PlaceResult> {
    let upperBound: number;
    try {
      upperBound = this.admit(record);
    } catch (e) {
      return Promise.reject(e);
    }
    let resolve!: (result: AppendResult | PlaceResult) => void;
    let reject!: (error: Error) => void;
    const promise = new Promise<AppendResult | PlaceResult>((res, rej) => ((resolve = res), (reject = rej)));
    const now = this.clock.now();
    const p: PendingAppend = { record, upperBound, abortOnNewBatch, withDelivery, enqueuedMs: now, promise, resolve, reject, placedIn: null };
    if (this.pending.length > 0 || !this.tryAppendNow(p, now)) {
      this.pending.push(p);
      // Exhausted memory makes every batch sendable (Java does the same) so memory frees up soon.
      this.afterChange();
    }
    return promise;
  }

  /** Appends now if possible (false: must wait for memory). Resolves the append itself. */
  private tryAppendNow(p: PendingAppend, now: number): boolean {
    let placed = this.place(p.record, p.upperBound, p.abortOnNewBatch, now);
    // Re-partitioned in place: O(1) per waiting append when memory frees, not a round trip for every one.
    for (let i = 0; placed === ABORTED && this.events.repartition && i < 3; i++) {
      p.abortOnNewBatch = this.events.repartition(p.record) === 'again';
      placed = this.place(p.record, p.upperBound, p.abortOnNewBatch, now);
    }
    if (placed === null) return false;
    if (placed === ABORTED) {
      p.resolve(p.withDelivery ? { status: ABORTED } : ABORTED);
      return true;
    }
    p.placedIn = placed;
    // Right after placing, a record alone in its batch opened it; the promise is of its outcome in the batch.
    const index = placed.recordCount - 1;
    p.resolve(p.withDelivery ? { status: 'appended', batch: placed, newBatch: index === 0, delivered: placed.whenDelivered(index) } : 'appended');
    return true;
  }

  /** Puts the record in its partition's open batch or a new one (returned); null when a new batch needs memory there is not. */
  private place(record: BatchRecord, upperBound: number, abortOnNewBatch: boolean, now: number): ProducerBatch | typeof ABORTED | null {
    const q = this.queue(record.topic, record.partition);
    const bodyBytes = upperBound - RECORD_BATCH_OVERHEAD - MAX_RECORD_OVERHEAD;
    const last = q.open;
    if (last) {
      if (last.tryAppend(record, bodyBytes)) {
        if (last.isFull()) this.afterChange();
        return last;
      }
      last.closedForAppends = true; // it is full for this record: sendable now
    }
    if (abortOnNewBatch) {
      this.afterChange();
      return ABORTED;
    }
    const allocation = Math.max(this.cfg.batchSize, upperBound);
    if (this.usedBytes + allocation > this.cfg.bufferMemory) return null;
    this.usedBytes += allocation;
    const batch = q.newBatch(now, allocation);
    this.incomplete.add(batch);
    batch.tryAppend(record, bodyBytes);
    this.afterChange();
    return batch;
  }

  private processPending(): void {
    if (this.pending.length === 0) return;
    const now = this.clock.now();
    while (this.pending.length > 0 && this.tryAppendNow(this.pending[0], now)) this.pending.shift();
  }

  private hasCapacity(brokerId: number): boolean {
    return this.inFlight.count(brokerId) < this.cfg.maxInFlightPerBroker;
  }

  /** Memory is exhausted or a flush or close is on: every head batch may go, lingering or not. */
  private get sendNow(): boolean {
    return this.pending.length > 0 || this.flushing > 0 || this.closed;
  }

  /**
   * Batches past delivery.timeout.ms fail, queued (Java `expiredBatches`) or in flight (Java's Sender.
   * getExpiredInflightBatches). One in flight keeps its request slot, and its partition stays muted, until the
   * answer comes: the broker may still write it, and nothing after it may overtake it. Waiting appends time out.
   */
  private expire(now: number): void {
    for (const q of this.queues) {
      for (const batch of q.takeExpired(now, this.cfg.deliveryTimeoutMs)) {
        batch.fail(this.timedOut(batch, now));
        this.finished(batch, 'expired');
      }
    }
    for (const batch of this.inFlight.expired(now, this.cfg.deliveryTimeoutMs)) {
      batch.expiredInFlight = true;
      batch.fail(this.timedOut(batch, now));
      this.finished(batch, 'expired', false);
    }
    while (this.pending.length > 0 && now - this.pending[0].enqueuedMs >= this.cfg.maxBlockMs) {
      const p = this.pending.shift()!;
      const size = Math.max(this.cfg.batchSize, p.upperBound);
      p.reject(new BufferExhaustedError(size, this.cfg.maxBlockMs, this.cfg.bufferMemory, this.cfg.bufferMemory - this.usedBytes));
    }
    this.processPending(); // the next waiter may fit in an open batch without new memory
  }

  private timedOut(b: ProducerBatch, now: number): DeliveryTimeoutError {
    return new DeliveryTimeoutError(b.recordCount, b.topicPartition, now - b.createdMs, this.cfg.deliveryTimeoutMs);
  }

  /** A drained batch has its outcome (or goes back): its request slot and its partition are free again. */
  private leaveRequest(batch: ProducerBatch): void {
    if (!this.inFlight.release(batch)) return;
    const q = this.queue(batch.topic, batch.partition);
    q.inFlight--;
    q.muted = false;
  }

  /** `outcome` null: the batch was split, its parts report. `leave` false: its request is still on the wire. */
  private finished(batch: ProducerBatch, outcome: 'succeeded' | 'failed' | 'expired' | null, leave = true): void {
    if (leave) this.leaveRequest(batch);
    this.incomplete.delete(batch);
    if (batch.pooled) this.usedBytes -= batch.allocatedBytes;
    if (outcome) this.events.batchDone?.(batch, outcome);
    this.processPending();
    this.afterChange();
  }

  /** Re-arms the single timer and tells the sender when something is sendable. */
  private afterChange(): void {
    const now = this.clock.now();
    this.schedule(now);
    if (this.wakeupQueued || !this.events.wakeup || !this.anyReady(now)) return;
    this.wakeupQueued = true;
    // A resolved promise's then() rather than queueMicrotask, which makes an AsyncResource per call.
    void RESOLVED.then(this.runWakeup);
  }

  private readonly runWakeup = (): void => void ((this.wakeupQueued = false), this.events.wakeup?.());

  /** The timers for the earliest linger or backoff end and the earliest deadline (see AccumulatorTimers). */
  private schedule(now: number): void {
    let soon = Infinity;
    let deadline = Infinity;
    for (const q of this.queues) {
      if (q.batches.length === 0) continue;
      deadline = Math.min(deadline, q.batches[0].createdMs + this.cfg.deliveryTimeoutMs);
      const wait = q.muted ? 0 : q.waitMs(now, this.cfg.lingerMs, this.sendNow);
      if (wait > 0) soon = Math.min(soon, now + wait);
    }
    deadline = Math.min(deadline, this.inFlight.oldestOpenCreatedMs() + this.cfg.deliveryTimeoutMs);
    if (this.pending.length > 0) deadline = Math.min(deadline, this.pending[0].enqueuedMs + this.cfg.maxBlockMs);
    this.timers.set(soon, deadline, now);
  }

  private onTimer(): void {
    this.expire(this.clock.now());
    this.afterChange();
  }
}
