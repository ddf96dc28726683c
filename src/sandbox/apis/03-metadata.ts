// Metadata (key 3), v0-6: the live brokers, a live controller, and each partition's leader, replicas, ISR and
// offline replicas. Topics are auto-created here when allowed (sandbox-protocol §5).
import { ApiKey } from '../../wire/api-keys.js';
import { ErrorCode } from '../../wire/error-codes.js';
import type { Reader } from '../../wire/reader.js';
import type { Writer } from '../../wire/writer.js';
import type { ApiDefinition } from '../server/api.js';

export interface MetadataRequest {
  /** null: all topics. */
  topics: string[] | null;
  allowAutoTopicCreation: boolean;
}

export interface MetadataPartition {
  errorCode: number;
  partitionIndex: number;
  leaderId: number;
  replicaNodes: number[];
  isrNodes: number[];
  offlineReplicas: number[];
}

export interface MetadataTopic {
  errorCode: number;
  name: string;
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

export function decodeMetadataRequest(r: Reader, version: number): MetadataRequest {
  let topics: string[] | null;
  if (version === 0) {
    const list = r.array((r) => r.string());
    topics = list.length === 0 ? null : list; // v0: an empty list means all topics
  } else {
    topics = r.nullableArray((r) => r.string());
  }
  const allowAutoTopicCreation = version >= 4 ? r.boolean() : true;
  return { topics, allowAutoTopicCreation };
}

export function encodeMetadataResponse(w: Writer, version: number, res: MetadataResponse): void {
  if (version >= 3) w.int32(res.throttleTimeMs);
  w.array(res.brokers, (w, b) => {
    w.int32(b.nodeId).string(b.host).int32(b.port);
    if (version >= 1) w.nullableString(b.rack);
  });
  if (version >= 2) w.nullableString(res.clusterId);
  if (version >= 1) w.int32(res.controllerId);
  w.array(res.topics, (w, t) => {
    w.int16(t.errorCode).string(t.name);
    if (version >= 1) w.boolean(t.isInternal);
    w.array(t.partitions, (w, p) => {
      w.int16(p.errorCode).int32(p.partitionIndex).int32(p.leaderId);
      w.array(p.replicaNodes, (w, n) => w.int32(n));
      w.array(p.isrNodes, (w, n) => w.int32(n));
      if (version >= 5) w.array(p.offlineReplicas, (w, n) => w.int32(n));
    });
  });
}

export const metadataApi: ApiDefinition<MetadataRequest, MetadataResponse> = {
  key: ApiKey.Metadata,
  minVersion: 0,
  maxVersion: 6,
  decode: decodeMetadataRequest,
  encode: encodeMetadataResponse,
  handle(ctx, req) {
    const { cluster } = ctx.state;
    const names = req.topics ?? [...cluster.topics.keys()].sort();
    const topics: MetadataTopic[] = names.map((name) => {
      if (!cluster.ensureTopic(name, req.allowAutoTopicCreation)) {
        return { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, name, isInternal: false, partitions: [] };
      }
      const topic = cluster.topics.get(name)!;
      return {
        errorCode: ErrorCode.NONE,
        name,
        isInternal: false,
        partitions: topic.partitions.map((p) => ({
          // LEADER_NOT_AVAILABLE only when the partition really has no leader (kafkajs retries on it).
          errorCode: p.leader < 0 ? ErrorCode.LEADER_NOT_AVAILABLE : ErrorCode.NONE,
          partitionIndex: p.index,
          leaderId: p.leader,
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
};
