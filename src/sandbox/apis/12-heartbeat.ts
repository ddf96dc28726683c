// Heartbeat (key 12), v0-3: keeps a member's session alive and tells it when to rejoin: REBALANCE_IN_PROGRESS
// while the group prepares a rebalance, ILLEGAL_GENERATION for an old generation, UNKNOWN_MEMBER_ID once it was
// removed (sandbox-protocol §9). v1+ has a throttle, v3 a group_instance_id.
import { ApiKey } from '../../wire/api-keys.js';
import type { Reader } from '../../wire/reader.js';
import type { Writer } from '../../wire/writer.js';
import type { ApiDefinition } from '../server/api.js';

export interface HeartbeatRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
}

export interface HeartbeatResponse {
  throttleTimeMs: number;
  errorCode: number;
}

export function decodeHeartbeatRequest(r: Reader, version: number): HeartbeatRequest {
  const groupId = r.string();
  const generationId = r.int32();
  const memberId = r.string();
  const groupInstanceId = version >= 3 ? r.nullableString() : null;
  return { groupId, generationId, memberId, groupInstanceId };
}

export function encodeHeartbeatResponse(w: Writer, version: number, res: HeartbeatResponse): void {
  if (version >= 1) w.int32(res.throttleTimeMs);
  w.int16(res.errorCode);
}

export const heartbeatApi: ApiDefinition<HeartbeatRequest, HeartbeatResponse> = {
  key: ApiKey.Heartbeat,
  minVersion: 0,
  maxVersion: 3,
  decode: decodeHeartbeatRequest,
  encode: encodeHeartbeatResponse,
  handle(ctx, req) {
    const errorCode = ctx.state.groups.heartbeat(ctx.brokerId, req.groupId, req.memberId, req.generationId);
    return { throttleTimeMs: 0, errorCode };
  },
  withError(_req, res, code) {
    return { throttleTimeMs: res?.throttleTimeMs ?? 0, errorCode: code };
  },
};
