// Metadata (key 3), v0-12: the live brokers, a live controller, and each partition's leader, replicas, ISR and
// offline replicas. Topics are auto-created here, and only here, when the broker and the request allow it, as in
// Kafka. v10+ carry topic ids and may ask for a topic by id.
import { ApiKey } from '../../wire/api-keys.js';
import { ErrorCode } from '../../wire/error-codes.js';
import { createHash } from 'node:crypto';
import type { Topic } from '../cluster/cluster.js';
import { defineApi, type ApiDefinition, type RequestContext } from '../server/api.js';
import { internalTopicPartitions, invalidTopicName, isInternalTopic } from './internal-topics.js';
import { topicByWireId, wireTopicId, ZERO_TOPIC_ID } from './topic-ids.js';

export interface MetadataRequest {
  /** null (v1+), or empty in v0: all topics. v10+ may name a topic by id, with a null name. */
  topics: { topicId: string; name: string | null }[] | null;
  allowAutoTopicCreation: boolean;
}

export interface MetadataPartition {
  errorCode: number;
  partitionIndex: number;
  leaderId: number;
  leaderEpoch: number;
  replicaNodes: number[];
  isrNodes: number[];
  offlineReplicas: number[];
}

export interface MetadataTopic {
  errorCode: number;
  name: string | null;
  topicId: string;
  isInternal: boolean;
  partitions: MetadataPartition[];
}

export interface MetadataResponse {
  throttleTimeMs: number;
  brokers: { nodeId: number; host: string; port: number; rack: string | null }[];
  clusterId: string | null;
  controllerId: number;
  topics: MetadataTopic[];
}

const unknown = (name: string | null, errorCode: number, topicId = ZERO_TOPIC_ID): MetadataTopic => ({ errorCode, name, topicId, isInternal: false, partitions: [] });

/** A stable made-up id for an internal topic (it has no Topic in the cluster). */
function internalTopicId(name: string): string {
  return createHash('md5').update(name).digest().toString('base64url');
}

/**
 * A topic the cluster does not have: an internal topic is reported as such; an invalid name is
 * INVALID_TOPIC_EXCEPTION; with auto-creation allowed the topic is created and, as Kafka's first answer for a new
 * topic, reported LEADER_NOT_AVAILABLE without partitions (leaders come with the next request).
 */
function missingTopic(ctx: RequestContext, name: string, allowAutoCreate: boolean): MetadataTopic {
  const { cluster } = ctx.state;
  if (isInternalTopic(name)) {
    return { errorCode: ErrorCode.NONE, name, topicId: internalTopicId(name), isInternal: true, partitions: internalTopicPartitions(cluster, name) };
  }
  if (invalidTopicName(name) !== null) return unknown(name, ErrorCode.INVALID_TOPIC_EXCEPTION);
  if (!allowAutoCreate || !cluster.autoCreateTopics) return unknown(name, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  const created = cluster.createTopic(name, -1, -1);
  if (created.error !== ErrorCode.NONE) return unknown(name, created.error);
  return unknown(name, ErrorCode.LEADER_NOT_AVAILABLE, wireTopicId(cluster.topics.get(name)!));
}

function describeTopic(ctx: RequestContext, topic: Topic): MetadataTopic {
  return {
    errorCode: ErrorCode.NONE,
    name: topic.name,
    topicId: wireTopicId(topic),
    isInternal: false,
    partitions: topic.partitions.map((p) => ({
      // LEADER_NOT_AVAILABLE only when the partition really has no leader (clients retry on it).
      errorCode: p.leader < 0 ? ErrorCode.LEADER_NOT_AVAILABLE : ErrorCode.NONE,
      partitionIndex: p.index,
      leaderId: p.leader,
      leaderEpoch: p.leaderEpoch,
      replicaNodes: [...p.replicas],
      isrNodes: [...p.isr],
      offlineReplicas: p.offlineReplicas(),
    })),
  };
}

export const metadataApi: ApiDefinition<MetadataRequest, MetadataResponse> = defineApi<MetadataRequest, MetadataResponse>({
  key: ApiKey.Metadata,
  minVersion: 0,
  maxVersion: 12,
  handle(ctx, req) {
    const { cluster } = ctx.state;
    const all = req.topics === null || (ctx.version === 0 && req.topics.length === 0);
    const wanted = all ? [...cluster.topics.keys()].sort().map((name) => ({ topicId: ZERO_TOPIC_ID, name })) : req.topics!;
    // Before v4 there is no flag: those versions always ask for auto-creation.
    const allowAutoCreate = ctx.version < 4 || req.allowAutoTopicCreation;
    const topics = wanted.map((want): MetadataTopic => {
      if (want.name === null) {
        const byId = topicByWireId(cluster, want.topicId);
        return byId ? describeTopic(ctx, byId) : unknown(null, ErrorCode.UNKNOWN_TOPIC_ID, want.topicId);
      }
      const topic = cluster.topics.get(want.name);
      return topic ? describeTopic(ctx, topic) : missingTopic(ctx, want.name, allowAutoCreate);
    });
    // Advertise brokers under the host the client used to reach us, so kafkajs reuses its seed connection.
    const brokers = cluster.listedBrokers().map((b) => ({ nodeId: b.id, host: b.host, port: b.port, rack: null }));
    return { throttleTimeMs: 0, brokers, clusterId: cluster.clusterId, controllerId: cluster.controller, topics };
  },
});
