// What AlterConfigs and IncrementalAlterConfigs share: applying a set of config changes with Kafka's checks, to a
// topic or as dynamic broker configs (one broker's, or the cluster-wide default under the empty name).
import { alterTopicConfig } from '../cluster/topic-admin.js';
import { ErrorCode } from '../../wire/error-codes.js';
import type { RequestContext } from '../server/api.js';
import { ResourceType } from './config-source.js';
import { unknownTopicConfig } from './kafka-topic-configs.js';

export interface ConfigResourceResult {
  errorCode: number;
  errorMessage: string | null;
  resourceType: number;
  resourceName: string;
}

/**
 * Applies `changes` (name -> value, null: back to the default) to one resource; `replace` drops every other
 * override first (AlterConfigs replaces a topic's whole set, IncrementalAlterConfigs changes only what it names).
 */
export function changeConfigs(
  ctx: RequestContext,
  resourceType: number,
  resourceName: string,
  changes: Record<string, string | null>,
  replace: boolean,
  validateOnly: boolean,
): ConfigResourceResult {
  const result = (errorCode: number, errorMessage: string | null = null) => ({ errorCode, errorMessage, resourceType, resourceName });
  if (resourceType === ResourceType.BROKER) {
    if (resourceName !== '' && !/^\d+$/.test(resourceName)) return result(ErrorCode.INVALID_REQUEST, `Broker id must be an integer, but it is: ${resourceName}`);
    const broker = resourceName === '' ? null : Number(resourceName);
    const r = ctx.state.brokerConfigs.alter(broker, changes, replace, validateOnly);
    return 'message' in r ? result(r.error, r.message) : result(ErrorCode.NONE);
  }
  if (resourceType !== ResourceType.TOPIC) return result(ErrorCode.INVALID_REQUEST, `Unsupported resource type ${resourceType}.`);
  const topic = ctx.state.cluster.topics.get(resourceName);
  if (!topic) return result(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Topic '${resourceName}' does not exist.`);
  const unknown = unknownTopicConfig(Object.keys(changes));
  if (unknown !== undefined) return result(ErrorCode.INVALID_CONFIG, `Unknown topic config name: ${unknown}`);
  const r = alterTopicConfig(ctx.state.cluster, topic, changes, replace, validateOnly);
  return r.error === 0 ? result(ErrorCode.NONE) : result(r.error, 'message' in r ? r.message : null);
}
