// FindCoordinator (key 10), v0-2: the broker coordinating a consumer group (key_type 0) or a transactional id
// (key_type 1). v0 carries only the key; v1+ adds key_type, and the response throttle and error_message
// (sandbox-protocol §9). The coordinator is a live broker, moved off dead ones by cluster.coordinatorFor.
import { ApiKey } from '../../wire/api-keys.js';
import { ErrorCode } from '../../wire/error-codes.js';
import type { Reader } from '../../wire/reader.js';
import type { Writer } from '../../wire/writer.js';
import type { ApiDefinition } from '../server/api.js';

export const CoordinatorType = { GROUP: 0, TRANSACTION: 1 } as const;

export interface FindCoordinatorRequest {
  key: string;
  keyType: number;
}

export interface FindCoordinatorResponse {
  throttleTimeMs: number;
  errorCode: number;
  errorMessage: string | null;
  nodeId: number;
  host: string;
  port: number;
}

export function decodeFindCoordinatorRequest(r: Reader, version: number): FindCoordinatorRequest {
  const key = r.string();
  const keyType = version >= 1 ? r.int8() : CoordinatorType.GROUP;
  return { key, keyType };
}

export function encodeFindCoordinatorResponse(w: Writer, version: number, res: FindCoordinatorResponse): void {
  if (version >= 1) w.int32(res.throttleTimeMs);
  w.int16(res.errorCode);
  if (version >= 1) w.nullableString(res.errorMessage);
  w.int32(res.nodeId).string(res.host).int32(res.port);
}

const MESSAGES: Record<number, string> = {
  [ErrorCode.COORDINATOR_NOT_AVAILABLE]: 'The coordinator is not available.',
  [ErrorCode.INVALID_REQUEST]: 'Unknown coordinator key type.',
};

function errorResponse(errorCode: number, throttleTimeMs = 0): FindCoordinatorResponse {
  return { throttleTimeMs, errorCode, errorMessage: MESSAGES[errorCode] ?? null, nodeId: -1, host: '', port: -1 };
}

export const findCoordinatorApi: ApiDefinition<FindCoordinatorRequest, FindCoordinatorResponse> = {
  key: ApiKey.FindCoordinator,
  minVersion: 0,
  maxVersion: 2,
  decode: decodeFindCoordinatorRequest,
  encode: encodeFindCoordinatorResponse,
  handle(ctx, req) {
    const { cluster } = ctx.state;
    if (req.keyType !== CoordinatorType.GROUP && req.keyType !== CoordinatorType.TRANSACTION) {
      return errorResponse(ErrorCode.INVALID_REQUEST);
    }
    const id = cluster.coordinatorFor(req.key);
    const broker = cluster.brokers.get(id);
    if (!broker) return errorResponse(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, errorMessage: null, nodeId: id, host: broker.host, port: broker.port };
  },
  withError(_req, res, code) {
    return errorResponse(code, res?.throttleTimeMs ?? 0);
  },
};
