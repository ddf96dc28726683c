// SyncGroup (key 14), v0-3: the leader sends every member's assignment; each member's request is parked until the
// leader's arrives, then gets its own bytes back (opaque to the broker). v1+ has a throttle, v3 a
// group_instance_id.
import type { SyncResult } from '../groups/member.js';
import { syncError } from '../groups/member.js';
import { ApiKey } from '../../wire/api-keys.js';
import type { Reader } from '../../wire/reader.js';
import type { Writer } from '../../wire/writer.js';
import type { ApiDefinition } from '../server/api.js';

export interface SyncGroupRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
  /** Empty from followers. */
  assignments: { memberId: string; assignment: Buffer }[];
}

export interface SyncGroupResponse extends SyncResult {
  throttleTimeMs: number;
}

export function decodeSyncGroupRequest(r: Reader, version: number): SyncGroupRequest {
  const groupId = r.string();
  const generationId = r.int32();
  const memberId = r.string();
  const groupInstanceId = version >= 3 ? r.nullableString() : null;
  const assignments = r.array((r) => ({ memberId: r.string(), assignment: r.bytes() }));
  return { groupId, generationId, memberId, groupInstanceId, assignments };
}

export function encodeSyncGroupResponse(w: Writer, version: number, res: SyncGroupResponse): void {
  if (version >= 1) w.int32(res.throttleTimeMs);
  w.int16(res.errorCode).bytes(res.assignment);
}

export const syncGroupApi: ApiDefinition<SyncGroupRequest, SyncGroupResponse> = {
  key: ApiKey.SyncGroup,
  minVersion: 0,
  maxVersion: 3,
  decode: decodeSyncGroupRequest,
  encode: encodeSyncGroupResponse,
  async handle(ctx, req) {
    const assignments = new Map(req.assignments.map((a) => [a.memberId, a.assignment]));
    const result = await ctx.state.groups.sync(ctx.brokerId, req.groupId, req.memberId, req.generationId, assignments);
    return { throttleTimeMs: 0, ...result };
  },
  withError(_req, res, code) {
    return { throttleTimeMs: res?.throttleTimeMs ?? 0, ...syncError(code) };
  },
};
