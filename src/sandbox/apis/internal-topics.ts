// Kafka's internal topics, as Metadata reports them: __consumer_offsets (offsets.topic.num.partitions, 50) and
// __transaction_state (transaction.state.log.num.partitions, 50), flagged internal. The sandbox keeps group offsets
// and transaction state in its coordinators, not in these topics, so they hold no records; clients cannot create
// them, as in Kafka.
import type { Cluster } from '../cluster/cluster.js';
import { ErrorCode } from '../../wire/error-codes.js';

export const INTERNAL_TOPICS: Readonly<Record<string, number>> = { __consumer_offsets: 50, __transaction_state: 50 };

export function isInternalTopic(name: string): boolean {
  return Object.hasOwn(INTERNAL_TOPICS, name);
}

/** Kafka's topic name rule (Topic.validate): 1-249 of [a-zA-Z0-9._-], and not "." or "..". */
export function invalidTopicName(name: string | null): string | null {
  if (name === null || name === '') return 'Topic name is illegal, it can\'t be empty';
  if (name === '.' || name === '..') return 'Topic name cannot be "." or ".."';
  if (name.length > 249) return `Topic name is illegal, it can't be longer than 249 characters, topic name: ${name}`;
  if (!/^[a-zA-Z0-9._-]+$/.test(name)) {
    return `Topic name "${name}" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'`;
  }
  return null;
}

/** An internal topic's partitions, spread over the brokers like any topic's (replication factor up to 3). */
export function internalTopicPartitions(cluster: Cluster, name: string) {
  const ids = [...cluster.brokers.keys()].sort((a, b) => a - b);
  const rf = Math.min(3, ids.length);
  return Array.from({ length: INTERNAL_TOPICS[name] }, (_, p) => {
    const replicaNodes = Array.from({ length: rf }, (_, i) => ids[(p + i) % ids.length]);
    const isrNodes = replicaNodes.filter((b) => cluster.isServing(b));
    const leaderId = isrNodes[0] ?? -1;
    return {
      errorCode: leaderId < 0 ? ErrorCode.LEADER_NOT_AVAILABLE : ErrorCode.NONE,
      partitionIndex: p,
      leaderId,
      leaderEpoch: 0,
      replicaNodes,
      isrNodes,
      offlineReplicas: replicaNodes.filter((b) => !cluster.isServing(b)),
    };
  });
}
