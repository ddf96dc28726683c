// ListGroups (key 16), v0-2: the groups this broker coordinates, with their protocol type ("consumer", or "" for
// groups that only store offsets). Clients ask every broker and concatenate. v1+ have a throttle.
import { ApiKey } from '../../wire/api-keys.js';
import { ErrorCode } from '../../wire/error-codes.js';
import type { Reader } from '../../wire/reader.js';
import type { Writer } from '../../wire/writer.js';
import type { ApiDefinition } from '../server/api.js';

export type ListGroupsRequest = Record<string, never>;

export interface ListGroupsResponse {
  throttleTimeMs: number;
  errorCode: number;
  groups: { groupId: string; protocolType: string }[];
}

export function decodeListGroupsRequest(_r: Reader, _version: number): ListGroupsRequest {
  return {};
}

export function encodeListGroupsResponse(w: Writer, version: number, res: ListGroupsResponse): void {
  if (version >= 1) w.int32(res.throttleTimeMs);
  w.int16(res.errorCode);
  w.array(res.groups, (w, g) => w.string(g.groupId).string(g.protocolType));
}

export const listGroupsApi: ApiDefinition<ListGroupsRequest, ListGroupsResponse> = {
  key: ApiKey.ListGroups,
  minVersion: 0,
  maxVersion: 2,
  decode: decodeListGroupsRequest,
  encode: encodeListGroupsResponse,
  handle(ctx) {
    return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, groups: ctx.state.groups.list(ctx.brokerId) };
  },
  withError(_req, res, code) {
    return { throttleTimeMs: res?.throttleTimeMs ?? 0, errorCode: code, groups: [] };
  },
};
