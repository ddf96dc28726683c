// OffsetCommit (key 8), v2-9: store a group's consumed positions. Members commit with their generation and member
// id; generation -1 with an empty member id is a simple commit (kcat, admin tools), accepted while the group is
// Empty (groups/group.ts validateCommit). v2-4 carry a retention time (ignored: offsets never expire here).
import type { OffsetCommitResult } from '../groups/group-coordinator.js';
import { ApiKey } from '../../wire/api-keys.js';
import { defineApi, type ApiDefinition } from '../server/api.js';

export interface OffsetCommitRequest {
  groupId: string;
  generationIdOrMemberEpoch: number;
  memberId: string;
  topics: {
    name: string;
    partitions: { partitionIndex: number; committedOffset: number; committedMetadata: string | null }[];
  }[];
}

export interface OffsetCommitResponse {
  throttleTimeMs: number;
  topics: { name: string; partitions: { partitionIndex: number; errorCode: number }[] }[];
}

function toWire(results: OffsetCommitResult[]): OffsetCommitResponse['topics'] {
  return results.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ partitionIndex: p.index, errorCode: p.errorCode })) }));
}

export const offsetCommitApi: ApiDefinition<OffsetCommitRequest, OffsetCommitResponse> = defineApi({
  key: ApiKey.OffsetCommit,
  minVersion: 2,
  maxVersion: 9,
  handle(ctx, req) {
    const topics = req.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => ({ index: p.partitionIndex, offset: p.committedOffset, metadata: p.committedMetadata })),
    }));
    const results = ctx.state.groups.commitOffsets(ctx.brokerId, req.groupId, req.memberId, req.generationIdOrMemberEpoch, topics);
    return { throttleTimeMs: 0, topics: toWire(results) };
  },
  withError(req, res, code) {
    return {
      throttleTimeMs: res?.throttleTimeMs ?? 0,
      topics: req.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode: code })) })),
    };
  },
});
