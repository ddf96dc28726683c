// SyncGroup (key 14), v0-5: the leader sends every member's assignment; each member's request is parked until the
// leader's arrives, then gets its own bytes back (opaque to the broker). v5 echoes the protocol type and name.
import { syncError, type SyncResult } from '../groups/member.js';
import { ApiKey } from '../../wire/api-keys.js';
import { defineApi, type ApiDefinition } from '../server/api.js';

export interface SyncGroupRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
  protocolType: string | null;
  protocolName: string | null;
  /** Empty from followers. */
  assignments: { memberId: string; assignment: Buffer }[];
}

export interface SyncGroupResponse extends SyncResult {
  throttleTimeMs: number;
  protocolType: string | null;
  protocolName: string | null;
}

export const syncGroupApi: ApiDefinition<SyncGroupRequest, SyncGroupResponse> = defineApi<SyncGroupRequest, SyncGroupResponse>({
  key: ApiKey.SyncGroup,
  minVersion: 0,
  maxVersion: 5,
  async handle(ctx, req) {
    const assignments = new Map(req.assignments.map((a) => [a.memberId, a.assignment]));
    const result = await ctx.state.groups.sync(ctx.brokerId, req.groupId, req.memberId, req.generationId, assignments);
    const ok = result.errorCode === 0;
    return { throttleTimeMs: 0, ...result, protocolType: ok ? req.protocolType : null, protocolName: ok ? req.protocolName : null };
  },
  withError(_req, res, code) {
    return { throttleTimeMs: res?.throttleTimeMs ?? 0, ...syncError(code), protocolType: null, protocolName: null };
  },
});
