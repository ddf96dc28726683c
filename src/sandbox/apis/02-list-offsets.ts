// ListOffsets (key 2), v1-3: the leader answers "latest" (-1) with the high watermark, or the last stable offset
// under read_committed (kafkajs's fetchTopicOffsets asks that way), "earliest" (-2) with the log start offset, and a
// timestamp with the first record at or after it (sandbox-protocol §8). v2 adds isolation_level and throttle time;
// v3 is byte-identical to v2.
import type { Partition } from '../cluster/partition.js';
import type { StoredBatch } from '../cluster/replica-log.js';
import { ApiKey } from '../../wire/api-keys.js';
import { ErrorCode } from '../../wire/error-codes.js';
import { Reader } from '../../wire/reader.js';
import { BATCH_HEADER_SIZE, readBatchHeader } from '../../wire/record-batch.js';
import type { Writer } from '../../wire/writer.js';
import type { ApiDefinition, RequestContext } from '../server/api.js';
import { READ_COMMITTED } from './01-fetch.js';

export const LATEST_TIMESTAMP = -1;
export const EARLIEST_TIMESTAMP = -2;

export interface ListOffsetsRequest {
  replicaId: number;
  /** v2+; v1 reads uncommitted. */
  isolationLevel: number;
  topics: { name: string; partitions: { index: number; timestamp: number }[] }[];
}

export interface ListOffsetsPartitionResponse {
  index: number;
  errorCode: number;
  timestamp: number;
  offset: number;
}

export interface ListOffsetsResponse {
  throttleTimeMs: number;
  topics: { name: string; partitions: ListOffsetsPartitionResponse[] }[];
}

export function decodeListOffsetsRequest(r: Reader, version: number): ListOffsetsRequest {
  const replicaId = r.int32();
  const isolationLevel = version >= 2 ? r.int8() : 0;
  const topics = r.array((r) => ({
    name: r.string(),
    partitions: r.array((r) => ({ index: r.int32(), timestamp: r.int64() })),
  }));
  return { replicaId, isolationLevel, topics };
}

export function encodeListOffsetsResponse(w: Writer, version: number, res: ListOffsetsResponse): void {
  if (version >= 2) w.int32(res.throttleTimeMs);
  w.array(res.topics, (w, t) => {
    w.string(t.name);
    w.array(t.partitions, (w, p) => w.int32(p.index).int16(p.errorCode).int64(p.timestamp).int64(p.offset));
  });
}

function entry(index: number, errorCode: number, timestamp = -1, offset = -1): ListOffsetsPartitionResponse {
  return { index, errorCode, timestamp, offset };
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
    return offset < upTo ? entry(p.index, ErrorCode.NONE, found.timestamp, offset) : entry(p.index, ErrorCode.NONE);
  }
  return entry(p.index, ErrorCode.NONE);
}

function listPartition(ctx: RequestContext, req: ListOffsetsRequest, topic: string, index: number, timestamp: number): ListOffsetsPartitionResponse {
  const p = ctx.state.cluster.partition(topic, index);
  if (!p) return entry(index, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  if (p.leader !== ctx.brokerId) return entry(index, ErrorCode.NOT_LEADER_OR_FOLLOWER);
  const lastFetchable = req.isolationLevel === READ_COMMITTED ? p.lastStableOffset() : p.highWatermark;
  if (timestamp === LATEST_TIMESTAMP) return entry(index, ErrorCode.NONE, -1, lastFetchable);
  if (timestamp === EARLIEST_TIMESTAMP) return entry(index, ErrorCode.NONE, -1, p.logs.get(ctx.brokerId)!.logStartOffset);
  return offsetForTimestamp(p, ctx.brokerId, timestamp, lastFetchable);
}

export const listOffsetsApi: ApiDefinition<ListOffsetsRequest, ListOffsetsResponse> = {
  key: ApiKey.ListOffsets,
  minVersion: 1,
  maxVersion: 3,
  decode: decodeListOffsetsRequest,
  encode: encodeListOffsetsResponse,
  handle(ctx, req) {
    // v1+ allows one entry per partition: Kafka answers every repeated partition with INVALID_REQUEST.
    const seen = new Map<string, number>();
    for (const t of req.topics) for (const p of t.partitions) seen.set(`${t.name}:${p.index}`, (seen.get(`${t.name}:${p.index}`) ?? 0) + 1);
    const topics = req.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) =>
        seen.get(`${t.name}:${p.index}`)! > 1
          ? entry(p.index, ErrorCode.INVALID_REQUEST)
          : listPartition(ctx, req, t.name, p.index, p.timestamp),
      ),
    }));
    return { throttleTimeMs: 0, topics };
  },
  withError(req, res, code) {
    return {
      throttleTimeMs: res?.throttleTimeMs ?? 0,
      topics: req.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => entry(p.index, code)) })),
    };
  },
};
