// Topic ids on the wire (KIP-516): Kafka's Uuid is 16 bytes, which the codec carries as base64url text (the form
// Kafka's Uuid.toString prints); the cluster keeps each topic's id as a UUID string.
import type { Cluster, Topic } from '../cluster/cluster.js';

export const ZERO_TOPIC_ID = 'AAAAAAAAAAAAAAAAAAAAAA';

export function wireTopicId(topic: Topic): string {
  return Buffer.from(topic.id.replace(/-/g, ''), 'hex').toString('base64url');
}

/** The topic with this wire id, if any (a cluster has few topics, so a scan is fine). */
export function topicByWireId(cluster: Cluster, id: string): Topic | undefined {
  for (const t of cluster.topics.values()) if (wireTopicId(t) === id) return t;
  return undefined;
}
