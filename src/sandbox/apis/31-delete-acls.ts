// DeleteAcls (key 31), v0-3: no authorizer here, so every filter gets SECURITY_DISABLED and matches nothing.
import { ApiKey } from '../../wire/api-keys.js';
import { defineApi, type ApiDefinition } from '../server/api.js';
import { NO_AUTHORIZER } from './acl-answers.js';

export interface DeleteAclsRequest {
  filters: unknown[];
}

export interface DeleteAclsResponse {
  throttleTimeMs: number;
  filterResults: { errorCode: number; errorMessage: string | null; matchingAcls: never[] }[];
}

export const deleteAclsApi: ApiDefinition<DeleteAclsRequest, DeleteAclsResponse> = defineApi<DeleteAclsRequest, DeleteAclsResponse>({
  key: ApiKey.DeleteAcls,
  minVersion: 0,
  maxVersion: 3,
  handle: (_ctx, req) => ({ throttleTimeMs: 0, filterResults: req.filters.map(() => ({ ...NO_AUTHORIZER, matchingAcls: [] })) }),
  withError: (req, res, code) => ({
    throttleTimeMs: res?.throttleTimeMs ?? 0,
    filterResults: req.filters.map(() => ({ errorCode: code, errorMessage: null, matchingAcls: [] })),
  }),
});
