// DescribeAcls (key 29), v0-3: no authorizer here, so SECURITY_DISABLED with no ACLs, as Kafka without one answers.
import { ApiKey } from '../../wire/api-keys.js';
import { defineApi, type ApiDefinition } from '../server/api.js';
import { NO_AUTHORIZER } from './acl-answers.js';

export interface DescribeAclsResponse {
  throttleTimeMs: number;
  errorCode: number;
  errorMessage: string | null;
  resources: never[];
}

export const describeAclsApi: ApiDefinition<object, DescribeAclsResponse> = defineApi<object, DescribeAclsResponse>({
  key: ApiKey.DescribeAcls,
  minVersion: 0,
  maxVersion: 3,
  handle: () => ({ throttleTimeMs: 0, ...NO_AUTHORIZER, resources: [] }),
  withError: (_req, res, code) => ({ throttleTimeMs: res?.throttleTimeMs ?? 0, errorCode: code, errorMessage: null, resources: [] }),
});
