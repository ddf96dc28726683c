// JoinGroup (key 11), v0-9: join or rejoin a consumer group. The request is parked until the rebalance completes
// (groups/group.ts). v1+ has a rebalance timeout (v0 uses the session timeout), v4+ answers a first join with
// MEMBER_ID_REQUIRED and a generated member id (KIP-394; clients rejoin with it), v5+ carry group_instance_id,
// which is echoed but gives no static membership; v7+ echo the protocol type.
import type { GroupProtocol, JoinResult } from '../groups/member.js';
import { joinError } from '../groups/member.js';
import { ApiKey } from '../../wire/api-keys.js';
import { defineApi, type ApiDefinition } from '../server/api.js';

export interface JoinGroupRequest {
  groupId: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  memberId: string;
  groupInstanceId: string | null;
  protocolType: string;
  protocols: GroupProtocol[];
}

export interface JoinGroupResponse {
  throttleTimeMs: number;
  errorCode: number;
  generationId: number;
  protocolType: string | null;
  protocolName: string | null;
  leader: string;
  memberId: string;
  members: JoinResult['members'];
}

function toWire(r: JoinResult, protocolType: string | null): Omit<JoinGroupResponse, 'throttleTimeMs'> {
  return {
    errorCode: r.errorCode,
    generationId: r.generationId,
    protocolType: r.errorCode === 0 ? protocolType : null,
    protocolName: r.protocolName,
    leader: r.leaderId,
    memberId: r.memberId,
    members: r.members,
  };
}

export const joinGroupApi: ApiDefinition<JoinGroupRequest, JoinGroupResponse> = defineApi<JoinGroupRequest, JoinGroupResponse>({
  key: ApiKey.JoinGroup,
  minVersion: 0,
  maxVersion: 9,
  async handle(ctx, req) {
    const result = await ctx.state.groups.join(ctx.brokerId, req.groupId, {
      memberId: req.memberId,
      groupInstanceId: req.groupInstanceId,
      clientId: ctx.clientId ?? '',
      // Kafka shows the client's address; the context has the address it reached, the same on loopback.
      clientHost: `/${ctx.localHost}`,
      sessionTimeoutMs: req.sessionTimeoutMs,
      rebalanceTimeoutMs: ctx.version === 0 ? req.sessionTimeoutMs : req.rebalanceTimeoutMs,
      protocolType: req.protocolType,
      protocols: req.protocols,
      requireKnownMemberId: ctx.version >= 4,
    });
    return { throttleTimeMs: 0, ...toWire(result, req.protocolType) };
  },
  withError(req, res, code) {
    return { throttleTimeMs: res?.throttleTimeMs ?? 0, ...toWire(joinError(res?.memberId ?? req.memberId, code), null) };
  },
});
