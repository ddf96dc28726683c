// The RecordAccumulator's contract (config, events, append inputs and results, metrics), apart from its logic.
import type { PartitionMetrics } from './partition-queue.js';
import type { BatchRecord, ProducerBatch, RecordMetadata } from './producer-batch.js';
import type { RecordHeader } from '../serializers.js';

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
  /**
   * A sticky record that waited for memory needs a new batch: partition it again here, at once (Java's producer
   * thread does so before it blocks), rather than failing every waiting append back to its caller. 'again': it now
   * targets the current sticky partition (try that batch); 'moved': the sticky partition moved, open a batch there.
   */
  repartition?(record: BatchRecord): 'again' | 'moved';
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

/** appendRecord's answer: AppendResult's status alone (no object, no promise per record; the batch reports). */
export type PlaceResult = 'appended' | 'aborted-for-new-batch';

export interface AccumulatorMetrics {
  readonly bufferTotalBytes: number;
  readonly bufferAvailableBytes: number;
  readonly waitingAppends: number;
  readonly incompleteBatches: number;
  readonly inFlightRequests: ReadonlyMap<number, number>;
  readonly partitions: readonly PartitionMetrics[];
}

export interface PendingAppend {
  readonly record: BatchRecord;
  readonly upperBound: number;
  abortOnNewBatch: boolean;
  /** append() callers get a promise of the record's outcome; appendRecord() callers read it off the batch. */
  readonly withDelivery: boolean;
  readonly enqueuedMs: number;
  readonly promise: Promise<AppendResult | PlaceResult>;
  readonly resolve: (result: AppendResult | PlaceResult) => void;
  readonly reject: (error: Error) => void;
  /** The batch the record went into, once it did (flush waits for it). */
  placedIn: ProducerBatch | null;
}
