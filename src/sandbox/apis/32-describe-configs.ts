// DescribeConfigs (key 32), v0-4, from any broker. Topic resources list the topic's configs (given at creation or
// the cluster's defaults); broker resources list the broker settings the sandbox models. v0 says is_default; v1+
// says config_source and may list synonyms.
import type { Cluster } from '../cluster/cluster.js';
import { TOPIC_CONFIG_DEFAULTS } from '../cluster/topic-config.js';
import { ApiKey } from '../../wire/api-keys.js';
import { ErrorCode } from '../../wire/error-codes.js';
import { defineApi, type ApiDefinition, type RequestContext } from '../server/api.js';
import { ConfigSource, ResourceType } from './config-source.js';
import { TRANSACTION_MAX_TIMEOUT_MS } from '../transactions/transaction-metadata.js';

export { ConfigSource, ResourceType };

export interface DescribeConfigsRequest {
  resources: { resourceType: number; resourceName: string; configurationKeys: string[] | null }[];
  /** v1+ */
  includeSynonyms: boolean;
}

export interface DescribeConfigsEntry {
  name: string;
  value: string | null;
  readOnly: boolean;
  /** v1+. */
  configSource: number;
  /** v0 only: whether the value is the default. */
  isDefault: boolean;
  isSensitive: boolean;
  /** v1+ */
  synonyms: { name: string; value: string | null; source: number }[];
}

export interface DescribeConfigsResult {
  errorCode: number;
  errorMessage: string | null;
  resourceType: number;
  resourceName: string;
  configs: DescribeConfigsEntry[];
}

export interface DescribeConfigsResponse {
  throttleTimeMs: number;
  results: DescribeConfigsResult[];
}

type Setting = [name: string, value: string, kafkaDefault: string];

/** The broker settings the sandbox honours, with Kafka's defaults to tell static settings from defaults. */
function brokerSettings(cluster: Cluster, brokerId: number): Setting[] {
  const topicDefault = (name: string) => cluster.topicConfigDefaults[name] ?? TOPIC_CONFIG_DEFAULTS[name];
  return [
    ['auto.create.topics.enable', String(cluster.autoCreateTopics), 'true'],
    ['broker.id', String(brokerId), '-1'],
    ['default.replication.factor', String(cluster.defaultReplicationFactor), '1'],
    ['log.retention.bytes', topicDefault('retention.bytes'), '-1'],
    ['message.max.bytes', topicDefault('max.message.bytes'), '1048588'],
    ['min.insync.replicas', topicDefault('min.insync.replicas'), '1'],
    ['num.partitions', String(cluster.defaultPartitions), '1'],
    ['replica.lag.time.max.ms', String(cluster.replicaLagTimeMaxMs), '30000'],
    ['socket.request.max.bytes', String(cluster.maxRequestBytes), '104857600'],
    ['transaction.max.timeout.ms', String(TRANSACTION_MAX_TIMEOUT_MS), '900000'],
    ['unclean.leader.election.enable', topicDefault('unclean.leader.election.enable'), 'false'],
  ];
}

function entry(name: string, value: string, source: number, readOnly: boolean, withSynonyms: boolean): DescribeConfigsEntry {
  return {
    name,
    value,
    readOnly,
    configSource: source,
    isDefault: source === ConfigSource.DEFAULT_CONFIG,
    isSensitive: false,
    synonyms: withSynonyms ? [{ name, value, source }] : [],
  };
}

function describeTopic(cluster: Cluster, name: string, withSynonyms: boolean): DescribeConfigsResult | DescribeConfigsEntry[] {
  const topic = cluster.topics.get(name);
  if (!topic) {
    return { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: `Topic '${name}' does not exist.`, resourceType: ResourceType.TOPIC, resourceName: name, configs: [] };
  }
  return Object.keys(topic.config.raw)
    .sort()
    .map((key) => {
      const value = topic.config.raw[key];
      const clusterDefault = cluster.topicConfigDefaults[key];
      // A value other than the cluster's default was set on the topic; a cluster default other than Kafka's comes
      // from the broker's configuration.
      const source =
        value !== clusterDefault
          ? ConfigSource.TOPIC_CONFIG
          : clusterDefault !== TOPIC_CONFIG_DEFAULTS[key]
            ? ConfigSource.STATIC_BROKER_CONFIG
            : ConfigSource.DEFAULT_CONFIG;
      return entry(key, value, source, false, withSynonyms);
    });
}

function describeBroker(ctx: RequestContext, name: string, withSynonyms: boolean): DescribeConfigsResult | DescribeConfigsEntry[] {
  const fail = (message: string): DescribeConfigsResult => ({
    errorCode: ErrorCode.INVALID_REQUEST,
    errorMessage: message,
    resourceType: ResourceType.BROKER,
    resourceName: name,
    configs: [],
  });
  // Kafka: the empty name is the cluster-wide dynamic defaults (the sandbox has none); a broker describes itself only.
  if (name === '') return [];
  if (!/^-?\d+$/.test(name)) return fail(`Broker id must be an integer, but it is: ${name}`);
  if (Number(name) !== ctx.brokerId) return fail(`Unexpected broker id, expected ${ctx.brokerId} or empty string, but received ${name}`);
  return brokerSettings(ctx.state.cluster, ctx.brokerId).map(([key, value, kafkaDefault]) =>
    entry(key, value, value === kafkaDefault ? ConfigSource.DEFAULT_CONFIG : ConfigSource.STATIC_BROKER_CONFIG, true, withSynonyms),
  );
}

export const describeConfigsApi: ApiDefinition<DescribeConfigsRequest, DescribeConfigsResponse> = defineApi<DescribeConfigsRequest, DescribeConfigsResponse>({
  key: ApiKey.DescribeConfigs,
  minVersion: 0,
  maxVersion: 4,
  handle(ctx, req) {
    const results = req.resources.map((res): DescribeConfigsResult => {
      const described =
        res.resourceType === ResourceType.TOPIC
          ? describeTopic(ctx.state.cluster, res.resourceName, req.includeSynonyms)
          : res.resourceType === ResourceType.BROKER
            ? describeBroker(ctx, res.resourceName, req.includeSynonyms)
            : null;
      if (described === null) {
        return { errorCode: ErrorCode.INVALID_REQUEST, errorMessage: `Unsupported resource type ${res.resourceType}`, resourceType: res.resourceType, resourceName: res.resourceName, configs: [] };
      }
      if (!Array.isArray(described)) return described;
      const wanted = res.configurationKeys;
      const configs = wanted === null ? described : described.filter((c) => wanted.includes(c.name));
      return { errorCode: ErrorCode.NONE, errorMessage: null, resourceType: res.resourceType, resourceName: res.resourceName, configs };
    });
    return { throttleTimeMs: 0, results };
  },
  withError(req, res, code) {
    return {
      throttleTimeMs: res?.throttleTimeMs ?? 0,
      results: req.resources.map((r) => ({ errorCode: code, errorMessage: null, resourceType: r.resourceType, resourceName: r.resourceName, configs: [] })),
    };
  },
});
