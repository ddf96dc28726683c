// LeaveGroup (key 13), v0-5: a member leaves at once instead of waiting for its session to expire, which starts a
// rebalance for the others. v0-2 name one member; v3+ (KIP-345) take a members array and answer per member,
// with a top-level error only for group-level failures (not the coordinator).
import { ApiKey } from '../../wire/api-keys.js';
import { ErrorCode } from '../../wire/error-codes.js';
import { defineApi, type ApiDefinition } from '../server/api.js';

export interface LeavingMember {
  memberId: string;
  groupInstanceId: string | null;
}

export interface LeaveGroupRequest {
  groupId: string;
  /** v0-2: the one member. */
  memberId: string;
  /** v3+. */
  members: LeavingMember[];
}

export interface LeaveGroupResponse {
  throttleTimeMs: number;
  errorCode: number;
  /** v3+. */
  members: (LeavingMember & { errorCode: number })[];
}

export const leaveGroupApi: ApiDefinition<LeaveGroupRequest, LeaveGroupResponse> = defineApi<LeaveGroupRequest, LeaveGroupResponse>({
  key: ApiKey.LeaveGroup,
  minVersion: 0,
  maxVersion: 5,
  handle(ctx, req) {
    const { groups } = ctx.state;
    if (ctx.version < 3) {
      const errorCode = groups.leave(ctx.brokerId, req.groupId, req.memberId);
      return { throttleTimeMs: 0, errorCode, members: [] };
    }
    const groupError = req.groupId === '' ? ErrorCode.INVALID_GROUP_ID : groups.coordinatorError(ctx.brokerId, req.groupId);
    if (groupError) return { throttleTimeMs: 0, errorCode: groupError, members: [] };
    const members = req.members.map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      errorCode: groups.leave(ctx.brokerId, req.groupId, m.memberId),
    }));
    return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, members };
  },
  withError(_req, res, code) {
    return { throttleTimeMs: res?.throttleTimeMs ?? 0, errorCode: code, members: [] };
  },
});
