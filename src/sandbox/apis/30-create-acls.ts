// CreateAcls (key 30), v0-3: no authorizer here, so every creation gets SECURITY_DISABLED, as in Kafka without one.
import { ApiKey } from '../../wire/api-keys.js';
import { defineApi, type ApiDefinition } from '../server/api.js';
import { NO_AUTHORIZER } from './acl-answers.js';

export interface CreateAclsRequest {
  creations: unknown[];
}

export interface CreateAclsResponse {
  throttleTimeMs: number;
  results: { errorCode: number; errorMessage: string | null }[];
}

export const createAclsApi: ApiDefinition<CreateAclsRequest, CreateAclsResponse> = defineApi<CreateAclsRequest, CreateAclsResponse>({
  key: ApiKey.CreateAcls,
  minVersion: 0,
  maxVersion: 3,
  handle: (_ctx, req) => ({ throttleTimeMs: 0, results: req.creations.map(() => ({ ...NO_AUTHORIZER })) }),
  withError: (req, res, code) => ({ throttleTimeMs: res?.throttleTimeMs ?? 0, results: req.creations.map(() => ({ errorCode: code, errorMessage: null })) }),
});
