// LeaveGroup (key 13), v0-3: a member leaves at once instead of waiting for its session to expire, which starts a
// rebalance for the others. v0-2 name one member; v3 (KIP-345) takes a members array and answers per member,
// with a top-level error only for group-level failures (not the coordinator).
import { ApiKey } from '../../wire/api-keys.js';
import { ErrorCode } from '../../wire/error-codes.js';
import type { Reader } from '../../wire/reader.js';
import type { Writer } from '../../wire/writer.js';
import type { ApiDefinition } from '../server/api.js';

export interface LeavingMember {
  memberId: string;
  groupInstanceId: string | null;
}

export interface LeaveGroupRequest {
  groupId: string;
  /** v0-2: exactly one member. */
  members: LeavingMember[];
}

export interface LeaveGroupResponse {
  throttleTimeMs: number;
  errorCode: number;
  /** v3 only. */
  members: (LeavingMember & { errorCode: number })[];
}

export function decodeLeaveGroupRequest(r: Reader, version: number): LeaveGroupRequest {
  const groupId = r.string();
  if (version < 3) return { groupId, members: [{ memberId: r.string(), groupInstanceId: null }] };
  const members = r.array((r) => ({ memberId: r.string(), groupInstanceId: r.nullableString() }));
  return { groupId, members };
}

export function encodeLeaveGroupResponse(w: Writer, version: number, res: LeaveGroupResponse): void {
  if (version >= 1) w.int32(res.throttleTimeMs);
  w.int16(res.errorCode);
  if (version >= 3) {
    w.array(res.members, (w, m) => {
      w.string(m.memberId).nullableString(m.groupInstanceId).int16(m.errorCode);
    });
  }
}

export const leaveGroupApi: ApiDefinition<LeaveGroupRequest, LeaveGroupResponse> = {
  key: ApiKey.LeaveGroup,
  minVersion: 0,
  maxVersion: 3,
  decode: decodeLeaveGroupRequest,
  encode: encodeLeaveGroupResponse,
  handle(ctx, req) {
    const { groups } = ctx.state;
    if (ctx.version < 3) {
      const errorCode = groups.leave(ctx.brokerId, req.groupId, req.members[0].memberId);
      return { throttleTimeMs: 0, errorCode, members: [] };
    }
    const groupError = req.groupId === '' ? ErrorCode.INVALID_GROUP_ID : groups.coordinatorError(ctx.brokerId, req.groupId);
    if (groupError) return { throttleTimeMs: 0, errorCode: groupError, members: [] };
    const members = req.members.map((m) => ({ ...m, errorCode: groups.leave(ctx.brokerId, req.groupId, m.memberId) }));
    return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, members };
  },
  withError(_req, res, code) {
    return { throttleTimeMs: res?.throttleTimeMs ?? 0, errorCode: code, members: [] };
  },
};
