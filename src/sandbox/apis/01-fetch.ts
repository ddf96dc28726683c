// Fetch (key 1), v4-17: consumers read whole record batches from the partition leader, only below the high
// watermark (below the last stable offset under read_committed), long-polling until min_bytes or max_wait_ms.
// v13+ name topics by id (KIP-516). Sessionless: clients send session_id 0, and we never create a session
// (KIP-227 lets a broker decline), so every answer is a full response with session_id 0.
import type { Cluster } from '../cluster/cluster.js';
import { waitForFetchable } from '../cluster/fetch-wait.js';
import type { Partition } from '../cluster/partition.js';
import { ApiKey } from '../../wire/api-keys.js';
import { ErrorCode } from '../../wire/error-codes.js';
import { defineApi, type ApiDefinition, type RequestContext } from '../server/api.js';
import { topicByWireId } from './topic-ids.js';

export const READ_COMMITTED = 1;

export interface FetchPartitionRequest {
  partition: number;
  /** v9+; -1 (what both clients send) skips the check. */
  currentLeaderEpoch: number;
  fetchOffset: number;
  /** v5+; only followers use it. */
  logStartOffset: number;
  partitionMaxBytes: number;
}

export interface FetchTopicRequest {
  /** Up to v12. */
  topic: string;
  /** v13+ (KIP-516): topics are named by id. */
  topicId: string;
  partitions: FetchPartitionRequest[];
}

export interface FetchRequest {
  /** -1 for consumers (v0-14). */
  replicaId: number;
  maxWaitMs: number;
  minBytes: number;
  maxBytes: number;
  /** 0 read_uncommitted, 1 read_committed. */
  isolationLevel: number;
  sessionId: number;
  sessionEpoch: number;
  topics: FetchTopicRequest[];
  /** v7+: partitions to drop from an incremental session; sessionless here, so ignored. */
  forgottenTopicsData: { topic: string; topicId: string; partitions: number[] }[];
  /** v11+ (KIP-392); there is no fetch from followers here. */
  rackId: string;
}

export interface AbortedTransaction {
  producerId: number;
  firstOffset: number;
}

export interface FetchPartitionResponse {
  partitionIndex: number;
  errorCode: number;
  highWatermark: number;
  lastStableOffset: number;
  logStartOffset: number;
  /** null under read_uncommitted and on errors, as Kafka sends it. */
  abortedTransactions: AbortedTransaction[] | null;
  preferredReadReplica: number;
  /** Whole stored batches, served back to back as one RECORDS field. */
  records: Buffer[];
}

export interface FetchTopicResponse {
  topic: string;
  topicId: string;
  partitions: FetchPartitionResponse[];
}

export interface FetchResponse {
  throttleTimeMs: number;
  errorCode: number;
  sessionId: number;
  responses: FetchTopicResponse[];
}

function errorEntry(partitionIndex: number, errorCode: number): FetchPartitionResponse {
  return {
    partitionIndex,
    errorCode,
    highWatermark: -1,
    lastStableOffset: -1,
    logStartOffset: -1,
    abortedTransactions: null,
    preferredReadReplica: -1,
    records: [],
  };
}

/** KIP-320: an older epoch than the leader's is fenced, a newer one is not known here yet. */
function leaderEpochError(requested: number, current: number): number {
  if (requested < 0 || requested === current) return ErrorCode.NONE;
  return requested < current ? ErrorCode.FENCED_LEADER_EPOCH : ErrorCode.UNKNOWN_LEADER_EPOCH;
}

/** The response-wide byte budget (KIP-74): only the first partition with data may exceed the limits, by one batch. */
interface Budget {
  remaining: number;
  minOneBatch: boolean;
}

function readPartition(ctx: RequestContext, req: FetchRequest, topic: string | null, pr: FetchPartitionRequest, budget: Budget): FetchPartitionResponse {
  if (topic === null) return errorEntry(pr.partition, ErrorCode.UNKNOWN_TOPIC_ID);
  const p = ctx.state.cluster.partition(topic, pr.partition);
  if (!p) return errorEntry(pr.partition, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  // Kafka checks the epoch before leadership (Partition.getLocalLog).
  const epochError = leaderEpochError(pr.currentLeaderEpoch, p.leaderEpoch);
  if (epochError !== ErrorCode.NONE) return errorEntry(pr.partition, epochError);
  // Followers do not serve consumers (no KIP-392 fetch-from-follower): only the leader answers.
  if (p.leader !== ctx.brokerId) return errorEntry(pr.partition, ErrorCode.NOT_LEADER_OR_FOLLOWER);
  const log = p.logs.get(ctx.brokerId)!;
  // Out of range only outside [log start, log end], as in Kafka: between the high watermark and the log end the
  // answer is empty, because a consumer may legitimately be ahead of a new leader's high watermark.
  if (pr.fetchOffset < log.logStartOffset || pr.fetchOffset > log.endOffset) {
    return errorEntry(pr.partition, ErrorCode.OFFSET_OUT_OF_RANGE);
  }
  const readCommitted = req.isolationLevel === READ_COMMITTED;
  const upTo = readCommitted ? p.lastStableOffset() : p.highWatermark;
  const limit = Math.min(pr.partitionMaxBytes, budget.remaining);
  const records: Buffer[] = [];
  let size = 0;
  let nextOffset = pr.fetchOffset;
  // Start with the batch containing fetch_offset; the client skips the records before it.
  for (let i = log.indexFor(pr.fetchOffset); i < log.batches.length; i++) {
    const b = log.batches[i];
    if (b.lastOffset >= upTo) break;
    const oversized = size + b.bytes.length > limit;
    if (oversized && !(budget.minOneBatch && records.length === 0)) break;
    records.push(b.bytes);
    size += b.bytes.length;
    nextOffset = b.lastOffset + 1;
  }
  if (size > 0) {
    budget.minOneBatch = false;
    budget.remaining = Math.max(0, budget.remaining - size);
  }
  return {
    partitionIndex: pr.partition,
    errorCode: ErrorCode.NONE,
    highWatermark: p.highWatermark,
    lastStableOffset: p.lastStableOffset(),
    logStartOffset: log.logStartOffset,
    abortedTransactions: readCommitted ? abortedIn(p, pr.fetchOffset, nextOffset) : null,
    preferredReadReplica: -1,
    records,
  };
}

/** Aborted transactions overlapping [from, to): the consumer drops their records (Kafka's collectAbortedTransactions). */
function abortedIn(p: Partition, from: number, to: number): AbortedTransaction[] {
  return p.abortedTxns
    .filter((a) => a.lastOffset >= from && a.firstOffset < to)
    .map((a) => ({ producerId: a.producerId, firstOffset: a.firstOffset }));
}

interface FetchRead {
  response: FetchResponse;
  bytes: number;
  failed: boolean;
}

function readAll(ctx: RequestContext, req: FetchRequest): FetchRead {
  const budget: Budget = { remaining: req.maxBytes, minOneBatch: true };
  let bytes = 0;
  let failed = false;
  const responses = req.topics.map((t) => ({
    topic: t.topic,
    topicId: t.topicId,
    partitions: t.partitions.map((pr) => {
      const res = readPartition(ctx, req, topicName(ctx, t), pr, budget);
      for (const b of res.records) bytes += b.length;
      if (res.errorCode !== ErrorCode.NONE) failed = true;
      return res;
    }),
  }));
  return { response: { throttleTimeMs: 0, errorCode: ErrorCode.NONE, sessionId: 0, responses }, bytes, failed };
}

/** The topic a request names: by name up to v12, by id from v13 (null when no topic has that id). */
function topicName(ctx: RequestContext, t: FetchTopicRequest): string | null {
  if (ctx.version < 13) return t.topic;
  return topicByWireId(ctx.state.cluster, t.topicId)?.name ?? null;
}

function requestedPartitions(ctx: RequestContext, cluster: Cluster, req: FetchRequest): Partition[] {
  const out: Partition[] = [];
  for (const t of req.topics) {
    const name = topicName(ctx, t);
    for (const pr of t.partitions) {
      const p = name === null ? undefined : cluster.partition(name, pr.partition);
      if (p && !out.includes(p)) out.push(p);
    }
  }
  return out;
}

/** An incremental fetch (epoch > 0) names a session; we never create one, so it cannot exist. */
function sessionError(req: FetchRequest): number {
  return req.sessionEpoch > 0 ? ErrorCode.FETCH_SESSION_ID_NOT_FOUND : ErrorCode.NONE;
}

export const fetchApi: ApiDefinition<FetchRequest, FetchResponse> = defineApi({
  key: ApiKey.Fetch,
  minVersion: 4,
  maxVersion: 17,
  async handle(ctx, req) {
    const sessionCode = sessionError(req);
    if (sessionCode !== ErrorCode.NONE) return { throttleTimeMs: 0, errorCode: sessionCode, sessionId: 0, responses: [] };
    const read = readAll(ctx, req);
    const partitions = requestedPartitions(ctx, ctx.state.cluster, req);
    // Kafka answers at once on any partition error, when min_bytes is already there, or when there is nothing to wait on.
    if (req.maxWaitMs <= 0 || read.bytes >= req.minBytes || read.failed || partitions.length === 0) return read.response;
    await waitForFetchable({
      cluster: ctx.state.cluster,
      brokerId: ctx.brokerId,
      partitions,
      maxWaitMs: req.maxWaitMs,
      ready: () => {
        const now = readAll(ctx, req);
        return now.bytes >= req.minBytes || now.failed;
      },
    });
    // Read again: the wait may have ended on the timer, after the last wake-up.
    return readAll(ctx, req).response;
  },
  withError(req, res, code) {
    return {
      throttleTimeMs: res?.throttleTimeMs ?? 0,
      errorCode: ErrorCode.NONE,
      sessionId: 0,
      responses: req.topics.map((t) => ({
        topic: t.topic,
        topicId: t.topicId,
        partitions: t.partitions.map((p) => errorEntry(p.partition, code)),
      })),
    };
  },
});
