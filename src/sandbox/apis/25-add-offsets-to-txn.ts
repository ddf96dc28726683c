// AddOffsetsToTxn (key 25), v0-1: a consume-transform-produce producer adds a consumer group to its transaction, at
// its transaction coordinator, before committing the group's offsets with TxnOffsetCommit (sandbox-protocol §7.4).
// Kafka adds the group's __consumer_offsets partition; the sandbox keeps the group id. v1 differs only in throttling.
import { ApiKey } from '../../wire/api-keys.js';
import type { Reader } from '../../wire/reader.js';
import type { Writer } from '../../wire/writer.js';
import type { ApiDefinition } from '../server/api.js';
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

export function decodeAddOffsetsToTxnRequest(r: Reader, _version: number): AddOffsetsToTxnRequest {
  const transactionalId = r.string();
  const producerId = r.int64();
  const producerEpoch = r.int16();
  const groupId = r.string();
  return { transactionalId, producerId, producerEpoch, groupId };
}

export function encodeAddOffsetsToTxnResponse(w: Writer, _version: number, res: AddOffsetsToTxnResponse): void {
  w.int32(res.throttleTimeMs).int16(res.errorCode);
}

export const addOffsetsToTxnApi: ApiDefinition<AddOffsetsToTxnRequest, AddOffsetsToTxnResponse> = {
  key: ApiKey.AddOffsetsToTxn,
  minVersion: 0,
  maxVersion: 1,
  decode: decodeAddOffsetsToTxnRequest,
  encode: encodeAddOffsetsToTxnResponse,
  handle(ctx, req) {
    const code = ctx.state.transactions.addOffsets(ctx.brokerId, req.transactionalId, req.producerId, req.producerEpoch, req.groupId);
    // PRODUCER_FENCED is AddOffsetsToTxn v2+ (KIP-588).
    return { throttleTimeMs: 0, errorCode: fencedForVersion(code, ctx.version, 2) };
  },
  withError(_req, res, code) {
    return { throttleTimeMs: res?.throttleTimeMs ?? 0, errorCode: code };
  },
};
