// InitProducerId (key 22), v0-5. v3+ carry the caller's current producer id and epoch (KIP-360); the epoch is
// bumped the same way either way.
// - Idempotent producer (no transactional id): a fresh producer id with epoch 0, from any broker; the timeout is
//   ignored, as in Kafka.
// - Transactional producer: answered by the transactional id's coordinator only (transactions/): the same producer
//   id each time with the epoch bumped, which fences the previous instance; a transaction it left open is aborted
//   first and the caller told CONCURRENT_TRANSACTIONS, so that its retry gets the next epoch.
import { ApiKey } from '../../wire/api-keys.js';
import { ErrorCode } from '../../wire/error-codes.js';
import { defineApi, type ApiDefinition } from '../server/api.js';
import { fencedForVersion } from '../transactions/transaction-metadata.js';

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

function failure(errorCode: number): InitProducerIdResponse {
  return { throttleTimeMs: 0, errorCode, producerId: -1, producerEpoch: -1 };
}

export const initProducerIdApi: ApiDefinition<InitProducerIdRequest, InitProducerIdResponse> = defineApi<InitProducerIdRequest, InitProducerIdResponse>({
  key: ApiKey.InitProducerId,
  minVersion: 0,
  maxVersion: 5,
  handle(ctx, req) {
    if (req.transactionalId !== null) {
      const init = ctx.state.transactions.initProducerId(ctx.brokerId, req.transactionalId, req.transactionTimeoutMs);
      // PRODUCER_FENCED is InitProducerId v4+ (KIP-588).
      return { throttleTimeMs: 0, ...init, errorCode: fencedForVersion(init.errorCode, ctx.version, 4) };
    }
    return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, producerId: ctx.state.cluster.allocateProducerId(), producerEpoch: 0 };
  },
  withError(_req, res, code) {
    return { ...failure(code), throttleTimeMs: res?.throttleTimeMs ?? 0 };
  },
});
