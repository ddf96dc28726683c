// OffsetFetch (key 9), v1-4: a group's committed offsets. A partition never committed gets offset -1 with no error
// (sandbox-protocol §9). v2+ have a top-level error (group-level failures such as NOT_COORDINATOR go there, with
// no partitions, as in Kafka) and accept topics = null for every committed partition; v3+ add a throttle.
import type { FetchedOffsetTopic } from '../groups/group-coordinator.js';
import { ApiKey } from '../../wire/api-keys.js';
import { ErrorCode } from '../../wire/error-codes.js';
import type { Reader } from '../../wire/reader.js';
import type { Writer } from '../../wire/writer.js';
import type { ApiDefinition } from '../server/api.js';

export interface OffsetFetchRequest {
  groupId: string;
  /** null (v2+): all committed offsets of the group. */
  topics: { name: string; partitions: number[] }[] | null;
}

export interface OffsetFetchResponse {
  throttleTimeMs: number;
  topics: FetchedOffsetTopic[];
  /** v2+. */
  errorCode: number;
}

export function decodeOffsetFetchRequest(r: Reader, version: number): OffsetFetchRequest {
  const groupId = r.string();
  const topic = (r: Reader) => ({ name: r.string(), partitions: r.array((r) => r.int32()) });
  const topics = version >= 2 ? r.nullableArray(topic) : r.array(topic);
  return { groupId, topics };
}

export function encodeOffsetFetchResponse(w: Writer, version: number, res: OffsetFetchResponse): void {
  if (version >= 3) w.int32(res.throttleTimeMs);
  w.array(res.topics, (w, t) => {
    w.string(t.name);
    w.array(t.partitions, (w, p) => w.int32(p.index).int64(p.offset).nullableString(p.metadata).int16(p.errorCode));
  });
  if (version >= 2) w.int16(res.errorCode);
}

/** Every requested partition with no offset and `code`: the only way v1 can report a group-level error. */
function partitionsWithError(req: OffsetFetchRequest, code: number): FetchedOffsetTopic[] {
  return (req.topics ?? []).map((t) => ({
    name: t.name,
    partitions: t.partitions.map((index) => ({ index, offset: -1, metadata: '', errorCode: code })),
  }));
}

export const offsetFetchApi: ApiDefinition<OffsetFetchRequest, OffsetFetchResponse> = {
  key: ApiKey.OffsetFetch,
  minVersion: 1,
  maxVersion: 4,
  decode: decodeOffsetFetchRequest,
  encode: encodeOffsetFetchResponse,
  handle(ctx, req) {
    const result = ctx.state.groups.fetchOffsets(ctx.brokerId, req.groupId, req.topics);
    if (result.errorCode !== ErrorCode.NONE && ctx.version < 2) {
      return { throttleTimeMs: 0, topics: partitionsWithError(req, result.errorCode), errorCode: result.errorCode };
    }
    return { throttleTimeMs: 0, ...result };
  },
  // The version is unknown here, so the error goes both top-level (v2+) and into every partition (v1).
  withError(req, res, code) {
    return { throttleTimeMs: res?.throttleTimeMs ?? 0, topics: partitionsWithError(req, code), errorCode: code };
  },
};
