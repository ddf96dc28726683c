// ListPartitionReassignments (key 46), v0 (KIP-455), at the controller: the reassignments in progress, each with its
// replicas (target first, then those leaving) and the replicas being added and removed.
import { ApiKey } from '../../wire/api-keys.js';
import { ErrorCode } from '../../wire/error-codes.js';
import { defineApi, type ApiDefinition } from '../server/api.js';

export interface ListPartitionReassignmentsResponse {
  throttleTimeMs: number;
  errorCode: number;
  errorMessage: string | null;
  topics: { name: string; partitions: { partitionIndex: number; replicas: number[]; addingReplicas: number[]; removingReplicas: number[] }[] }[];
}

export interface ListPartitionReassignmentsRequest {
  timeoutMs: number;
  /** null: every reassignment in progress. */
  topics: { name: string; partitionIndexes: number[] }[] | null;
}

export const listPartitionReassignmentsApi: ApiDefinition<ListPartitionReassignmentsRequest, ListPartitionReassignmentsResponse> = defineApi<
  ListPartitionReassignmentsRequest,
  ListPartitionReassignmentsResponse
>({
  key: ApiKey.ListPartitionReassignments,
  minVersion: 0,
  maxVersion: 0,
  handle(ctx, req) {
    const { cluster } = ctx.state;
    if (ctx.brokerId !== cluster.controller) {
      return { throttleTimeMs: 0, errorCode: ErrorCode.NOT_CONTROLLER, errorMessage: `Broker ${cluster.controller} is the controller.`, topics: [] };
    }
    const topics: ListPartitionReassignmentsResponse['topics'] = [];
    for (const r of ctx.state.reassignments.list(req.topics)) {
      if (topics.at(-1)?.name !== r.topic) topics.push({ name: r.topic, partitions: [] });
      topics.at(-1)!.partitions.push({ partitionIndex: r.partition, replicas: r.replicas, addingReplicas: r.adding, removingReplicas: r.removing });
    }
    return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, errorMessage: null, topics };
  },
  withError: (_req, res, code) => ({ throttleTimeMs: res?.throttleTimeMs ?? 0, errorCode: code, errorMessage: null, topics: [] }),
});
