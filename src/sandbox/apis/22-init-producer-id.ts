// InitProducerId (key 22), v0-1 (sandbox-protocol §7.3).
// - Idempotent producer (no transactional id): a fresh producer id with epoch 0, from any broker; the timeout is
//   ignored, as in Kafka.
// - Transactional producer: answered by the transactional id's coordinator only; the same producer id each time with
//   the epoch bumped, which fences the previous instance (its batches get INVALID_PRODUCER_EPOCH) and aborts the
//   transaction it left open. The table lives in cluster/producer-ids.ts; the transaction coordinator's own state
//   (partitions in the transaction, EndTxn) builds on it.
import { TRANSACTION_MAX_TIMEOUT_MS, fenceProducer, transactionalIds } from '../cluster/producer-ids.js';
import { ApiKey } from '../protocol/api-keys.js';
import { ErrorCode } from '../protocol/error-codes.js';
import type { Reader } from '../protocol/reader.js';
import type { Writer } from '../protocol/writer.js';
import type { ApiDefinition, RequestContext } from '../server/api.js';

export interface InitProducerIdRequest {
  transactionalId: string | null;
  transactionTimeoutMs: number;
}

export interface InitProducerIdResponse {
  throttleTimeMs: number;
  errorCode: number;
  producerId: number;
  producerEpoch: number;
}

export function decodeInitProducerIdRequest(r: Reader, _version: number): InitProducerIdRequest {
  const transactionalId = r.nullableString();
  const transactionTimeoutMs = r.int32();
  return { transactionalId, transactionTimeoutMs };
}

export function encodeInitProducerIdResponse(w: Writer, _version: number, res: InitProducerIdResponse): void {
  w.int32(res.throttleTimeMs).int16(res.errorCode).int64(res.producerId).int16(res.producerEpoch);
}

function failure(errorCode: number): InitProducerIdResponse {
  return { throttleTimeMs: 0, errorCode, producerId: -1, producerEpoch: -1 };
}

/** The transaction coordinator's part of InitProducerId. */
function initTransactional(ctx: RequestContext, transactionalId: string, timeoutMs: number): InitProducerIdResponse {
  const { cluster } = ctx.state;
  if (transactionalId === '') return failure(ErrorCode.INVALID_REQUEST);
  const coordinator = cluster.coordinatorFor(transactionalId);
  if (coordinator < 0) return failure(ErrorCode.COORDINATOR_NOT_AVAILABLE);
  if (coordinator !== ctx.brokerId) return failure(ErrorCode.NOT_COORDINATOR);
  if (timeoutMs <= 0 || timeoutMs > TRANSACTION_MAX_TIMEOUT_MS) return failure(ErrorCode.INVALID_TRANSACTION_TIMEOUT);
  const init = transactionalIds(cluster).init(transactionalId, timeoutMs);
  for (const f of init.fence) fenceProducer(cluster, f.producerId, f.epoch);
  return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, producerId: init.producerId, producerEpoch: init.producerEpoch };
}

export const initProducerIdApi: ApiDefinition<InitProducerIdRequest, InitProducerIdResponse> = {
  key: ApiKey.InitProducerId,
  minVersion: 0,
  maxVersion: 1,
  decode: decodeInitProducerIdRequest,
  encode: encodeInitProducerIdResponse,
  handle(ctx, req) {
    if (req.transactionalId !== null) return initTransactional(ctx, req.transactionalId, req.transactionTimeoutMs);
    return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, producerId: ctx.state.cluster.allocateProducerId(), producerEpoch: 0 };
  },
  withError(_req, res, code) {
    return { ...failure(code), throttleTimeMs: res?.throttleTimeMs ?? 0 };
  },
};
