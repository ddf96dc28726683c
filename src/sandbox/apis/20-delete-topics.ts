// DeleteTopics (key 20), v0-6: served by the controller only (NOT_CONTROLLER elsewhere). Deletion is immediate:
// the topic's partitions stop their replication timers and requests waiting on them fail over to the client.
// v6 names topics by name or by id (KIP-516).
import { ApiKey } from '../../wire/api-keys.js';
import { ErrorCode } from '../../wire/error-codes.js';
import { defineApi, type ApiDefinition } from '../server/api.js';
import { topicByWireId, wireTopicId, ZERO_TOPIC_ID } from './topic-ids.js';

export interface DeleteTopicsRequest {
  /** v0-5. */
  topicNames: string[];
  /** v6+. */
  topics: { name: string | null; topicId: string }[];
  timeoutMs: number;
}

interface DeletableTopicResult {
  name: string | null;
  topicId: string;
  errorCode: number;
  errorMessage: string | null;
}

export interface DeleteTopicsResponse {
  /** v1+ */
  throttleTimeMs: number;
  responses: DeletableTopicResult[];
}

function requested(version: number, req: DeleteTopicsRequest): { name: string | null; topicId: string }[] {
  return version >= 6 ? req.topics : req.topicNames.map((name) => ({ name, topicId: ZERO_TOPIC_ID }));
}

export const deleteTopicsApi: ApiDefinition<DeleteTopicsRequest, DeleteTopicsResponse> = defineApi<DeleteTopicsRequest, DeleteTopicsResponse>({
  key: ApiKey.DeleteTopics,
  minVersion: 0,
  maxVersion: 6,
  handle(ctx, req) {
    const { cluster } = ctx.state;
    const wanted = requested(ctx.version, req);
    if (ctx.brokerId !== cluster.controller) {
      return { throttleTimeMs: 0, responses: wanted.map((t) => ({ ...t, errorCode: ErrorCode.NOT_CONTROLLER, errorMessage: null })) };
    }
    // A topic listed twice gets one result, as in Kafka (its results are keyed by topic).
    const seen = new Set<string>();
    const responses: DeletableTopicResult[] = [];
    for (const t of wanted) {
      const topic = t.name === null ? topicByWireId(cluster, t.topicId) : cluster.topics.get(t.name);
      const key = t.name ?? t.topicId;
      if (seen.has(key)) continue;
      seen.add(key);
      if (!topic) {
        const errorCode = t.name === null ? ErrorCode.UNKNOWN_TOPIC_ID : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
        responses.push({ name: t.name, topicId: t.topicId, errorCode, errorMessage: null });
        continue;
      }
      const topicId = wireTopicId(topic);
      responses.push({ name: topic.name, topicId, errorCode: cluster.deleteTopic(topic.name), errorMessage: null });
    }
    return { throttleTimeMs: 0, responses };
  },
  withError(req, res, code) {
    return {
      throttleTimeMs: res?.throttleTimeMs ?? 0,
      responses: [...req.topicNames.map((name) => ({ name, topicId: ZERO_TOPIC_ID })), ...req.topics].map((t) => ({ ...t, errorCode: code, errorMessage: null })),
    };
  },
});
