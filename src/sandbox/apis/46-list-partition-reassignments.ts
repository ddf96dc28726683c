// ListPartitionReassignments (key 46), v0 (KIP-455), at the controller: reassignments complete as they are asked
// for (45-alter-partition-reassignments.ts), so none is ever in progress and the list is empty.
import { ApiKey } from '../../wire/api-keys.js';
import { ErrorCode } from '../../wire/error-codes.js';
import { defineApi, type ApiDefinition } from '../server/api.js';

export interface ListPartitionReassignmentsResponse {
  throttleTimeMs: number;
  errorCode: number;
  errorMessage: string | null;
  topics: never[];
}

export const listPartitionReassignmentsApi: ApiDefinition<object, ListPartitionReassignmentsResponse> = defineApi<object, ListPartitionReassignmentsResponse>({
  key: ApiKey.ListPartitionReassignments,
  minVersion: 0,
  maxVersion: 0,
  handle(ctx) {
    const { cluster } = ctx.state;
    if (ctx.brokerId !== cluster.controller) {
      return { throttleTimeMs: 0, errorCode: ErrorCode.NOT_CONTROLLER, errorMessage: `Broker ${cluster.controller} is the controller.`, topics: [] };
    }
    return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, errorMessage: null, topics: [] };
  },
  withError: (_req, res, code) => ({ throttleTimeMs: res?.throttleTimeMs ?? 0, errorCode: code, errorMessage: null, topics: [] }),
});
