// ListOffsets (key 2), v0-10: the leader answers "latest" (-1) with the high watermark, or the last stable offset
// under read_committed (kafkajs's fetchTopicOffsets asks that way), "earliest" (-2) with the log start offset, the
// max-timestamp query (-3, KIP-734) with the record holding the highest timestamp, and a timestamp with the first
// record at or after it. v0 answers with a list of offsets (old_style_offsets); v2+ carry isolation_level.
import type { Partition } from '../cluster/partition.js';
import type { StoredBatch } from '../cluster/replica-log.js';
import { ApiKey } from '../../wire/api-keys.js';
import { ErrorCode } from '../../wire/error-codes.js';
import { Reader } from '../../wire/reader.js';
import { BATCH_HEADER_SIZE, readBatchHeader } from '../../wire/record-batch.js';
import { defineApi, type ApiDefinition, type RequestContext } from '../server/api.js';
import { READ_COMMITTED } from './01-fetch.js';

export const LATEST_TIMESTAMP = -1;
export const EARLIEST_TIMESTAMP = -2;

/** KIP-734: the record with the highest timestamp. */
export const MAX_TIMESTAMP = -3;
/** KIP-405: the first offset on local storage; everything is local here, so the log start. */
export const EARLIEST_LOCAL_TIMESTAMP = -4;
/** KIP-1005: the last offset in tiered storage; nothing is tiered here. */
export const LATEST_TIERED_TIMESTAMP = -5;

export interface ListOffsetsRequest {
  /** -1 for consumers. */
  replicaId: number;
  /** v2+; v0-1 read uncommitted. */
  isolationLevel: number;
  topics: { name: string; partitions: { partitionIndex: number; currentLeaderEpoch: number; timestamp: number }[] }[];
}

export interface ListOffsetsPartitionResponse {
  partitionIndex: number;
  errorCode: number;
  /** v0 only: the answer as a list of offsets. */
  oldStyleOffsets: number[];
  timestamp: number;
  offset: number;
  leaderEpoch: number;
}

export interface ListOffsetsResponse {
  throttleTimeMs: number;
  topics: { name: string; partitions: ListOffsetsPartitionResponse[] }[];
}

function entry(partitionIndex: number, errorCode: number, timestamp = -1, offset = -1, leaderEpoch = -1): ListOffsetsPartitionResponse {
  return { partitionIndex, errorCode, oldStyleOffsets: offset >= 0 ? [offset] : [], timestamp, offset, leaderEpoch };
}

/**
 * The first record in an uncompressed batch whose timestamp is >= ts, as Kafka finds it, or null when none is (a
 * client's max timestamp can be wrong). Compressed batches are stored opaquely, so they answer with their base
 * offset and max timestamp; LogAppendTime gives every record the batch's max timestamp, so the first one answers.
 */
function firstRecordAtOrAfter(b: StoredBatch, ts: number): { offset: number; timestamp: number } | null {
  const h = readBatchHeader(b.bytes);
  const logAppendTime = (h.attributes & 0x08) !== 0;
  if (h.codec !== 0 || logAppendTime) return { offset: b.baseOffset, timestamp: b.maxTimestamp };
  try {
    const r = new Reader(b.bytes, BATCH_HEADER_SIZE);
    for (let i = 0; i < h.recordCount; i++) {
      const length = r.varint();
      const start = r.offset;
      r.int8(); // attributes
      const timestamp = h.baseTimestamp + r.varlong();
      const offsetDelta = r.varint();
      if (timestamp >= ts) return { offset: b.baseOffset + offsetDelta, timestamp };
      r.offset = start + length;
    }
    return null;
  } catch {
    // Records the broker never had to parse (only the batch CRC was checked): answer at batch granularity.
    return { offset: b.baseOffset, timestamp: b.maxTimestamp };
  }
}

/** Kafka's fetchOffsetByTimestamp, limited like its ListOffsets to what a consumer may read (below `upTo`). */
function offsetForTimestamp(p: Partition, brokerId: number, ts: number, upTo: number): ListOffsetsPartitionResponse {
  const log = p.logs.get(brokerId)!;
  for (let i = log.indexFor(log.logStartOffset); i < log.batches.length; i++) {
    const b = log.batches[i];
    if (b.maxTimestamp < ts) continue;
    const found = firstRecordAtOrAfter(b, ts);
    if (!found) continue;
    const offset = Math.max(found.offset, log.logStartOffset);
    return offset < upTo ? entry(p.index, ErrorCode.NONE, found.timestamp, offset, p.leaderEpoch) : entry(p.index, ErrorCode.NONE);
  }
  return entry(p.index, ErrorCode.NONE);
}

/** KIP-734: the first record carrying the log's highest timestamp (below what a consumer may read). */
function offsetOfMaxTimestamp(p: Partition, brokerId: number, upTo: number): ListOffsetsPartitionResponse {
  const log = p.logs.get(brokerId)!;
  let best: StoredBatch | undefined;
  for (let i = log.indexFor(log.logStartOffset); i < log.batches.length; i++) {
    const b = log.batches[i];
    if (b.lastOffset >= upTo) break;
    if (!best || b.maxTimestamp > best.maxTimestamp) best = b;
  }
  if (!best) return entry(p.index, ErrorCode.NONE);
  const found = firstRecordAtOrAfter(best, best.maxTimestamp) ?? { offset: best.baseOffset, timestamp: best.maxTimestamp };
  return entry(p.index, ErrorCode.NONE, found.timestamp, Math.max(found.offset, log.logStartOffset), p.leaderEpoch);
}

function listPartition(ctx: RequestContext, req: ListOffsetsRequest, topic: string, index: number, leaderEpoch: number, timestamp: number): ListOffsetsPartitionResponse {
  const p = ctx.state.cluster.partition(topic, index);
  if (!p) return entry(index, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  // KIP-320 (v4+): an older epoch than the leader's is fenced, a newer one is not known here yet.
  if (leaderEpoch >= 0 && leaderEpoch !== p.leaderEpoch) {
    return entry(index, leaderEpoch < p.leaderEpoch ? ErrorCode.FENCED_LEADER_EPOCH : ErrorCode.UNKNOWN_LEADER_EPOCH);
  }
  if (p.leader !== ctx.brokerId) return entry(index, ErrorCode.NOT_LEADER_OR_FOLLOWER);
  const lastFetchable = req.isolationLevel === READ_COMMITTED ? p.lastStableOffset() : p.highWatermark;
  const logStart = p.logs.get(ctx.brokerId)!.logStartOffset;
  switch (timestamp) {
    case LATEST_TIMESTAMP:
      return entry(index, ErrorCode.NONE, -1, lastFetchable, p.leaderEpoch);
    case EARLIEST_TIMESTAMP:
    case EARLIEST_LOCAL_TIMESTAMP:
      return entry(index, ErrorCode.NONE, -1, logStart, p.leaderEpoch);
    case MAX_TIMESTAMP:
      return offsetOfMaxTimestamp(p, ctx.brokerId, lastFetchable);
    case LATEST_TIERED_TIMESTAMP:
      return entry(index, ErrorCode.NONE);
    default:
      return offsetForTimestamp(p, ctx.brokerId, timestamp, lastFetchable);
  }
}

export const listOffsetsApi: ApiDefinition<ListOffsetsRequest, ListOffsetsResponse> = defineApi({
  key: ApiKey.ListOffsets,
  minVersion: 0,
  maxVersion: 10,
  handle(ctx, req) {
    // v1+ allows one entry per partition: Kafka answers every repeated partition with INVALID_REQUEST.
    const seen = new Map<string, number>();
    const key = (t: string, p: number) => `${t}:${p}`;
    for (const t of req.topics) for (const p of t.partitions) seen.set(key(t.name, p.partitionIndex), (seen.get(key(t.name, p.partitionIndex)) ?? 0) + 1);
    const topics = req.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) =>
        seen.get(key(t.name, p.partitionIndex))! > 1 && ctx.version >= 1
          ? entry(p.partitionIndex, ErrorCode.INVALID_REQUEST)
          : listPartition(ctx, req, t.name, p.partitionIndex, p.currentLeaderEpoch, p.timestamp),
      ),
    }));
    return { throttleTimeMs: 0, topics };
  },
  withError(req, res, code) {
    return {
      throttleTimeMs: res?.throttleTimeMs ?? 0,
      topics: req.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => entry(p.partitionIndex, code)) })),
    };
  },
});
