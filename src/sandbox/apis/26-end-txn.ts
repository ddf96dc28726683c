// EndTxn (key 26), v0-1: commit (committed = true) or abort the producer's transaction, at its transaction
// coordinator. The coordinator writes a COMMIT or ABORT control batch to every partition in the transaction, which
// moves their last stable offset past it (sandbox-protocol §6, §7.4). v1 differs only in throttling.
import { ApiKey } from '../../wire/api-keys.js';
import type { Reader } from '../../wire/reader.js';
import type { Writer } from '../../wire/writer.js';
import type { ApiDefinition } from '../server/api.js';
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
}

export function decodeEndTxnRequest(r: Reader, _version: number): EndTxnRequest {
  const transactionalId = r.string();
  const producerId = r.int64();
  const producerEpoch = r.int16();
  const committed = r.boolean();
  return { transactionalId, producerId, producerEpoch, committed };
}

export function encodeEndTxnResponse(w: Writer, _version: number, res: EndTxnResponse): void {
  w.int32(res.throttleTimeMs).int16(res.errorCode);
}

export const endTxnApi: ApiDefinition<EndTxnRequest, EndTxnResponse> = {
  key: ApiKey.EndTxn,
  minVersion: 0,
  maxVersion: 1,
  decode: decodeEndTxnRequest,
  encode: encodeEndTxnResponse,
  handle(ctx, req) {
    const code = ctx.state.transactions.endTxn(ctx.brokerId, req.transactionalId, req.producerId, req.producerEpoch, req.committed);
    // PRODUCER_FENCED is EndTxn v2+ (KIP-588).
    return { throttleTimeMs: 0, errorCode: fencedForVersion(code, ctx.version, 2) };
  },
  withError(_req, res, code) {
    return { throttleTimeMs: res?.throttleTimeMs ?? 0, errorCode: code };
  },
};
