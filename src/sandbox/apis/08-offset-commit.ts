// OffsetCommit (key 8), v2-5: store a group's consumed positions. Members commit with their generation and member
// id; generation -1 with an empty member id is a simple commit (kcat, admin tools), accepted while the group is
// Empty (groups/group.ts validateCommit). v2-4 carry a retention time (ignored: offsets never expire here), v3+
// answer with a throttle.
import type { OffsetCommitResult, OffsetCommitTopic } from '../groups/group-coordinator.js';
import { ApiKey } from '../../wire/api-keys.js';
import type { Reader } from '../../wire/reader.js';
import type { Writer } from '../../wire/writer.js';
import type { ApiDefinition } from '../server/api.js';

export interface OffsetCommitRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  /** v2-4; -1 = the broker's default. */
  retentionTimeMs: number;
  topics: OffsetCommitTopic[];
}

export interface OffsetCommitResponse {
  throttleTimeMs: number;
  topics: OffsetCommitResult[];
}

export function decodeOffsetCommitRequest(r: Reader, version: number): OffsetCommitRequest {
  const groupId = r.string();
  const generationId = r.int32();
  const memberId = r.string();
  const retentionTimeMs = version <= 4 ? r.int64() : -1;
  const topics = r.array((r) => ({
    name: r.string(),
    partitions: r.array((r) => ({ index: r.int32(), offset: r.int64(), metadata: r.nullableString() })),
  }));
  return { groupId, generationId, memberId, retentionTimeMs, topics };
}

export function encodeOffsetCommitResponse(w: Writer, version: number, res: OffsetCommitResponse): void {
  if (version >= 3) w.int32(res.throttleTimeMs);
  w.array(res.topics, (w, t) => {
    w.string(t.name);
    w.array(t.partitions, (w, p) => w.int32(p.index).int16(p.errorCode));
  });
}

export const offsetCommitApi: ApiDefinition<OffsetCommitRequest, OffsetCommitResponse> = {
  key: ApiKey.OffsetCommit,
  minVersion: 2,
  maxVersion: 5,
  decode: decodeOffsetCommitRequest,
  encode: encodeOffsetCommitResponse,
  handle(ctx, req) {
    const topics = ctx.state.groups.commitOffsets(ctx.brokerId, req.groupId, req.memberId, req.generationId, req.topics);
    return { throttleTimeMs: 0, topics };
  },
  withError(req, res, code) {
    return {
      throttleTimeMs: res?.throttleTimeMs ?? 0,
      topics: req.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ index: p.index, errorCode: code })) })),
    };
  },
};
