// CreateTopics (key 19), v0-3: served by the controller only (NOT_CONTROLLER elsewhere, as Kafka does; kafkajs and
// librdkafka's admin send it there). Partitions and replication factor may be -1 for the cluster defaults; configs
// are validated (min.insync.replicas, max.message.bytes, retention.bytes, unclean.leader.election.enable) and all are
// kept for DescribeConfigs. Creation is synchronous, so timeout_ms never expires.
import { ApiKey } from '../../wire/api-keys.js';
import { ErrorCode } from '../../wire/error-codes.js';
import type { Reader } from '../../wire/reader.js';
import type { Writer } from '../../wire/writer.js';
import type { ApiDefinition, RequestContext } from '../server/api.js';

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
  errorCode: number;
  /** v1+ */
  errorMessage: string | null;
}

export interface CreateTopicsResponse {
  /** v2+ */
  throttleTimeMs: number;
  topics: CreateTopicsTopicResult[];
}

export function decodeCreateTopicsRequest(r: Reader, version: number): CreateTopicsRequest {
  const topics = r.array((r) => ({
    name: r.string(),
    numPartitions: r.int32(),
    replicationFactor: r.int16(),
    assignments: r.array((r) => ({ partitionIndex: r.int32(), brokerIds: r.array((r) => r.int32()) })),
    configs: r.array((r) => ({ name: r.string(), value: r.nullableString() })),
  }));
  const timeoutMs = r.int32();
  const validateOnly = version >= 1 ? r.boolean() : false;
  return { topics, timeoutMs, validateOnly };
}

export function encodeCreateTopicsResponse(w: Writer, version: number, res: CreateTopicsResponse): void {
  if (version >= 2) w.int32(res.throttleTimeMs);
  w.array(res.topics, (w, t) => {
    w.string(t.name).int16(t.errorCode);
    if (version >= 1) w.nullableString(t.errorMessage);
  });
}

/** The sandbox keeps every partition in memory (about 2 KB each with three replicas): a cap keeps it bounded. */
export const MAX_CLUSTER_PARTITIONS = 10_000;

function result(name: string, errorCode: number, errorMessage: string | null = null): CreateTopicsTopicResult {
  return { name, errorCode, errorMessage };
}

function createOne(ctx: RequestContext, t: CreatableTopic, validateOnly: boolean): CreateTopicsTopicResult {
  if (t.assignments.length > 0) {
    return result(
      t.name,
      ErrorCode.INVALID_REQUEST,
      'Manual replica assignment is not supported by the sandbox: give num_partitions and replication_factor ' +
        '(replicas are spread round-robin over the brokers, so leaders spread too).',
    );
  }
  if (t.numPartitions === 0 || t.numPartitions < -1) {
    return result(t.name, ErrorCode.INVALID_PARTITIONS, `Number of partitions must be larger than 0, got ${t.numPartitions}.`);
  }
  if (t.replicationFactor === 0 || t.replicationFactor < -1) {
    return result(t.name, ErrorCode.INVALID_REPLICATION_FACTOR, `Replication factor must be larger than 0, got ${t.replicationFactor}.`);
  }
  const { cluster } = ctx.state;
  const count = t.numPartitions === -1 ? cluster.defaultPartitions : t.numPartitions;
  const existing = cluster.allPartitions().length;
  if (!cluster.topics.has(t.name) && existing + count > MAX_CLUSTER_PARTITIONS) {
    return result(
      t.name,
      ErrorCode.INVALID_PARTITIONS,
      `The sandbox holds at most ${MAX_CLUSTER_PARTITIONS} partitions in all and has ${existing}: ${count} more do not fit. Delete topics first.`,
    );
  }
  const configs: Record<string, string | null> = {};
  for (const c of t.configs) configs[c.name] = c.value;
  const created = cluster.createTopic(t.name, t.numPartitions, t.replicationFactor, configs, validateOnly);
  if (created.error === ErrorCode.NONE) return result(t.name, ErrorCode.NONE);
  return result(t.name, created.error, 'message' in created ? created.message : null);
}

export const createTopicsApi: ApiDefinition<CreateTopicsRequest, CreateTopicsResponse> = {
  key: ApiKey.CreateTopics,
  minVersion: 0,
  maxVersion: 3,
  decode: decodeCreateTopicsRequest,
  encode: encodeCreateTopicsResponse,
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
};
