// TxnOffsetCommit (key 28), v0-1: a transactional producer commits a consumer group's offsets as part of its
// transaction, at the group's coordinator (not the transaction coordinator). The offsets stay pending, invisible to
// OffsetFetch, until the transaction commits; an abort drops them (sandbox-protocol §7.4). v1 differs only in
// throttling; v2 would add the leader epoch and v3 the member id and generation, which is why v0-1 check neither.
import type { OffsetCommitResult, OffsetCommitTopic } from '../groups/group-coordinator.js';
import { ApiKey } from '../../wire/api-keys.js';
import type { Reader } from '../../wire/reader.js';
import type { Writer } from '../../wire/writer.js';
import type { ApiDefinition } from '../server/api.js';
import { fencedForVersion } from '../transactions/transaction-metadata.js';

export interface TxnOffsetCommitRequest {
  transactionalId: string;
  groupId: string;
  producerId: number;
  producerEpoch: number;
  topics: OffsetCommitTopic[];
}

export interface TxnOffsetCommitResponse {
  throttleTimeMs: number;
  topics: OffsetCommitResult[];
}

export function decodeTxnOffsetCommitRequest(r: Reader, _version: number): TxnOffsetCommitRequest {
  const transactionalId = r.string();
  const groupId = r.string();
  const producerId = r.int64();
  const producerEpoch = r.int16();
  const topics = r.array((r) => ({
    name: r.string(),
    partitions: r.array((r) => ({ index: r.int32(), offset: r.int64(), metadata: r.nullableString() })),
  }));
  return { transactionalId, groupId, producerId, producerEpoch, topics };
}

export function encodeTxnOffsetCommitResponse(w: Writer, _version: number, res: TxnOffsetCommitResponse): void {
  w.int32(res.throttleTimeMs);
  w.array(res.topics, (w, t) => {
    w.string(t.name);
    w.array(t.partitions, (w, p) => w.int32(p.index).int16(p.errorCode));
  });
}

export const txnOffsetCommitApi: ApiDefinition<TxnOffsetCommitRequest, TxnOffsetCommitResponse> = {
  key: ApiKey.TxnOffsetCommit,
  minVersion: 0,
  maxVersion: 1,
  decode: decodeTxnOffsetCommitRequest,
  encode: encodeTxnOffsetCommitResponse,
  handle(ctx, req) {
    const results = ctx.state.transactions.commitOffsets(ctx.brokerId, req.transactionalId, req.groupId, req.producerId, req.producerEpoch, req.topics);
    // PRODUCER_FENCED is TxnOffsetCommit v3+ (KIP-588).
    const topics = results.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => ({ index: p.index, errorCode: fencedForVersion(p.errorCode, ctx.version, 3) })),
    }));
    return { throttleTimeMs: 0, topics };
  },
  withError(req, res, code) {
    return {
      throttleTimeMs: res?.throttleTimeMs ?? 0,
      topics: req.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ index: p.index, errorCode: code })) })),
    };
  },
};
