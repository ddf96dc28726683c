// ListGroups (key 16), v0-5: the groups this broker coordinates, with their protocol type ("consumer", or "" for
// groups that only store offsets). Clients ask every broker and concatenate. v4+ filter by state (KIP-518),
// v5+ by type (KIP-848); every group here is a classic group.
import { ApiKey } from '../../wire/api-keys.js';
import { ErrorCode } from '../../wire/error-codes.js';
import { defineApi, type ApiDefinition } from '../server/api.js';

export interface ListGroupsRequest {
  statesFilter: string[];
  typesFilter: string[];
}

export interface ListGroupsResponse {
  throttleTimeMs: number;
  errorCode: number;
  groups: { groupId: string; protocolType: string; groupState: string; groupType: string }[];
}

export const listGroupsApi: ApiDefinition<ListGroupsRequest, ListGroupsResponse> = defineApi<ListGroupsRequest, ListGroupsResponse>({
  key: ApiKey.ListGroups,
  minVersion: 0,
  maxVersion: 5,
  handle(ctx, req) {
    const { groups } = ctx.state;
    const states = new Set(req.statesFilter.map((s) => s.toLowerCase()));
    const types = new Set(req.typesFilter.map((s) => s.toLowerCase()));
    const listed = groups
      .list(ctx.brokerId)
      .map((g) => ({ ...g, groupState: groups.group(g.groupId)?.state ?? 'Dead', groupType: 'classic' }))
      .filter((g) => (states.size === 0 || states.has(g.groupState.toLowerCase())) && (types.size === 0 || types.has('classic')));
    return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, groups: listed };
  },
  withError(_req, res, code) {
    return { throttleTimeMs: res?.throttleTimeMs ?? 0, errorCode: code, groups: [] };
  },
});
