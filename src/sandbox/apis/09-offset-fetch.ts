// OffsetFetch (key 9), v1-9: a group's committed offsets. A partition never committed gets offset -1 with no error.
// v2+ have a top-level error (group-level failures such as NOT_COORDINATOR go there, with no partitions, as in
// Kafka) and accept topics = null for every committed partition; v8+ ask for several groups at once (KIP-709),
// each with its own error.
import type { FetchedOffsetTopic } from '../groups/group-coordinator.js';
import { ApiKey } from '../../wire/api-keys.js';
import { ErrorCode } from '../../wire/error-codes.js';
import { defineApi, type ApiDefinition, type RequestContext } from '../server/api.js';

interface RequestTopic {
  name: string;
  partitionIndexes: number[];
}

export interface OffsetFetchRequest {
  /** v1-7: one group. */
  groupId: string;
  topics: RequestTopic[] | null;
  /** v8+. */
  groups: { groupId: string; topics: RequestTopic[] | null }[];
}

interface ResponsePartition {
  partitionIndex: number;
  committedOffset: number;
  metadata: string | null;
  errorCode: number;
}

type ResponseTopic = { name: string; partitions: ResponsePartition[] };

export interface OffsetFetchResponse {
  throttleTimeMs: number;
  /** v1-7. */
  topics: ResponseTopic[];
  errorCode: number;
  /** v8+. */
  groups: { groupId: string; topics: ResponseTopic[]; errorCode: number }[];
}

function toWire(topics: FetchedOffsetTopic[]): ResponseTopic[] {
  return topics.map((t) => ({
    name: t.name,
    partitions: t.partitions.map((p) => ({ partitionIndex: p.index, committedOffset: p.offset, metadata: p.metadata, errorCode: p.errorCode })),
  }));
}

/** Every requested partition with no offset and `code`: the only way v1 can report a group-level error. */
function partitionsWithError(topics: RequestTopic[] | null, code: number): ResponseTopic[] {
  return (topics ?? []).map((t) => ({
    name: t.name,
    partitions: t.partitionIndexes.map((partitionIndex) => ({ partitionIndex, committedOffset: -1, metadata: '', errorCode: code })),
  }));
}

function fetchGroup(ctx: RequestContext, groupId: string, topics: RequestTopic[] | null): { topics: ResponseTopic[]; errorCode: number } {
  const wanted = topics && topics.map((t) => ({ name: t.name, partitions: t.partitionIndexes }));
  const result = ctx.state.groups.fetchOffsets(ctx.brokerId, groupId, wanted);
  if (result.errorCode !== ErrorCode.NONE && ctx.version < 2) {
    return { topics: partitionsWithError(topics, result.errorCode), errorCode: result.errorCode };
  }
  return { topics: toWire(result.topics), errorCode: result.errorCode };
}

export const offsetFetchApi: ApiDefinition<OffsetFetchRequest, OffsetFetchResponse> = defineApi<OffsetFetchRequest, OffsetFetchResponse>({
  key: ApiKey.OffsetFetch,
  minVersion: 1,
  maxVersion: 9,
  handle(ctx, req) {
    if (ctx.version >= 8) {
      const groups = req.groups.map((g) => ({ groupId: g.groupId, ...fetchGroup(ctx, g.groupId, g.topics) }));
      return { throttleTimeMs: 0, topics: [], errorCode: ErrorCode.NONE, groups };
    }
    return { throttleTimeMs: 0, ...fetchGroup(ctx, req.groupId, req.topics), groups: [] };
  },
  // The version is unknown here, so the error goes top-level (v2-7), into every partition (v1) and every group (v8+).
  withError(req, res, code) {
    return {
      throttleTimeMs: res?.throttleTimeMs ?? 0,
      topics: partitionsWithError(req.topics, code),
      errorCode: code,
      groups: req.groups.map((g) => ({ groupId: g.groupId, topics: [], errorCode: code })),
    };
  },
});
