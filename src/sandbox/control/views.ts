// What the control API answers with: plain views of the cluster, apart from the control logic so that the text
// formatting of a status (status-text.ts) and the control itself both read them without importing each other.
import type { ChangedSetting } from '../cluster/broker-settings.js';
import type { BrokerStatus } from '../cluster/events.js';

export type { BrokerStatus, ClusterEvent, ClusterEventListener } from '../cluster/events.js';
export type { SandboxOptions } from '../sandbox.js';
import type { FaultKind } from '../server/faults.js';

export interface ControlResult {
  ok: boolean;
  message: string;
}

export interface BrokerView {
  id: number;
  status: BrokerStatus;
  host: string;
  port: number;
  address: string;
  /** Partitions this broker currently leads. */
  leaderCount: number;
  isController: boolean;
  /** Open client connections. */
  connections: number;
  replicationDelayMs: number;
}

export interface PartitionView {
  topic: string;
  partition: number;
  leader: number;
  leaderEpoch: number;
  replicas: number[];
  isr: number[];
  offlineReplicas: number[];
  logStartOffset: number;
  /** The leader's log end offset. */
  logEndOffset: number;
  highWatermark: number;
  lastStableOffset: number;
  /** Log end offset of every replica, by broker id: a follower's lag is logEndOffset minus its entry. */
  replicaLogEndOffsets: Record<number, number>;
}

/** A partition's offsets alone (see PartitionView). */
export type PartitionOffsetsView = Pick<PartitionView, 'partition' | 'logStartOffset' | 'logEndOffset' | 'highWatermark' | 'lastStableOffset'>;

export interface TopicView {
  name: string;
  replicationFactor: number;
  minInsyncReplicas: number;
  uncleanLeaderElection: boolean;
  partitions: PartitionView[];
}

export interface ClusterStatusView {
  clusterId: string;
  controller: number;
  autoCreateTopics: boolean;
  replicaLagTimeMaxMs: number;
  /** Broker settings away from Kafka's defaults (or, for the sandbox's own, from its default). */
  changedSettings: ChangedSetting[];
  brokers: BrokerView[];
  topics: TopicView[];
  pendingFaults: number;
}

export interface FaultTarget {
  /** API name (case-insensitive, e.g. 'produce') or key. */
  api: string | number;
  /** Only requests to this broker; every broker when absent. */
  broker?: number;
  /** How many matching requests the fault applies to, one each (default 1). */
  count?: number;
}

export interface FaultView {
  id: number;
  apiKey: number;
  api: string;
  broker?: number;
  kind: FaultKind['kind'];
  error?: number;
  errorName?: string;
  delayMs?: number;
  description: string;
}

/** One request a broker received, as the Cluster screen's request log lists it. */
export interface RequestView {
  seq: number;
  broker: number;
  /** Kafka's name of the API, e.g. Produce. */
  api: string;
  version: number;
  outcome: 'pending' | 'answered' | 'no-response' | 'dropped' | 'closed';
  /** Milliseconds to the answer; null while pending or when none came. */
  ms: number | null;
  /** Non-zero error names in the answer, comma-separated. */
  errors: string;
  fault: string | null;
}

/** One record batch in a partition leader's log: what idempotence and transactions are checked against. */
export interface StoredBatchView {
  baseOffset: number;
  lastOffset: number;
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  recordCount: number;
  isTransactional: boolean;
  isControl: boolean;
}
