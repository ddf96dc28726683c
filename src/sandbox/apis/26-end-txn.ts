// EndTxn (key 26), v0-5: commit (committed = true) or abort the producer's transaction, at its transaction
// coordinator. The coordinator writes a COMMIT or ABORT control batch to every partition in the transaction, which
// moves their last stable offset past it.
import { ApiKey } from '../../wire/api-keys.js';
import { defineApi, type ApiDefinition } from '../server/api.js';
import { fencedForVersion } from '../transactions/transaction-metadata.js';

export interface EndTxnRequest {
  transactionalId: string;
  producerId: number;
  producerEpoch: number;
  /** true: commit; false: abort. */
  committed: boolean;
}

export interface EndTxnResponse {
  throttleTimeMs: number;
  errorCode: number;
  /** v5+ (KIP-890): the producer id and epoch to go on with; without transaction.version 2 they stay the same. */
  producerId: number;
  producerEpoch: number;
}

export const endTxnApi: ApiDefinition<EndTxnRequest, EndTxnResponse> = defineApi<EndTxnRequest, EndTxnResponse>({
  key: ApiKey.EndTxn,
  minVersion: 0,
  maxVersion: 5,
  handle(ctx, req) {
    const code = ctx.state.transactions.endTxn(ctx.brokerId, req.transactionalId, req.producerId, req.producerEpoch, req.committed);
    // PRODUCER_FENCED is EndTxn v2+ (KIP-588).
    return { throttleTimeMs: 0, errorCode: fencedForVersion(code, ctx.version, 2), producerId: req.producerId, producerEpoch: req.producerEpoch };
  },
  withError(req, res, code) {
    return { throttleTimeMs: res?.throttleTimeMs ?? 0, errorCode: code, producerId: req.producerId, producerEpoch: req.producerEpoch };
  },
});
