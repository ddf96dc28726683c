// AlterPartitionReassignments (key 45), v0 (KIP-455), at the controller: starts moving partitions to new replicas
// (cluster/reassignments.ts: the new replicas catch up before the old ones go), or cancels a move in progress (null
// replicas; NO_REASSIGNMENT_IN_PROGRESS when there is none, as Kafka answers).
import { ApiKey } from '../../wire/api-keys.js';
import { ErrorCode } from '../../wire/error-codes.js';
import { defineApi, type ApiDefinition, type RequestContext } from '../server/api.js';

export interface AlterPartitionReassignmentsRequest {
  timeoutMs: number;
  topics: { name: string; partitions: { partitionIndex: number; replicas: number[] | null }[] }[];
}

type PartitionResponse = { partitionIndex: number; errorCode: number; errorMessage: string | null };

export interface AlterPartitionReassignmentsResponse {
  throttleTimeMs: number;
  errorCode: number;
  errorMessage: string | null;
  responses: { name: string; partitions: PartitionResponse[] }[];
}

function reassign(ctx: RequestContext, topic: string, partitionIndex: number, replicas: number[] | null): PartitionResponse {
  const answer = (errorCode: number, errorMessage: string | null = null) => ({ partitionIndex, errorCode, errorMessage });
  const p = ctx.state.cluster.partition(topic, partitionIndex);
  if (!p) return answer(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, 'The partition does not exist.');
  const moved = replicas === null ? ctx.state.reassignments.cancel(p) : ctx.state.reassignments.start(p, replicas);
  return moved.error === 0 ? answer(ErrorCode.NONE) : answer(moved.error, 'message' in moved ? moved.message : null);
}

export const alterPartitionReassignmentsApi: ApiDefinition<AlterPartitionReassignmentsRequest, AlterPartitionReassignmentsResponse> = defineApi<
  AlterPartitionReassignmentsRequest,
  AlterPartitionReassignmentsResponse
>({
  key: ApiKey.AlterPartitionReassignments,
  minVersion: 0,
  maxVersion: 0,
  handle(ctx, req) {
    const { cluster } = ctx.state;
    if (ctx.brokerId !== cluster.controller) {
      return { throttleTimeMs: 0, errorCode: ErrorCode.NOT_CONTROLLER, errorMessage: `Broker ${cluster.controller} is the controller.`, responses: [] };
    }
    const responses = req.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => reassign(ctx, t.name, p.partitionIndex, p.replicas)) }));
    return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, errorMessage: null, responses };
  },
  withError: (_req, res, code) => ({ throttleTimeMs: res?.throttleTimeMs ?? 0, errorCode: code, errorMessage: null, responses: [] }),
});
