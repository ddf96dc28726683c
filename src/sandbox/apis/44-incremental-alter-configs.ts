// IncrementalAlterConfigs (key 44), v0-1 (KIP-339): changes only the configs it names: SET a value, DELETE (back
// to the default), APPEND to or SUBTRACT from a list config such as cleanup.policy.
import { ApiKey } from '../../wire/api-keys.js';
import { ErrorCode } from '../../wire/error-codes.js';
import { defineApi, type ApiDefinition, type RequestContext } from '../server/api.js';
import { changeConfigs, type ConfigResourceResult } from './config-changes.js';
import { ResourceType } from './config-source.js';
import { ConfigType, KAFKA_TOPIC_CONFIGS } from './kafka-topic-configs.js';

const Op = { SET: 0, DELETE: 1, APPEND: 2, SUBTRACT: 3 } as const;

type Change = { name: string; configOperation: number; value: string | null };

export interface IncrementalAlterConfigsRequest {
  resources: { resourceType: number; resourceName: string; configs: Change[] }[];
  validateOnly: boolean;
}

export interface IncrementalAlterConfigsResponse {
  throttleTimeMs: number;
  responses: ConfigResourceResult[];
}

/** The new value of one config after one operation, or an error message. */
function apply(ctx: RequestContext, resourceType: number, topic: string, c: Change): { value: string | null } | { error: string } {
  if (c.configOperation === Op.SET) return { value: c.value };
  if (c.configOperation === Op.DELETE) return { value: null };
  if (c.configOperation !== Op.APPEND && c.configOperation !== Op.SUBTRACT) return { error: `Unknown config operation ${c.configOperation}.` };
  // The broker configs the sandbox knows are none of them lists.
  if (resourceType === ResourceType.BROKER) return { error: `Config value append is not allowed for config key: ${c.name}` };
  if (KAFKA_TOPIC_CONFIGS[c.name]?.type !== ConfigType.LIST) return { error: `Config ${c.name} is not a list: APPEND and SUBTRACT need one.` };
  const current = ctx.state.cluster.topics.get(topic)?.config.raw[c.name] ?? KAFKA_TOPIC_CONFIGS[c.name].kafkaDefault;
  const items = current.split(',').filter((x) => x !== '');
  const given = (c.value ?? '').split(',').filter((x) => x !== '');
  const next = c.configOperation === Op.APPEND ? [...items, ...given.filter((g) => !items.includes(g))] : items.filter((x) => !given.includes(x));
  return { value: next.join(',') };
}

export const incrementalAlterConfigsApi: ApiDefinition<IncrementalAlterConfigsRequest, IncrementalAlterConfigsResponse> = defineApi<
  IncrementalAlterConfigsRequest,
  IncrementalAlterConfigsResponse
>({
  key: ApiKey.IncrementalAlterConfigs,
  minVersion: 0,
  maxVersion: 1,
  handle(ctx, req) {
    const responses = req.resources.map((r): ConfigResourceResult => {
      const changes: Record<string, string | null> = {};
      for (const c of r.configs) {
        const next = apply(ctx, r.resourceType, r.resourceName, c);
        if ('error' in next) return { errorCode: ErrorCode.INVALID_CONFIG, errorMessage: next.error, resourceType: r.resourceType, resourceName: r.resourceName };
        changes[c.name] = next.value;
      }
      return changeConfigs(ctx, r.resourceType, r.resourceName, changes, false, req.validateOnly);
    });
    return { throttleTimeMs: 0, responses };
  },
  withError(req, res, code) {
    return {
      throttleTimeMs: res?.throttleTimeMs ?? 0,
      responses: req.resources.map((r) => ({ errorCode: code, errorMessage: null, resourceType: r.resourceType, resourceName: r.resourceName })),
    };
  },
});
