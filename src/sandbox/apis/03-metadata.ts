// Metadata (key 3), v0-12: the live brokers, a live controller, and each partition's leader, replicas, ISR and
// offline replicas. Topics are auto-created here when allowed.
import { ApiKey } from '../../wire/api-keys.js';
import { ErrorCode } from '../../wire/error-codes.js';
import { defineApi, type ApiDefinition } from '../server/api.js';
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

export const metadataApi: ApiDefinition<MetadataRequest, MetadataResponse> = defineApi({
  key: ApiKey.Metadata,
  minVersion: 0,
  maxVersion: 12,
  handle(ctx, req) {
    const { cluster } = ctx.state;
    const all = req.topics === null || (ctx.version === 0 && req.topics.length === 0);
    const wanted = all ? [...cluster.topics.keys()].sort().map((name) => ({ topicId: ZERO_TOPIC_ID, name })) : req.topics!;
    const topics: MetadataTopic[] = wanted.map((want) => {
      const byId = want.name === null ? topicByWireId(cluster, want.topicId) : undefined;
      if (want.name === null && !byId) {
        return { errorCode: ErrorCode.UNKNOWN_TOPIC_ID, name: null, topicId: want.topicId, isInternal: false, partitions: [] };
      }
      const name = byId?.name ?? want.name!;
      if (!cluster.ensureTopic(name, req.allowAutoTopicCreation)) {
        return { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, name, topicId: ZERO_TOPIC_ID, isInternal: false, partitions: [] };
      }
      const topic = cluster.topics.get(name)!;
      return {
        errorCode: ErrorCode.NONE,
        name,
        topicId: wireTopicId(topic),
        isInternal: false,
        partitions: topic.partitions.map((p) => ({
          // LEADER_NOT_AVAILABLE only when the partition really has no leader (kafkajs retries on it).
          errorCode: p.leader < 0 ? ErrorCode.LEADER_NOT_AVAILABLE : ErrorCode.NONE,
          partitionIndex: p.index,
          leaderId: p.leader,
          leaderEpoch: p.leaderEpoch,
          replicaNodes: [...p.replicas],
          isrNodes: [...p.isr],
          offlineReplicas: p.offlineReplicas(),
        })),
      };
    });
    // Advertise brokers under the host the client used to reach us, so kafkajs reuses its seed connection.
    const brokers = cluster.listedBrokers().map((b) => ({ nodeId: b.id, host: b.host, port: b.port, rack: null }));
    return { throttleTimeMs: 0, brokers, clusterId: cluster.clusterId, controllerId: cluster.controller, topics };
  },
});
