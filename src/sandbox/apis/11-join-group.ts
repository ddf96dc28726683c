// JoinGroup (key 11), v0-5: join or rejoin a consumer group. The request is parked until the rebalance completes
// (groups/group.ts). v1+ has a rebalance timeout (v0 uses the session timeout), v2+ a throttle, v4+ answers a
// first join with MEMBER_ID_REQUIRED and a generated member id (KIP-394; kafkajs and librdkafka rejoin with it),
// v5 carries group_instance_id, which is echoed but gives no static membership.
import type { GroupProtocol, JoinResult } from '../groups/member.js';
import { joinError } from '../groups/member.js';
import { ApiKey } from '../../wire/api-keys.js';
import type { Reader } from '../../wire/reader.js';
import type { Writer } from '../../wire/writer.js';
import type { ApiDefinition } from '../server/api.js';

export interface JoinGroupRequest {
  groupId: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  memberId: string;
  groupInstanceId: string | null;
  protocolType: string;
  protocols: GroupProtocol[];
}

export interface JoinGroupResponse extends JoinResult {
  throttleTimeMs: number;
}

export function decodeJoinGroupRequest(r: Reader, version: number): JoinGroupRequest {
  const groupId = r.string();
  const sessionTimeoutMs = r.int32();
  const rebalanceTimeoutMs = version >= 1 ? r.int32() : sessionTimeoutMs;
  const memberId = r.string();
  const groupInstanceId = version >= 5 ? r.nullableString() : null;
  const protocolType = r.string();
  const protocols = r.array((r) => ({ name: r.string(), metadata: r.bytes() }));
  return { groupId, sessionTimeoutMs, rebalanceTimeoutMs, memberId, groupInstanceId, protocolType, protocols };
}

export function encodeJoinGroupResponse(w: Writer, version: number, res: JoinGroupResponse): void {
  if (version >= 2) w.int32(res.throttleTimeMs);
  w.int16(res.errorCode).int32(res.generationId).string(res.protocolName).string(res.leaderId).string(res.memberId);
  w.array(res.members, (w, m) => {
    w.string(m.memberId);
    if (version >= 5) w.nullableString(m.groupInstanceId);
    w.bytes(m.metadata);
  });
}

export const joinGroupApi: ApiDefinition<JoinGroupRequest, JoinGroupResponse> = {
  key: ApiKey.JoinGroup,
  minVersion: 0,
  maxVersion: 5,
  decode: decodeJoinGroupRequest,
  encode: encodeJoinGroupResponse,
  async handle(ctx, req) {
    const result = await ctx.state.groups.join(ctx.brokerId, req.groupId, {
      memberId: req.memberId,
      groupInstanceId: req.groupInstanceId,
      clientId: ctx.clientId ?? '',
      // Kafka shows the client's address; the context has the address it reached, the same on loopback.
      clientHost: `/${ctx.localHost}`,
      sessionTimeoutMs: req.sessionTimeoutMs,
      rebalanceTimeoutMs: req.rebalanceTimeoutMs,
      protocolType: req.protocolType,
      protocols: req.protocols,
      requireKnownMemberId: ctx.version >= 4,
    });
    return { throttleTimeMs: 0, ...result };
  },
  withError(req, res, code) {
    return { throttleTimeMs: res?.throttleTimeMs ?? 0, ...joinError(res?.memberId ?? req.memberId, code) };
  },
};
