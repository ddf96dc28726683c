// DeleteRecords (key 21), v0-2: moves a partition's log start offset forward (the records below it are gone for
// every consumer), at the partition's leader. Offset -1 means the high watermark; beyond it is OFFSET_OUT_OF_RANGE.
// Kafka answers once every in-sync replica has moved its log start; here all replicas move at once.
import { deleteRecordsBefore } from '../cluster/topic-admin.js';
import { ApiKey } from '../../wire/api-keys.js';
import { ErrorCode } from '../../wire/error-codes.js';
import { defineApi, type ApiDefinition, type RequestContext } from '../server/api.js';

export interface DeleteRecordsRequest {
  topics: { name: string; partitions: { partitionIndex: number; offset: number }[] }[];
  timeoutMs: number;
}

type PartitionResult = { partitionIndex: number; lowWatermark: number; errorCode: number };

export interface DeleteRecordsResponse {
  throttleTimeMs: number;
  topics: { name: string; partitions: PartitionResult[] }[];
}

function deleteOne(ctx: RequestContext, topic: string, partitionIndex: number, offset: number): PartitionResult {
  const p = ctx.state.cluster.partition(topic, partitionIndex);
  if (!p) return { partitionIndex, lowWatermark: -1, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
  if (p.leader !== ctx.brokerId) return { partitionIndex, lowWatermark: -1, errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER };
  const r = deleteRecordsBefore(p, offset);
  return { partitionIndex, lowWatermark: r.lowWatermark, errorCode: r.error };
}

export const deleteRecordsApi: ApiDefinition<DeleteRecordsRequest, DeleteRecordsResponse> = defineApi<DeleteRecordsRequest, DeleteRecordsResponse>({
  key: ApiKey.DeleteRecords,
  minVersion: 0,
  maxVersion: 2,
  handle(ctx, req) {
    const topics = req.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => deleteOne(ctx, t.name, p.partitionIndex, p.offset)),
    }));
    return { throttleTimeMs: 0, topics };
  },
  withError(req, res, code) {
    return {
      throttleTimeMs: res?.throttleTimeMs ?? 0,
      topics: req.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, lowWatermark: -1, errorCode: code })) })),
    };
  },
});
