// FindCoordinator (key 10), v0-6: the broker coordinating a consumer group (key_type 0) or a transactional id
// (key_type 1). v0 carries only the key; v1+ adds key_type, and the response throttle and error_message; v4+
// look up several keys at once (KIP-699) and answer per key. The coordinator is a live broker, moved off dead
// ones by cluster.coordinatorFor.
import { ApiKey } from '../../wire/api-keys.js';
import { ErrorCode } from '../../wire/error-codes.js';
import { defineApi, type ApiDefinition, type RequestContext } from '../server/api.js';

export const CoordinatorType = { GROUP: 0, TRANSACTION: 1 } as const;

export interface FindCoordinatorRequest {
  /** v0-3. */
  key: string;
  keyType: number;
  /** v4+. */
  coordinatorKeys: string[];
}

interface Coordinator {
  nodeId: number;
  host: string;
  port: number;
  errorCode: number;
  errorMessage: string | null;
}

export interface FindCoordinatorResponse extends Coordinator {
  throttleTimeMs: number;
  /** v4+. */
  coordinators: (Coordinator & { key: string })[];
}

const MESSAGES: Record<number, string> = {
  [ErrorCode.COORDINATOR_NOT_AVAILABLE]: 'The coordinator is not available.',
  [ErrorCode.INVALID_REQUEST]: 'Unknown coordinator key type.',
};

function failed(errorCode: number): Coordinator {
  return { errorCode, errorMessage: MESSAGES[errorCode] ?? null, nodeId: -1, host: '', port: -1 };
}

function find(ctx: RequestContext, keyType: number, key: string): Coordinator {
  const { cluster } = ctx.state;
  if (keyType !== CoordinatorType.GROUP && keyType !== CoordinatorType.TRANSACTION) return failed(ErrorCode.INVALID_REQUEST);
  const id = cluster.coordinatorFor(key);
  const broker = cluster.brokers.get(id);
  if (!broker) return failed(ErrorCode.COORDINATOR_NOT_AVAILABLE);
  return { errorCode: ErrorCode.NONE, errorMessage: null, nodeId: id, host: broker.host, port: broker.port };
}

export const findCoordinatorApi: ApiDefinition<FindCoordinatorRequest, FindCoordinatorResponse> = defineApi<FindCoordinatorRequest, FindCoordinatorResponse>({
  key: ApiKey.FindCoordinator,
  minVersion: 0,
  maxVersion: 6,
  handle(ctx, req) {
    if (ctx.version >= 4) {
      const coordinators = req.coordinatorKeys.map((key) => ({ key, ...find(ctx, req.keyType, key) }));
      return { throttleTimeMs: 0, ...failed(ErrorCode.NONE), coordinators };
    }
    return { throttleTimeMs: 0, ...find(ctx, req.keyType, req.key), coordinators: [] };
  },
  withError(req, res, code) {
    return {
      throttleTimeMs: res?.throttleTimeMs ?? 0,
      ...failed(code),
      coordinators: req.coordinatorKeys.map((key) => ({ key, ...failed(code) })),
    };
  },
});
