// DescribeGroups (key 15), v0-2: state, protocol and members of each group. Member metadata, assignment and the
// protocol name are filled only when the group is Stable, as Kafka does; an unknown group is Dead with no members.
// Each group is answered by its coordinator only (NOT_COORDINATOR elsewhere). v1+ have a throttle.
import type { MemberDescription } from '../groups/group.js';
import { ApiKey } from '../../wire/api-keys.js';
import type { Reader } from '../../wire/reader.js';
import type { Writer } from '../../wire/writer.js';
import type { ApiDefinition } from '../server/api.js';

export interface DescribeGroupsRequest {
  groups: string[];
}

export interface DescribedGroup {
  errorCode: number;
  groupId: string;
  state: string;
  protocolType: string;
  protocolName: string;
  members: MemberDescription[];
}

export interface DescribeGroupsResponse {
  throttleTimeMs: number;
  groups: DescribedGroup[];
}

export function decodeDescribeGroupsRequest(r: Reader, _version: number): DescribeGroupsRequest {
  return { groups: r.array((r) => r.string()) };
}

export function encodeDescribeGroupsResponse(w: Writer, version: number, res: DescribeGroupsResponse): void {
  if (version >= 1) w.int32(res.throttleTimeMs);
  w.array(res.groups, (w, g) => {
    w.int16(g.errorCode).string(g.groupId).string(g.state).string(g.protocolType).string(g.protocolName);
    w.array(g.members, (w, m) => {
      w.string(m.memberId).string(m.clientId).string(m.clientHost).bytes(m.metadata).bytes(m.assignment);
    });
  });
}

function emptyGroup(groupId: string, errorCode: number): DescribedGroup {
  return { errorCode, groupId, state: '', protocolType: '', protocolName: '', members: [] };
}

export const describeGroupsApi: ApiDefinition<DescribeGroupsRequest, DescribeGroupsResponse> = {
  key: ApiKey.DescribeGroups,
  minVersion: 0,
  maxVersion: 2,
  decode: decodeDescribeGroupsRequest,
  encode: encodeDescribeGroupsResponse,
  handle(ctx, req) {
    const groups = req.groups.map((groupId): DescribedGroup => {
      const d = ctx.state.groups.describe(ctx.brokerId, groupId);
      if (d.errorCode) return emptyGroup(groupId, d.errorCode);
      return { errorCode: d.errorCode, groupId, state: d.state, protocolType: d.protocolType, protocolName: d.protocolName, members: d.members };
    });
    return { throttleTimeMs: 0, groups };
  },
  withError(req, res, code) {
    return { throttleTimeMs: res?.throttleTimeMs ?? 0, groups: req.groups.map((g) => emptyGroup(g, code)) };
  },
};
