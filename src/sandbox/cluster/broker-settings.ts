// The broker settings the sandbox honours, under Kafka's names with Kafka's defaults, and the few that are the
// sandbox's own (no Kafka counterpart). Anything set away from Kafka's default is listed by `changedSettings`, so the
// `sandbox` command, the cluster status and the labs can say what differs from a real broker.

export interface BrokerSettings {
  /** replica.lag.time.max.ms: a follower not caught up for this long leaves the ISR. */
  replicaLagTimeMaxMs: number;
  /** group.initial.rebalance.delay.ms: a new (Empty) group waits this long for more members before its first rebalance. */
  groupInitialRebalanceDelayMs: number;
  /** connections.max.idle.ms: a connection with no traffic for this long is closed. */
  connectionsMaxIdleMs: number;
  /** socket.request.max.bytes: the largest request, and the most request bytes one connection may have buffered. */
  maxRequestBytes: number;
  /** Sandbox only: a follower copies a leader's batch this long after it was appended (a simulated network). */
  replicationDelayMs: number;
  /** Sandbox only: a request must arrive whole within this long of its first byte, or the connection is closed. */
  requestReadTimeoutMs: number;
  /** Sandbox only: the most partitions the cluster holds, over every path that creates them. */
  maxPartitions: number;
  /** Sandbox only: a reassignment's new replicas start copying the leader's log this long after it is asked for. */
  reassignmentDelayMs: number;
  /** num.partitions: the partition count of a topic created without one (auto-creation, CreateTopics with -1). */
  numPartitions: number;
  /** default.replication.factor: the replication factor of a topic created without one. */
  defaultReplicationFactor: number;
}

export interface SettingInfo {
  key: keyof BrokerSettings;
  /** Kafka's config name, or a `sandbox.` name for the sandbox's own. */
  name: string;
  /** Kafka's default; null for a setting Kafka does not have. */
  kafkaDefault: number | null;
  /** The sandbox's default: Kafka's, except where the labs need another (listed as changed from Kafka's). */
  sandboxDefault: number;
}

export const SETTINGS: readonly SettingInfo[] = [
  { key: 'replicaLagTimeMaxMs', name: 'replica.lag.time.max.ms', kafkaDefault: 30_000, sandboxDefault: 30_000 },
  { key: 'groupInitialRebalanceDelayMs', name: 'group.initial.rebalance.delay.ms', kafkaDefault: 3000, sandboxDefault: 3000 },
  { key: 'connectionsMaxIdleMs', name: 'connections.max.idle.ms', kafkaDefault: 600_000, sandboxDefault: 600_000 },
  { key: 'maxRequestBytes', name: 'socket.request.max.bytes', kafkaDefault: 104_857_600, sandboxDefault: 104_857_600 },
  { key: 'replicationDelayMs', name: 'sandbox.replication.delay.ms', kafkaDefault: null, sandboxDefault: 0 },
  { key: 'requestReadTimeoutMs', name: 'sandbox.request.read.timeout.ms', kafkaDefault: null, sandboxDefault: 30_000 },
  { key: 'maxPartitions', name: 'sandbox.max.partitions', kafkaDefault: null, sandboxDefault: 10_000 },
  // Kafka's new replicas start once the controller's metadata reaches their brokers and their fetchers run; the
  // sandbox stands for that with this delay, so a reassignment is in progress (ListPartitionReassignments) a while.
  { key: 'reassignmentDelayMs', name: 'sandbox.reassignment.delay.ms', kafkaDefault: null, sandboxDefault: 500 },
  // Kafka creates 1 partition with 1 replica; the labs need several of each to show partitioning and replication, so
  // the sandbox starts at 3 and 3 (capped at the broker count) and says so wherever it lists changed settings.
  { key: 'numPartitions', name: 'num.partitions', kafkaDefault: 1, sandboxDefault: 3 },
  { key: 'defaultReplicationFactor', name: 'default.replication.factor', kafkaDefault: 1, sandboxDefault: 3 },
];

export function defaultSettings(): BrokerSettings {
  return Object.fromEntries(SETTINGS.map((s) => [s.key, s.sandboxDefault])) as unknown as BrokerSettings;
}

export interface ChangedSetting {
  name: string;
  value: number;
  /** Kafka's default, or the sandbox's own default for a sandbox-only setting. */
  default: number;
  sandboxOnly: boolean;
}

/** Settings away from their default: Kafka's for Kafka's settings, the sandbox's for its own. */
export function changedSettings(s: BrokerSettings): ChangedSetting[] {
  return SETTINGS.filter((i) => s[i.key] !== (i.kafkaDefault ?? i.sandboxDefault)).map((i) => ({
    name: i.name,
    value: s[i.key],
    default: i.kafkaDefault ?? i.sandboxDefault,
    sandboxOnly: i.kafkaDefault === null,
  }));
}

/** "replica.lag.time.max.ms=2000 (Kafka: 30000), ..." or "" when everything is at its default. */
export function describeChanges(changes: readonly ChangedSetting[]): string {
  return changes.map((c) => `${c.name}=${c.value} (${c.sandboxOnly ? 'default' : 'Kafka'}: ${c.default})`).join(', ');
}
