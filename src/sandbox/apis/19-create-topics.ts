// CreateTopics (key 19), v0-7: served by the controller only (NOT_CONTROLLER elsewhere, as Kafka does; kafkajs and
// librdkafka's admin send it there). Partitions and replication factor may be -1 for the cluster defaults, or a
// manual replica assignment given instead; config names must be Kafka's, the values the sandbox honours are
// validated, and all are kept for DescribeConfigs. Internal topics cannot be created. Creation is synchronous, so
// timeout_ms never expires. v5+ answer with what was created (KIP-525), v7+ with the topic id.
import { ApiKey } from '../../wire/api-keys.js';
import { ErrorCode } from '../../wire/error-codes.js';
import { defineApi, type ApiDefinition, type RequestContext } from '../server/api.js';
import { createTopicWithAssignment } from '../cluster/topic-admin.js';
import { ConfigSource } from './config-source.js';
import { isInternalTopic } from './internal-topics.js';
import { unknownTopicConfig } from './kafka-topic-configs.js';
import { wireTopicId, ZERO_TOPIC_ID } from './topic-ids.js';

export interface CreatableTopic {
  name: string;
  numPartitions: number;
  replicationFactor: number;
  /** Manual replica assignment: partition index -> broker ids. */
  assignments: { partitionIndex: number; brokerIds: number[] }[];
  configs: { name: string; value: string | null }[];
}

export interface CreateTopicsRequest {
  topics: CreatableTopic[];
  timeoutMs: number;
  /** v1+ */
  validateOnly: boolean;
}

export interface CreateTopicsTopicResult {
  name: string;
  /** v7+ */
  topicId: string;
  errorCode: number;
  /** v1+ */
  errorMessage: string | null;
  /** v5+: what was created. */
  numPartitions: number;
  replicationFactor: number;
  configs: { name: string; value: string | null; readOnly: boolean; configSource: number; isSensitive: boolean }[] | null;
}

export interface CreateTopicsResponse {
  /** v2+ */
  throttleTimeMs: number;
  topics: CreateTopicsTopicResult[];
}


function result(name: string, errorCode: number, errorMessage: string | null = null): CreateTopicsTopicResult {
  return { name, topicId: ZERO_TOPIC_ID, errorCode, errorMessage, numPartitions: -1, replicationFactor: -1, configs: null };
}

/** v5+ (KIP-525): the created topic's partitions, replication factor and configs, with where each came from. */
function created(ctx: RequestContext, t: CreatableTopic, validateOnly: boolean): CreateTopicsTopicResult {
  const { cluster } = ctx.state;
  const topic = validateOnly ? undefined : cluster.topics.get(t.name);
  const given = new Set(t.configs.map((c) => c.name));
  const raw: Record<string, string | null> = topic?.config.raw ?? { ...cluster.topicConfigDefaults, ...Object.fromEntries(t.configs.map((c) => [c.name, c.value])) };
  const configs = Object.keys(raw)
    .sort()
    .map((name) => ({
      name,
      value: raw[name],
      readOnly: false,
      configSource: given.has(name) ? ConfigSource.TOPIC_CONFIG : ConfigSource.DEFAULT_CONFIG,
      isSensitive: false,
    }));
  return {
    ...result(t.name, ErrorCode.NONE),
    topicId: topic ? wireTopicId(topic) : ZERO_TOPIC_ID,
    numPartitions: topic?.partitions.length ?? (t.assignments.length || (t.numPartitions === -1 ? cluster.defaultPartitions : t.numPartitions)),
    replicationFactor:
      topic?.partitions[0]?.replicas.length ??
      (t.assignments[0]?.brokerIds.length || (t.replicationFactor === -1 ? cluster.defaultReplicationFactor : t.replicationFactor)),
    configs,
  };
}

function createOne(ctx: RequestContext, t: CreatableTopic, validateOnly: boolean): CreateTopicsTopicResult {
  if (isInternalTopic(t.name)) return result(t.name, ErrorCode.INVALID_REQUEST, `Creation of internal topic ${t.name} is prohibited.`);
  const unknownConfig = unknownTopicConfig(t.configs.map((c) => c.name));
  if (unknownConfig !== undefined) return result(t.name, ErrorCode.INVALID_CONFIG, `Unknown topic config name: ${unknownConfig}`);
  const configs: Record<string, string | null> = {};
  for (const c of t.configs) configs[c.name] = c.value;
  if (t.assignments.length > 0) {
    if (t.numPartitions !== -1 || t.replicationFactor !== -1) {
      return result(t.name, ErrorCode.INVALID_REQUEST, 'Both numPartitions or replicationFactor and replicasAssignments were set. Both cannot be used at the same time.');
    }
    const assigned = createTopicWithAssignment(ctx.state.cluster, t.name, t.assignments, configs, validateOnly);
    return assigned.error === ErrorCode.NONE ? created(ctx, t, validateOnly) : result(t.name, assigned.error, 'message' in assigned ? assigned.message : null);
  }
  if (t.numPartitions === 0 || t.numPartitions < -1) {
    return result(t.name, ErrorCode.INVALID_PARTITIONS, `Number of partitions must be larger than 0, got ${t.numPartitions}.`);
  }
  if (t.replicationFactor === 0 || t.replicationFactor < -1) {
    return result(t.name, ErrorCode.INVALID_REPLICATION_FACTOR, `Replication factor must be larger than 0, got ${t.replicationFactor}.`);
  }
  const { cluster } = ctx.state;
  const count = t.numPartitions === -1 ? cluster.defaultPartitions : t.numPartitions;
  const capped = cluster.topics.has(t.name) ? null : cluster.partitionCapError(count);
  if (capped) return result(t.name, capped.error, capped.message);
  const outcome = cluster.createTopic(t.name, t.numPartitions, t.replicationFactor, configs, validateOnly);
  if (outcome.error === ErrorCode.NONE) return created(ctx, t, validateOnly);
  return result(t.name, outcome.error, 'message' in outcome ? outcome.message : null);
}

export const createTopicsApi: ApiDefinition<CreateTopicsRequest, CreateTopicsResponse> = defineApi<CreateTopicsRequest, CreateTopicsResponse>({
  key: ApiKey.CreateTopics,
  minVersion: 0,
  maxVersion: 7,
  handle(ctx, req) {
    const { cluster } = ctx.state;
    if (ctx.brokerId !== cluster.controller) {
      const message = `This is not the controller: broker ${cluster.controller} is.`;
      return { throttleTimeMs: 0, topics: req.topics.map((t) => result(t.name, ErrorCode.NOT_CONTROLLER, message)) };
    }
    // Kafka rejects every entry of a name given twice, and creates the others.
    const counts = new Map<string, number>();
    for (const t of req.topics) counts.set(t.name, (counts.get(t.name) ?? 0) + 1);
    const topics = req.topics.map((t) =>
      counts.get(t.name)! > 1
        ? result(t.name, ErrorCode.INVALID_REQUEST, `Create topics request contains multiple entries for topic '${t.name}'.`)
        : createOne(ctx, t, req.validateOnly),
    );
    return { throttleTimeMs: 0, topics };
  },
  withError(req, res, code) {
    return { throttleTimeMs: res?.throttleTimeMs ?? 0, topics: req.topics.map((t) => result(t.name, code)) };
  },
});
