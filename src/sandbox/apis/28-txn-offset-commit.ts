// TxnOffsetCommit (key 28), v0-4: a transactional producer commits a consumer group's offsets as part of its
// transaction, at the group's coordinator (not the transaction coordinator). The offsets stay pending, invisible to
// OffsetFetch, until the transaction commits; an abort drops them. v2 adds the leader epoch and v3 the member id
// and generation (KIP-447), which the sandbox does not check.
import { ApiKey } from '../../wire/api-keys.js';
import { defineApi, type ApiDefinition } from '../server/api.js';
import { fencedForVersion } from '../transactions/transaction-metadata.js';

export interface TxnOffsetCommitRequest {
  transactionalId: string;
  groupId: string;
  producerId: number;
  producerEpoch: number;
  topics: {
    name: string;
    partitions: { partitionIndex: number; committedOffset: number; committedMetadata: string | null }[];
  }[];
}

export interface TxnOffsetCommitResponse {
  throttleTimeMs: number;
  topics: { name: string; partitions: { partitionIndex: number; errorCode: number }[] }[];
}

export const txnOffsetCommitApi: ApiDefinition<TxnOffsetCommitRequest, TxnOffsetCommitResponse> = defineApi<TxnOffsetCommitRequest, TxnOffsetCommitResponse>({
  key: ApiKey.TxnOffsetCommit,
  minVersion: 0,
  maxVersion: 4,
  handle(ctx, req) {
    const offsets = req.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => ({ index: p.partitionIndex, offset: p.committedOffset, metadata: p.committedMetadata })),
    }));
    const results = ctx.state.transactions.commitOffsets(ctx.brokerId, req.transactionalId, req.groupId, req.producerId, req.producerEpoch, offsets);
    // PRODUCER_FENCED is TxnOffsetCommit v3+ (KIP-588).
    const topics = results.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => ({ partitionIndex: p.index, errorCode: fencedForVersion(p.errorCode, ctx.version, 3) })),
    }));
    return { throttleTimeMs: 0, topics };
  },
  withError(req, res, code) {
    return {
      throttleTimeMs: res?.throttleTimeMs ?? 0,
      topics: req.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode: code })) })),
    };
  },
});
