// What an opened cluster offers the rest of the app — the TUI, the lessons, the bench — whatever kind it is: the
// built-in cluster (its control API: broker actions, faults, the request log, its state read directly) or a real
// one given by --brokers (its containers when they can be found, its TLS/SASL options).
import type { ClusterEvent, RequestView, SandboxControl, SandboxOptions } from '../../sandbox/control/control.js';
import type { EngineOptions } from '../producer/producer-engine.js';
import type { ClientTarget } from './clients.js';
import type { ClusterControl } from './cluster-control.js';
import type { TopicConfigs } from './topic-configs.js';
import type { ConnectionSecurity } from './connection-config.js';
import type { ContainerLine } from './containers/broker-watch.js';

export type { ClusterEvent, SandboxControl };
/** A cluster event as one line of text (null for the ones too frequent to list, like high-watermark moves). */
export { formatEvent as describeClusterEvent } from '../../sandbox/control/event-text.js';

/** Where to look for a real cluster's containers (--docker-host, --compose-project). */
export interface ContainerTarget {
  dockerHost?: string;
  project?: string;
}

export interface ClusterOptions {
  /** A real cluster's bootstrap servers. */
  brokers?: string[];
  /** The built-in cluster, even when a Kafka runs on 127.0.0.1:9092. */
  sandbox?: boolean;
  probeAddress?: string;
  probeMs?: number;
  /** First port for the built-in cluster; taken ports fall back to free ones. 0: free ports. */
  sandboxPort?: number;
  /** The built-in cluster's shape where a lesson needs one (broker count, replica.lag.time.max.ms). */
  sandboxSetup?: Pick<SandboxOptions, 'brokers' | 'replicaLagTimeMaxMs' | 'groupInitialRebalanceDelayMs'>;
  /** TLS and SASL for a real cluster (--tls, --sasl-mechanism...). */
  security?: ConnectionSecurity;
  /** Where to look for a real cluster's containers (--docker-host, --compose-project). */
  containers?: ContainerTarget;
  /** Look for a real cluster's broker containers (default true). */
  containerControl?: boolean;
  /** The producer is transactional: the version check covers the transaction APIs too. */
  transactions?: boolean;
}

/** One request the built-in cluster received, for the Cluster screen's request log. */
export type RequestSummary = RequestView;

export interface PartitionInfo {
  leader: number;
  /** The leader first. */
  replicas: number[];
  isr: number[];
}

/** A topic to create exactly as given (a lesson's topic); ensureTopic in topic-setup.ts fits one to the cluster. */
export interface TopicSpec {
  partitions: number;
  replicationFactor: number;
  /** Topic configs by Kafka name, e.g. { 'min.insync.replicas': '2' }. */
  configs?: Record<string, string>;
}

export interface ClusterHandle {
  kind: 'sandbox' | 'real';
  brokers: string[];
  /** For the status bar and screens: "built-in cluster 127.0.0.1:9092-9094", "cluster kafka1:9092,...". */
  name: string;
  /** For reports: the name, and the built-in cluster's settings away from Kafka's defaults, so every report shows them. */
  label: string;
  /** The built-in cluster's settings away from Kafka's defaults, e.g. "num.partitions=3 (Kafka: 1)"; null when none. */
  settingsChanged: string | null;
  /** Why this cluster, when the user did not choose. */
  note: string | null;
  /** Brokers and TLS/SASL options: hand it to kafkaClient() for any kafkajs client. */
  client: ClientTarget;
  control: ClusterControl | null;
  /** Read and change a topic's min.insync.replicas, retention and unclean leader election. */
  topicConfigs?: TopicConfigs;
  /** Why a real cluster has no broker control, naming the fix (shown on the Cluster screen). */
  controlProblem: string | null;
  /** The built-in cluster's control API (faults, request log, state); null on a real cluster. */
  sandbox: SandboxControl | null;
  /** Things to say once at startup (remote engine, insecure TLS, protocol versions kafkajs cannot use). */
  warnings: string[];
  /** Display-safe connection summary, e.g. "SASL_SSL, SCRAM-SHA-512 as alice, system CAs". */
  security: string;
  /** The broker containers as last seen, and a subscription to their changes (real cluster with control). */
  containers?: {
    current(): readonly ContainerLine[];
    on(fn: (lines: readonly ContainerLine[]) => void): () => void;
  };
  /** What the engine can learn from the cluster directly (broker states, log end offsets) and how to connect. */
  engineOptions: Pick<EngineOptions, 'brokerStates' | 'offsets' | 'ssl' | 'sasl'>;
  requests?(n: number): RequestSummary[];
  /** Cluster events (elections, ISR changes, broker states) as lines; returns the unsubscribe function. */
  events?(fn: (level: 'info' | 'warn', text: string) => void): () => void;
  /** The built-in cluster's events as data (a real cluster has none to give); returns the unsubscribe function. */
  clusterEvents(fn: (e: ClusterEvent) => void): () => void;
  /** A partition's leader, replicas and ISR now: read directly on the built-in cluster, by Metadata on a real one. */
  partitionInfo(topic: string, partition: number): Promise<PartitionInfo>;
  /** Creates a topic exactly as specified; fails when the cluster has too few brokers for it. */
  createTopic(name: string, spec: TopicSpec): Promise<void>;
  deleteTopic(name: string): Promise<void>;
  close(): Promise<void>;
}
