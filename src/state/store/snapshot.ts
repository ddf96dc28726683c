// The immutable picture of the lab that the screens draw: one object per publish, never mutated afterwards, so
// React can compare by reference (a chart whose series array did not change is not drawn again).
import type { BrokerView, DeliveryReport, EngineTotals, PartitionSequence, PartitionView, ProducerStatus } from '../../kafka/producer/engine-types.js';
import type { DeadLetter } from '../../kafka/producer/delivery-log.js';
import type { RequestSummary } from '../../kafka/cluster/open-cluster.js';
import type { EffectiveConfig } from '../../kafka/producer/config/settings.js';
import type { TransactionView } from '../../kafka/producer/transaction-manager.js';
import type { LabsView } from '../lab-run-view.js';
import type { TxnOffsetsView } from '../../kafka/cluster/txn-offsets.js';
import type { ClusterTruth } from '../../kafka/cluster/cluster-truth.js';
import type { HealthView } from './health.js';

// The types the screens draw, all from here: the snapshot is the UI's whole view of the domain.

import type { AuditFinding, LiveAuditView } from '../../kafka/workload/live-audit.js';
import type { TopicSettings } from '../../kafka/cluster/topic-configs.js';
import type { KafkaMetricValues } from '../../kafka/producer/metrics/kafka-metrics.js';

// The types the screens draw, all from here: the snapshot is the UI's whole view of the domain.
export type { ClusterTruth, HealthView, AuditFinding, KafkaMetricValues, LiveAuditView, PartitionSequence, BrokerView, DeadLetter, DeliveryReport, EffectiveConfig, ProducerStatus, TransactionView, TxnOffsetsView };
export type { Lab } from '../../labs/lab-types.js';
export type { LabReport } from '../../labs/runner.js';

export type ConnectionPhase = 'connecting' | 'ready' | 'failed' | 'closing';

export interface ConnectionView {
  phase: ConnectionPhase;
  /** What is happening or what went wrong, in words. */
  detail: string;
}

export interface ClusterInfo {
  /** For the status bar: "built-in cluster 127.0.0.1:9092-9094" or "cluster kafka1:9092,kafka2:9092". */
  label: string;
  kind: 'sandbox' | 'real';
  /** The built-in cluster's settings away from Kafka's defaults (shown on the Cluster screen); null when none. */
  settingsChanged?: string | null;
  /** Why this cluster was chosen when the user did not say (the fallback to the built-in cluster). */
  note: string | null;
  /** Broker actions are possible (the built-in cluster, or container control when wired). */
  canControl: boolean;
  /** Faults (drop, delay, error) are possible: the built-in cluster only. */
  canInjectFaults: boolean;
  /** Why a real cluster has no broker control, naming the fix. */
  controlProblem?: string | null;
  /** Display-safe connection summary (PLAINTEXT, SASL_SSL...). */
  security?: string;
  /** A real cluster's broker containers (name and engine state), when they are controlled. */
  containers?: readonly { broker: number; name: string; status: string }[];
}

/** A vertical mark on the charts: a setting changed, a broker changed state, or the audit saw its first problem of a kind. */
export interface Marker {
  /** Epoch second it happened in. */
  second: number;
  kind: 'setting' | 'broker' | 'audit';
  text: string;
}

export interface EventLine {
  at: number;
  level: 'info' | 'warn' | 'error';
  text: string;
}

export interface Notice {
  at: number;
  level: 'info' | 'ok' | 'error';
  text: string;
}

export interface NamedSeries {
  label: string;
  values: readonly number[];
}

/** Per-second history; replaced once a second, so its identity doubles as its version. */
export interface SeriesView {
  /** Epoch second of the newest value. */
  lastSecond: number;
  throughput: readonly number[];
  p50: readonly number[];
  p99: readonly number[];
  errors: readonly number[];
  retries: readonly number[];
  requests: readonly number[];
  recordsPerRequest: readonly number[];
  inFlight: readonly NamedSeries[];
  markers: readonly Marker[];
}

/**
 * A partition as the Live screen shows it. leader, replicas and isr are the cluster's own state where it is known
 * (leaderSource 'cluster'), else the producer's metadata.
 */
export interface PartitionRow extends PartitionView {
  recordsPerSec: number;
  leaderSource?: 'cluster' | 'producer';
  /** The leader the producer's metadata still names, when it differs from the cluster's; null when they agree. */
  producerLeader?: number | null;
}

/** A line of the log the user opens with L: kafkajs's and the producer's own log lines, console output. */
export interface LogLine {
  at: number;
  level: 'debug' | 'info' | 'warn' | 'error';
  text: string;
}


export type RequestLine = RequestSummary;

export interface WorkloadView {
  running: boolean;
  ratePerSec: number;
  sent: number;
  acked: number;
  failed: number;
  /** One line saying what the producer loop is doing, e.g. "300 rec/s, keys key-0..key-99". */
  detail: string;
}

export interface RatesView {
  recordsPerSec: number;
  errorsPerSec: number;
  retriesPerSec: number;
  requestsPerSec: number;
  /** Over the last second with requests, and since the start. */
  recordsPerRequest: number;
  recordsPerRequestAvg: number;
  bytesPerRequestAvg: number;
  queueTimeAvgMs: number;
  p50Ms: number;
  p99Ms: number;
  /** Record batch bytes per second before and after compression (last second), and after/before over the last 3 s. */
  bytesBeforePerSec: number;
  bytesAfterPerSec: number;
  compressionRatio: number | null;
}

export interface AppSnapshot {
  /** Increases with every publish. */
  version: number;
  now: number;
  connection: ConnectionView;
  cluster: ClusterInfo | null;
  topic: string;
  producer: ProducerStatus | null;
  config: EffectiveConfig | null;
  totals: EngineTotals | null;
  rates: RatesView;
  series: SeriesView;
  partitions: readonly PartitionRow[];
  brokers: readonly BrokerView[];
  /** Newest last. */
  deliveries: readonly DeliveryReport[];
  deadLetters: readonly DeadLetter[];
  deadDropped: number;
  workload: WorkloadView | null;
  events: readonly EventLine[];
  requests: readonly RequestLine[];
  faults: readonly { id: number; description: string }[];
  notice: Notice | null;
  /** The Labs screen's runs (each lab in its own cluster, not this one). */
  labs: LabsView;
  /** The producer's transaction (phase, partitions, records); null before connecting. */
  transaction: TransactionView | null;
  /** LSO against HW of the topic, polled about once a second. */
  txnOffsets: TxnOffsetsView | null;
  /** The header's state, derived from the facts (state/store/health.ts). */
  health: HealthView;
  /** The cluster's own state of the topic, polled (null until known). */
  clusterTruth: ClusterTruth | null;
  /** Age of the producer's metadata (null before its first refresh). */
  metadataAgeMs: number | null;
  /** Where the producer's metadata still differs from the cluster's state, in words. */
  metadataDiffs: readonly string[];
  /** Newest last. */
  log: readonly LogLine[];
  /** The live audit's running counts for the current run (the header draws them); null before it runs. */
  liveAudit?: { lost: number; duplicated: number; reordered: number } | null;
  /** The live audit in full: its state and the offending records, oldest first. */
  audit: { view: LiveAuditView; findings: readonly AuditFinding[] } | null;
  /** The producer's metrics under Kafka's names, and the idempotent producer's sequences per partition of the topic. */
  pipeline: PipelineView | null;
  /** The topic's min.insync.replicas, retention and unclean leader election, read about every 2 s. */
  topicSettings: TopicSettingsView | null;
  /** Why records were last retried (the error the broker or the connection gave). */
  lastRetryCause: string | null;
}

export type TopicSettingsView = TopicSettings;

export interface PipelineView {
  metrics: KafkaMetricValues;
  sequences: readonly PartitionSequence[];
}
