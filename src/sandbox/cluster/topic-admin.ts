// Admin changes to existing topics, with Kafka's checks and error codes: more partitions (CreatePartitions),
// a manual replica assignment at creation (CreateTopics), records deleted below an offset (DeleteRecords), configs
// altered (AlterConfigs, IncrementalAlterConfigs). Every check runs before anything changes.
import { ErrorCode } from '../../wire/error-codes.js';
import type { Cluster, Topic } from './cluster.js';
import { Partition } from './partition.js';
import { parseTopicConfig } from './topic-config.js';

/**
 * The sandbox keeps every partition in memory (about 2 KB each with three replicas): a cap keeps it bounded. This is
 * the default of sandbox.max.partitions (cluster.settings.maxPartitions), which a sandbox may set lower or higher.
 */
export const MAX_CLUSTER_PARTITIONS = 10_000;

export type AdminResult = { error: 0 } | { error: number; message: string };

const OK: AdminResult = { error: 0 };
const fail = (error: number, message: string): AdminResult => ({ error, message });

/** Checks a manual assignment (partition i -> replicas[i]) as Kafka's controller does. */
export function checkAssignment(cluster: Cluster, assignment: number[][], replicationFactor: number | null): AdminResult {
  for (const [i, replicas] of assignment.entries()) {
    if (replicas.length === 0) return fail(ErrorCode.INVALID_REPLICA_ASSIGNMENT, `Partition ${i} has an empty replica list.`);
    if (new Set(replicas).size !== replicas.length) {
      return fail(ErrorCode.INVALID_REPLICA_ASSIGNMENT, `Partition ${i} lists a broker twice: ${replicas.join(', ')}.`);
    }
    const unknown = replicas.find((b) => !cluster.brokers.has(b));
    if (unknown !== undefined) return fail(ErrorCode.INVALID_REPLICA_ASSIGNMENT, `Broker ${unknown} in the assignment of partition ${i} does not exist.`);
    if (replicationFactor !== null && replicas.length !== replicationFactor) {
      return fail(ErrorCode.INVALID_REPLICA_ASSIGNMENT, `Partition ${i} has ${replicas.length} replicas, the others ${replicationFactor}.`);
    }
  }
  return OK;
}

/** sandbox.max.partitions, the one cap every path that creates partitions checks (Cluster.partitionCapError). */
function capError(cluster: Cluster, more: number): AdminResult {
  return cluster.partitionCapError(more) ?? OK;
}

/** Round-robin like Kafka's: partition p's replicas start at broker p mod n, so leaders spread. */
function roundRobin(cluster: Cluster, from: number, to: number, rf: number): number[][] {
  const ids = [...cluster.brokers.keys()].sort((a, b) => a - b);
  const out: number[][] = [];
  for (let p = from; p < to; p++) out.push(Array.from({ length: rf }, (_, i) => ids[(p + i) % ids.length]));
  return out;
}

/** CreateTopics with a manual assignment: partition index -> broker ids, indexes 0..n-1 each once. */
export function createTopicWithAssignment(
  cluster: Cluster,
  name: string,
  assignments: { partitionIndex: number; brokerIds: number[] }[],
  configs: Record<string, string | null>,
  validateOnly: boolean,
): AdminResult {
  const sorted = [...assignments].sort((a, b) => a.partitionIndex - b.partitionIndex);
  if (sorted.some((a, i) => a.partitionIndex !== i)) {
    return fail(ErrorCode.INVALID_REPLICA_ASSIGNMENT, 'Partitions in a manual assignment must be numbered 0 to n-1, each once.');
  }
  const replicas = sorted.map((a) => a.brokerIds);
  const checked = checkAssignment(cluster, replicas, replicas[0]?.length ?? 0);
  if (checked.error !== 0) return checked;
  const cap = cluster.topics.has(name) ? OK : capError(cluster, replicas.length);
  if (cap.error !== 0) return cap;
  // The cluster checks the name, configs and the rest; then the partitions take the assigned replicas.
  const created = cluster.createTopic(name, replicas.length, replicas[0].length, configs, true);
  if (created.error !== 0 || validateOnly) return created;
  cluster.createTopic(name, replicas.length, replicas[0].length, configs);
  const topic = cluster.topics.get(name)!;
  for (const p of topic.partitions) p.cancelTimers();
  topic.partitions = replicas.map((r, i) => new Partition(name, i, r, topic.config, cluster.env));
  return OK;
}

/** CreatePartitions: grows a topic to `count` partitions; an assignment gives the new partitions' replicas. */
export function addPartitions(cluster: Cluster, name: string, count: number, assignment: number[][] | null, validateOnly: boolean): AdminResult {
  const topic = cluster.topics.get(name);
  if (!topic) return fail(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `The topic '${name}' does not exist.`);
  const current = topic.partitions.length;
  if (count < current) return fail(ErrorCode.INVALID_PARTITIONS, `Topic currently has ${current} partitions, which is higher than the requested ${count}.`);
  if (count === current) return fail(ErrorCode.INVALID_PARTITIONS, `Topic already has ${current} partitions.`);
  // The cap first: nothing is built for a count that could never fit.
  const cap = capError(cluster, count - current);
  if (cap.error !== 0) return cap;
  const rf = topic.partitions[0]?.replicas.length ?? 1;
  if (assignment !== null && assignment.length !== count - current) {
    return fail(ErrorCode.INVALID_REPLICA_ASSIGNMENT, `Increasing the number of partitions by ${count - current} but ${assignment.length} assignments provided.`);
  }
  const replicas = assignment ?? roundRobin(cluster, current, count, rf);
  const checked = checkAssignment(cluster, replicas, rf);
  if (checked.error !== 0 || validateOnly) return checked;
  for (const r of replicas) topic.partitions.push(new Partition(name, topic.partitions.length, r, topic.config, cluster.env));
  return OK;
}

/** DeleteRecords: moves the log start offset of every replica to `offset` (-1: the high watermark). */
export function deleteRecordsBefore(p: Partition, offset: number): { error: number; lowWatermark: number } {
  const target = offset === -1 ? p.highWatermark : offset;
  if (target < 0 || target > p.highWatermark) return { error: ErrorCode.OFFSET_OUT_OF_RANGE, lowWatermark: -1 };
  for (const log of p.logs.values()) {
    if (target <= log.logStartOffset) continue;
    while (log.batches.length > 0 && log.batches[0].lastOffset < target) {
      log.sizeBytes -= log.batches.shift()!.bytes.length;
    }
    // A follower behind the new start has nothing left to keep: it starts over there.
    if (log.endOffset < target) log.resetTo(target);
    else log.logStartOffset = target;
  }
  return { error: ErrorCode.NONE, lowWatermark: p.logStartOffset() };
}

/**
 * Replaces a topic's configs (AlterConfigs) or applies changes to them (IncrementalAlterConfigs: null deletes,
 * i.e. back to the cluster default). Validated as at creation; the partitions see the change at once.
 */
export function alterTopicConfig(cluster: Cluster, topic: Topic, changes: Record<string, string | null>, replace: boolean, validateOnly: boolean): AdminResult {
  const overrides: Record<string, string | null> = {};
  if (!replace) {
    for (const [k, v] of Object.entries(topic.config.raw)) if (v !== cluster.topicConfigDefaults[k]) overrides[k] = v;
  }
  for (const [k, v] of Object.entries(changes)) {
    if (v === null) delete overrides[k];
    else overrides[k] = v;
  }
  const parsed = parseTopicConfig(overrides, cluster.topicConfigDefaults);
  if (!parsed.ok) return fail(ErrorCode.INVALID_CONFIG, parsed.message);
  if (!validateOnly) Object.assign(topic.config, parsed.config);
  return OK;
}
