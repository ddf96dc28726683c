// DeleteTopics (key 20), v0-1: served by the controller only (NOT_CONTROLLER elsewhere). Deletion is immediate:
// the topic's partitions stop their replication timers and requests waiting on them fail over to the client.
import { ApiKey } from '../../wire/api-keys.js';
import { ErrorCode } from '../../wire/error-codes.js';
import type { Reader } from '../../wire/reader.js';
import type { Writer } from '../../wire/writer.js';
import type { ApiDefinition } from '../server/api.js';

export interface DeleteTopicsRequest {
  topicNames: string[];
  timeoutMs: number;
}

export interface DeleteTopicsResponse {
  /** v1+ */
  throttleTimeMs: number;
  responses: { name: string; errorCode: number }[];
}

export function decodeDeleteTopicsRequest(r: Reader, _version: number): DeleteTopicsRequest {
  const topicNames = r.array((r) => r.string());
  const timeoutMs = r.int32();
  return { topicNames, timeoutMs };
}

export function encodeDeleteTopicsResponse(w: Writer, version: number, res: DeleteTopicsResponse): void {
  if (version >= 1) w.int32(res.throttleTimeMs);
  w.array(res.responses, (w, t) => w.string(t.name).int16(t.errorCode));
}

export const deleteTopicsApi: ApiDefinition<DeleteTopicsRequest, DeleteTopicsResponse> = {
  key: ApiKey.DeleteTopics,
  minVersion: 0,
  maxVersion: 1,
  decode: decodeDeleteTopicsRequest,
  encode: encodeDeleteTopicsResponse,
  handle(ctx, req) {
    const { cluster } = ctx.state;
    if (ctx.brokerId !== cluster.controller) {
      return { throttleTimeMs: 0, responses: req.topicNames.map((name) => ({ name, errorCode: ErrorCode.NOT_CONTROLLER })) };
    }
    // A name listed twice gets one result, as in Kafka (its results are keyed by topic name).
    const responses = [...new Set(req.topicNames)].map((name) => ({ name, errorCode: cluster.deleteTopic(name) }));
    return { throttleTimeMs: 0, responses };
  },
  withError(req, res, code) {
    return { throttleTimeMs: res?.throttleTimeMs ?? 0, responses: req.topicNames.map((name) => ({ name, errorCode: code })) };
  },
};
