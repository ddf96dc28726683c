// DescribeConfigs (key 32), v0-4, from any broker. Topic resources list every Kafka topic config with its value,
// where it comes from and (v1+) its synonyms: set on the topic, a sandbox setting (STATIC_BROKER_CONFIG: the
// sandbox's retention bound, not Kafka's -1), or Kafka's default. Broker resources list the broker settings the
// sandbox models and the dynamic broker configs set on them; the empty name lists the cluster-wide dynamic
// defaults. v0 says is_default; v3+ give the type and, on request, a line saying what the sandbox set.
import type { Cluster } from '../cluster/cluster.js';
import { TOPIC_CONFIG_DEFAULTS } from '../cluster/topic-config.js';
import { ApiKey } from '../../wire/api-keys.js';
import { ErrorCode } from '../../wire/error-codes.js';
import { defineApi, type ApiDefinition, type RequestContext } from '../server/api.js';
import { ConfigSource, ResourceType } from './config-source.js';
import { ConfigType, KAFKA_TOPIC_CONFIGS } from './kafka-topic-configs.js';
import { TRANSACTION_MAX_TIMEOUT_MS } from '../transactions/transaction-metadata.js';
import { READ_ONLY_BROKER_CONFIGS } from '../cluster/dynamic-broker-configs.js';

export { ConfigSource, ResourceType };

export interface DescribeConfigsRequest {
  resources: { resourceType: number; resourceName: string; configurationKeys: string[] | null }[];
  /** v1+ */
  includeSynonyms: boolean;
  /** v3+ */
  includeDocumentation: boolean;
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
  /** v3+ */
  configType: number;
  documentation: string | null;
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

type Setting = [name: string, value: string, kafkaDefault: string, type: number];

/** The broker settings the sandbox honours, with Kafka's defaults to tell static settings from defaults. */
function brokerSettings(cluster: Cluster, brokerId: number): Setting[] {
  const topicDefault = (name: string) => cluster.topicConfigDefaults[name] ?? TOPIC_CONFIG_DEFAULTS[name];
  const { BOOLEAN, INT, LONG, SHORT } = ConfigType;
  return [
    ['auto.create.topics.enable', String(cluster.autoCreateTopics), 'true', BOOLEAN],
    ['broker.id', String(brokerId), '-1', INT],
    ['default.replication.factor', String(cluster.defaultReplicationFactor), '1', INT],
    ['log.retention.bytes', topicDefault('retention.bytes'), '-1', LONG],
    ['message.max.bytes', topicDefault('max.message.bytes'), '1048588', INT],
    ['min.insync.replicas', topicDefault('min.insync.replicas'), '1', INT],
    ['num.partitions', String(cluster.defaultPartitions), '1', INT],
    ['offsets.topic.num.partitions', '50', '50', INT],
    ['offsets.topic.replication.factor', String(Math.min(3, cluster.brokers.size)), '3', SHORT],
    ['replica.lag.time.max.ms', String(cluster.replicaLagTimeMaxMs), '30000', LONG],
    ['socket.request.max.bytes', String(cluster.maxRequestBytes), '104857600', INT],
    ['transaction.max.timeout.ms', String(TRANSACTION_MAX_TIMEOUT_MS), '900000', INT],
    ['unclean.leader.election.enable', topicDefault('unclean.leader.election.enable'), 'false', BOOLEAN],
  ];
}

type Synonym = { name: string; value: string | null; source: number };

function entry(name: string, value: string, source: number, readOnly: boolean, synonyms: Synonym[], configType: number, documentation: string | null): DescribeConfigsEntry {
  return { name, value, readOnly, configSource: source, isDefault: source === ConfigSource.DEFAULT_CONFIG, isSensitive: false, synonyms, configType, documentation };
}

/**
 * Broker configs with no default of their own: Kafka takes the value from a coarser one (log.retention.hours for
 * log.retention.ms, log.roll.hours, log.roll.jitter.hours; flush.ms falls back to Long.MAX_VALUE). Kafka lists a
 * topic config's synonyms from its own broker name on, so such a topic config at its default has none.
 */
const BROKER_CONFIGS_WITHOUT_DEFAULT: ReadonlySet<string> = new Set(['log.retention.ms', 'log.roll.ms', 'log.roll.jitter.ms', 'log.flush.interval.ms']);

const SANDBOX_SETTING =
  'Set by the sandbox, not a Kafka default: the sandbox keeps partitions in memory and deletes the oldest batches past this size.';

/**
 * One topic config as Kafka describes it: TOPIC_CONFIG when set on the topic; STATIC_BROKER_CONFIG (under its
 * broker synonym) when the sandbox's own default differs from Kafka's, as the retention bound does; else
 * DEFAULT_CONFIG. Synonyms run from the most to the least specific, as in Kafka.
 */
function topicEntry(cluster: Cluster, raw: Record<string, string>, key: string): DescribeConfigsEntry {
  const known = KAFKA_TOPIC_CONFIGS[key];
  const kafkaDefault = known?.kafkaDefault ?? null;
  const clusterDefault = cluster.topicConfigDefaults[key] ?? kafkaDefault;
  const value = raw[key] ?? clusterDefault ?? '';
  const broker = known?.brokerSynonym ?? key;
  const synonyms: Synonym[] = [];
  if (raw[key] !== undefined && raw[key] !== clusterDefault) synonyms.push({ name: key, value, source: ConfigSource.TOPIC_CONFIG });
  const sandboxSetting = clusterDefault !== null && clusterDefault !== kafkaDefault;
  if (sandboxSetting) synonyms.push({ name: broker, value: clusterDefault, source: ConfigSource.STATIC_BROKER_CONFIG });
  if (kafkaDefault !== null && !BROKER_CONFIGS_WITHOUT_DEFAULT.has(broker)) {
    synonyms.push({ name: broker, value: kafkaDefault, source: ConfigSource.DEFAULT_CONFIG });
  }
  // Kafka: a config with no synonym left comes from the default.
  const source = synonyms[0]?.source ?? ConfigSource.DEFAULT_CONFIG;
  const doc = source === ConfigSource.STATIC_BROKER_CONFIG ? `${SANDBOX_SETTING} Kafka's default is ${kafkaDefault}.` : null;
  return entry(key, value, source, false, synonyms, known?.type ?? ConfigType.STRING, doc);
}

function describeTopic(cluster: Cluster, name: string): DescribeConfigsResult | DescribeConfigsEntry[] {
  const topic = cluster.topics.get(name);
  if (!topic) {
    return { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: `Topic '${name}' does not exist.`, resourceType: ResourceType.TOPIC, resourceName: name, configs: [] };
  }
  const keys = new Set([...Object.keys(KAFKA_TOPIC_CONFIGS), ...Object.keys(topic.config.raw)]);
  return [...keys].sort().map((key) => topicEntry(cluster, topic.config.raw, key));
}

function describeBroker(ctx: RequestContext, name: string): DescribeConfigsResult | DescribeConfigsEntry[] {
  const fail = (message: string): DescribeConfigsResult => ({
    errorCode: ErrorCode.INVALID_REQUEST,
    errorMessage: message,
    resourceType: ResourceType.BROKER,
    resourceName: name,
    configs: [],
  });
  const dynamic = ctx.state.brokerConfigs;
  const clusterDefault = dynamic.at(null);
  // Kafka: the empty name is the cluster-wide dynamic defaults; a broker describes itself only.
  if (name === '') {
    return [...clusterDefault].sort().map(([key, value]) => {
      const synonym = { name: key, value, source: ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG };
      return entry(key, value, synonym.source, false, [synonym], ConfigType.STRING, null);
    });
  }
  if (!/^-?\d+$/.test(name)) return fail(`Broker id must be an integer, but it is: ${name}`);
  if (Number(name) !== ctx.brokerId) return fail(`Unexpected broker id, expected ${ctx.brokerId} or empty string, but received ${name}`);
  const own = dynamic.at(ctx.brokerId);
  const settings = brokerSettings(ctx.state.cluster, ctx.brokerId);
  const known = new Set(settings.map(([key]) => key));
  // Names Kafka does not know are kept as given; the sandbox describes them as strings.
  for (const key of new Set([...own.keys(), ...clusterDefault.keys()])) if (!known.has(key)) settings.push([key, '', '', ConfigType.STRING]);
  return settings.map(([key, value, kafkaDefault, type]) => {
    // From the most to the least specific, as Kafka lists them: this broker's, the cluster's, the static, the default.
    const synonyms: Synonym[] = [];
    const mine = own.get(key);
    const shared = clusterDefault.get(key);
    if (mine !== undefined) synonyms.push({ name: key, value: mine, source: ConfigSource.DYNAMIC_BROKER_CONFIG });
    if (shared !== undefined) synonyms.push({ name: key, value: shared, source: ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG });
    if (known.has(key)) {
      const staticValue = dynamic.staticValue(key) ?? value;
      if (staticValue !== kafkaDefault) synonyms.push({ name: key, value: staticValue, source: ConfigSource.STATIC_BROKER_CONFIG });
      synonyms.push({ name: key, value: kafkaDefault, source: ConfigSource.DEFAULT_CONFIG });
    }
    const source = synonyms[0].source;
    const doc = source === ConfigSource.STATIC_BROKER_CONFIG ? `Set by the sandbox. Kafka's default is ${kafkaDefault}.` : null;
    return entry(key, synonyms[0].value ?? '', source, READ_ONLY_BROKER_CONFIGS.has(key), synonyms, type, doc);
  });
}

export const describeConfigsApi: ApiDefinition<DescribeConfigsRequest, DescribeConfigsResponse> = defineApi<DescribeConfigsRequest, DescribeConfigsResponse>({
  key: ApiKey.DescribeConfigs,
  minVersion: 0,
  maxVersion: 4,
  handle(ctx, req) {
    const results = req.resources.map((res): DescribeConfigsResult => {
      const described =
        res.resourceType === ResourceType.TOPIC
          ? describeTopic(ctx.state.cluster, res.resourceName)
          : res.resourceType === ResourceType.BROKER
            ? describeBroker(ctx, res.resourceName)
            : null;
      if (described === null) {
        return { errorCode: ErrorCode.INVALID_REQUEST, errorMessage: `Unsupported resource type ${res.resourceType}`, resourceType: res.resourceType, resourceName: res.resourceName, configs: [] };
      }
      if (!Array.isArray(described)) return described;
      const wanted = res.configurationKeys;
      const picked = wanted === null ? described : described.filter((c) => wanted.includes(c.name));
      const configs = picked.map((c) => ({
        ...c,
        synonyms: req.includeSynonyms ? c.synonyms : [],
        documentation: req.includeDocumentation ? c.documentation : null,
      }));
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
