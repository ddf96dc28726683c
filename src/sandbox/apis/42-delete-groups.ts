// DeleteGroups (key 42), v0-2: removes consumer groups and their committed offsets, at each group's coordinator;
// a group with members is NON_EMPTY_GROUP and one never seen GROUP_ID_NOT_FOUND, as in Kafka.
import { ApiKey } from '../../wire/api-keys.js';
import { defineApi, type ApiDefinition } from '../server/api.js';

export interface DeleteGroupsRequest {
  groupsNames: string[];
}

export interface DeleteGroupsResponse {
  throttleTimeMs: number;
  results: { groupId: string; errorCode: number }[];
}

export const deleteGroupsApi: ApiDefinition<DeleteGroupsRequest, DeleteGroupsResponse> = defineApi<DeleteGroupsRequest, DeleteGroupsResponse>({
  key: ApiKey.DeleteGroups,
  minVersion: 0,
  maxVersion: 2,
  handle(ctx, req) {
    const results = [...new Set(req.groupsNames)].map((groupId) => ({ groupId, errorCode: ctx.state.groups.deleteGroup(ctx.brokerId, groupId) }));
    return { throttleTimeMs: 0, results };
  },
  withError(req, res, code) {
    return { throttleTimeMs: res?.throttleTimeMs ?? 0, results: req.groupsNames.map((groupId) => ({ groupId, errorCode: code })) };
  },
});
