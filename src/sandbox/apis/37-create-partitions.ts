// CreatePartitions (key 37), v0-3: grows topics, at the controller only (NOT_CONTROLLER elsewhere). New partitions
// get replicas round-robin, or the assignment given; a topic never shrinks (INVALID_PARTITIONS), as in Kafka.
import { addPartitions } from '../cluster/topic-admin.js';
import { ApiKey } from '../../wire/api-keys.js';
import { ErrorCode } from '../../wire/error-codes.js';
import { defineApi, type ApiDefinition } from '../server/api.js';

export interface CreatePartitionsRequest {
  topics: { name: string; count: number; assignments: { brokerIds: number[] }[] | null }[];
  timeoutMs: number;
  validateOnly: boolean;
}

export interface CreatePartitionsResponse {
  throttleTimeMs: number;
  results: { name: string; errorCode: number; errorMessage: string | null }[];
}

export const createPartitionsApi: ApiDefinition<CreatePartitionsRequest, CreatePartitionsResponse> = defineApi<CreatePartitionsRequest, CreatePartitionsResponse>({
  key: ApiKey.CreatePartitions,
  minVersion: 0,
  maxVersion: 3,
  handle(ctx, req) {
    const { cluster } = ctx.state;
    if (ctx.brokerId !== cluster.controller) {
      const errorMessage = `This is not the controller: broker ${cluster.controller} is.`;
      return { throttleTimeMs: 0, results: req.topics.map((t) => ({ name: t.name, errorCode: ErrorCode.NOT_CONTROLLER, errorMessage })) };
    }
    const counts = new Map<string, number>();
    for (const t of req.topics) counts.set(t.name, (counts.get(t.name) ?? 0) + 1);
    const results = req.topics.map((t) => {
      if (counts.get(t.name)! > 1) return { name: t.name, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'Duplicate topic in request.' };
      const assignment = t.assignments && t.assignments.map((a) => a.brokerIds);
      const r = addPartitions(cluster, t.name, t.count, assignment, req.validateOnly);
      return { name: t.name, errorCode: r.error, errorMessage: 'message' in r ? r.message : null };
    });
    return { throttleTimeMs: 0, results };
  },
  withError(req, res, code) {
    return { throttleTimeMs: res?.throttleTimeMs ?? 0, results: req.topics.map((t) => ({ name: t.name, errorCode: code, errorMessage: null })) };
  },
});
