// AlterConfigs (key 33), v0-2: replaces a topic's configs with the given set (the others return to their
// defaults), validated as at creation, and the topic's partitions see the change at once; or replaces the dynamic
// configs of a broker (or the cluster-wide default) with the given set.
import { ApiKey } from '../../wire/api-keys.js';
import { defineApi, type ApiDefinition } from '../server/api.js';
import { changeConfigs, type ConfigResourceResult } from './config-changes.js';

export interface AlterConfigsRequest {
  resources: { resourceType: number; resourceName: string; configs: { name: string; value: string | null }[] }[];
  validateOnly: boolean;
}

export interface AlterConfigsResponse {
  throttleTimeMs: number;
  responses: ConfigResourceResult[];
}

export const alterConfigsApi: ApiDefinition<AlterConfigsRequest, AlterConfigsResponse> = defineApi<AlterConfigsRequest, AlterConfigsResponse>({
  key: ApiKey.AlterConfigs,
  minVersion: 0,
  maxVersion: 2,
  handle(ctx, req) {
    const responses = req.resources.map((r) =>
      changeConfigs(ctx, r.resourceType, r.resourceName, Object.fromEntries(r.configs.map((c) => [c.name, c.value])), true, req.validateOnly),
    );
    return { throttleTimeMs: 0, responses };
  },
  withError(req, res, code) {
    return {
      throttleTimeMs: res?.throttleTimeMs ?? 0,
      responses: req.resources.map((r) => ({ errorCode: code, errorMessage: null, resourceType: r.resourceType, resourceName: r.resourceName })),
    };
  },
});
