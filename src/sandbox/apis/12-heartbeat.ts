// Heartbeat (key 12), v0-4: keeps a member's session alive and tells it when to rejoin: REBALANCE_IN_PROGRESS
// while the group prepares a rebalance, ILLEGAL_GENERATION for an old generation, UNKNOWN_MEMBER_ID once it was
// removed.
import { ApiKey } from '../../wire/api-keys.js';
import { defineApi, type ApiDefinition } from '../server/api.js';

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

export const heartbeatApi: ApiDefinition<HeartbeatRequest, HeartbeatResponse> = defineApi<HeartbeatRequest, HeartbeatResponse>({
  key: ApiKey.Heartbeat,
  minVersion: 0,
  maxVersion: 4,
  handle(ctx, req) {
    const errorCode = ctx.state.groups.heartbeat(ctx.brokerId, req.groupId, req.memberId, req.generationId);
    return { throttleTimeMs: 0, errorCode };
  },
  withError(_req, res, code) {
    return { throttleTimeMs: res?.throttleTimeMs ?? 0, errorCode: code };
  },
});
