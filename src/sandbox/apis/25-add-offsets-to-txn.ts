// AddOffsetsToTxn (key 25), v0-4: a consume-transform-produce producer adds a consumer group to its transaction, at
// its transaction coordinator, before committing the group's offsets with TxnOffsetCommit.
// Kafka adds the group's __consumer_offsets partition; the sandbox keeps the group id.
import { ApiKey } from '../../wire/api-keys.js';
import { defineApi, type ApiDefinition } from '../server/api.js';
import { fencedForVersion } from '../transactions/transaction-metadata.js';

export interface AddOffsetsToTxnRequest {
  transactionalId: string;
  producerId: number;
  producerEpoch: number;
  groupId: string;
}

export interface AddOffsetsToTxnResponse {
  throttleTimeMs: number;
  errorCode: number;
}

export const addOffsetsToTxnApi: ApiDefinition<AddOffsetsToTxnRequest, AddOffsetsToTxnResponse> = defineApi<AddOffsetsToTxnRequest, AddOffsetsToTxnResponse>({
  key: ApiKey.AddOffsetsToTxn,
  minVersion: 0,
  maxVersion: 4,
  handle(ctx, req) {
    const code = ctx.state.transactions.addOffsets(ctx.brokerId, req.transactionalId, req.producerId, req.producerEpoch, req.groupId);
    // PRODUCER_FENCED is AddOffsetsToTxn v2+ (KIP-588).
    return { throttleTimeMs: 0, errorCode: fencedForVersion(code, ctx.version, 2) };
  },
  withError(_req, res, code) {
    return { throttleTimeMs: res?.throttleTimeMs ?? 0, errorCode: code };
  },
});
