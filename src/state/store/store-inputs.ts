// What the store reads: the producer engine (ProducerEngine has all of it; a test can fake it), the views only
// some clusters have, and the store's own options.
import type { DeadLetter } from '../../kafka/producer/delivery-log.js';
import type { BrokerView, DeliveryReport, EngineEvent, EngineTotals, PartitionView, ProducerStatus, Reachability } from '../../kafka/producer/engine-types.js';
import type { EffectiveConfig } from '../../kafka/producer/config/settings.js';
import type { TransactionView } from '../../kafka/producer/transaction-manager.js';
import type { WireEvent } from '../../kafka/producer/sender/wire-monitor.js';
import type { RequestLine } from './snapshot.js';

/** What the store reads from the producer engine; ProducerEngine has all of it, a test can fake it. */
export interface StoreEngine {
  on(fn: (e: EngineEvent) => void): () => void;
  totals(): EngineTotals;
  partitionViews(topic: string): PartitionView[];
  brokerViews(): BrokerView[];
  /** The brokers the producer knows, and those it cannot connect to now. */
  reachability?(): Reachability;
  readonly counters: {
    requests: number;
    requestRecords: number;
    requestBytes: number;
    recordsPerRequest(): number;
    bytesPerRequest(): number;
    queueTimeAvgMs(): number;
  };
  readonly deliveries: { latest(n: number): readonly DeliveryReport[]; deadLetters(): readonly DeadLetter[]; deadDropped: number };
  readonly config: EffectiveConfig;
  readonly status: ProducerStatus;
  readonly wire?: { on(fn: (e: WireEvent) => void): () => void; inFlightByBroker(): ReadonlyMap<string, number> };
  readonly transactions?: { view(): TransactionView };
  /** The producer's metadata: when it was last refreshed, which broker it names the controller. */
  readonly metadata?: { readonly lastRefreshAt: number; readonly controller: number | null };
}

/** Cluster-side views only some clusters have (the built-in one): its request log and pending faults. */
export interface ClusterSources {
  requests?(n: number): RequestLine[];
  faults?(): { id: number; description: string }[];
  /** The cluster lists its own broker state changes in the events: the store's marker then adds no second line. */
  brokerEvents?: boolean;
}

export interface StoreOptions {
  fps?: number;
  /** Seconds of history kept per series (fixed memory). */
  historySeconds?: number;
  topic?: string;
  now?: () => number;
}
