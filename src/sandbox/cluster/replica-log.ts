// One replica's copy of a partition log: a list of record batches with their offsets. Batch buffers are shared
// between replicas (a follower "copies" by reference), so replication costs no memory beyond the index entries.
import { rewriteForLog, type BatchHeader } from '../../wire/record-batch.js';

export interface StoredBatch {
  baseOffset: number;
  lastOffset: number;
  /** The batch as served to consumers: base offset and partition leader epoch already rewritten. */
  bytes: Buffer;
  leaderEpoch: number;
  appendedAt: number;
  maxTimestamp: number;
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  isTransactional: boolean;
  isControl: boolean;
  recordCount: number;
}

/**
 * A batch as the leader stores it: its bytes (the partition's own copy, see batch-store.ts) with its offset and leader
 * epoch written in place, and the header fields the log and the producer state read.
 */
export function storedBatch(
  bytes: Buffer,
  offset: number,
  leaderEpoch: number,
  appendedAt: number,
  h: Pick<BatchHeader, 'lastOffsetDelta' | 'maxTimestamp' | 'producerId' | 'producerEpoch' | 'baseSequence' | 'isTransactional' | 'recordCount'>,
  isControl = false,
): StoredBatch {
  return {
    baseOffset: offset,
    lastOffset: offset + h.lastOffsetDelta,
    bytes: rewriteForLog(bytes, offset, leaderEpoch),
    leaderEpoch,
    appendedAt,
    maxTimestamp: h.maxTimestamp,
    producerId: h.producerId,
    producerEpoch: h.producerEpoch,
    baseSequence: h.baseSequence,
    isTransactional: h.isTransactional,
    isControl,
    recordCount: h.recordCount,
  };
}

export class ReplicaLog {
  batches: StoredBatch[] = [];
  logStartOffset = 0;
  /** Log end offset: the offset the next record will get. */
  endOffset = 0;
  sizeBytes = 0;

  append(batch: StoredBatch): void {
    this.batches.push(batch);
    this.endOffset = batch.lastOffset + 1;
    this.sizeBytes += batch.bytes.length;
  }

  /** Index of the first batch whose last offset is >= offset (the batch containing it, or the next one). */
  indexFor(offset: number): number {
    let lo = 0;
    let hi = this.batches.length;
    // Most lookups are at the log's end (a follower copying the latest append, a consumer at the head): the last two
    // batches first, before a search over thousands of them.
    if (hi === 0 || this.batches[hi - 1].lastOffset < offset) return hi;
    if (hi === 1 || this.batches[hi - 2].lastOffset < offset) return hi - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.batches[mid].lastOffset < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Batches from the one containing `from`, stopping before `upTo` (exclusive) and after maxBytes (at least one batch). */
  read(from: number, upTo: number, maxBytes: number): StoredBatch[] {
    const out: StoredBatch[] = [];
    let bytes = 0;
    for (let i = this.indexFor(from); i < this.batches.length; i++) {
      const b = this.batches[i];
      if (b.lastOffset >= upTo) break;
      if (out.length > 0 && bytes + b.bytes.length > maxBytes) break;
      out.push(b);
      bytes += b.bytes.length;
    }
    return out;
  }

  /** Removes every record at or after `offset`; returns how many records were removed. */
  truncateTo(offset: number): number {
    if (offset >= this.endOffset) return 0;
    let removed = 0;
    while (this.batches.length > 0 && this.batches[this.batches.length - 1].baseOffset >= offset) {
      const b = this.batches.pop()!;
      removed += b.recordCount;
      this.sizeBytes -= b.bytes.length;
    }
    // A batch straddling the cut cannot be split (batches are atomic); this only happens with a corrupt history.
    this.endOffset = this.batches.length > 0 ? this.batches[this.batches.length - 1].lastOffset + 1 : Math.max(offset, this.logStartOffset);
    return removed;
  }

  /**
   * The first offset where this log differs from `leaderLog`, to truncate to (Kafka finds it with leader epochs;
   * replicas share batch buffers here, so identity tells).
   */
  divergenceFrom(leaderLog: ReplicaLog): number {
    let divergeAt = this.endOffset;
    for (let i = this.indexFor(leaderLog.logStartOffset); i < this.batches.length; i++) {
      const mine = this.batches[i];
      const theirs = leaderLog.batches[leaderLog.indexFor(mine.baseOffset)];
      if (!theirs || theirs.baseOffset !== mine.baseOffset || theirs.bytes !== mine.bytes) {
        divergeAt = mine.baseOffset;
        break;
      }
    }
    return Math.min(divergeAt, Math.max(leaderLog.endOffset, leaderLog.logStartOffset));
  }

  /** Records in the batches truncateTo(offset) would remove. */
  recordsFrom(offset: number): number {
    let n = 0;
    for (let i = this.batches.length - 1; i >= 0 && this.batches[i].baseOffset >= offset; i--) n += this.batches[i].recordCount;
    return n;
  }

  /** Retention by bytes: drops whole batches from the head while over the limit; never drops past `keepFrom`. */
  applyRetention(retentionBytes: number, keepFrom: number): void {
    if (retentionBytes < 0) return;
    while (this.batches.length > 1 && this.sizeBytes > retentionBytes && this.batches[0].lastOffset < keepFrom) {
      const b = this.batches.shift()!;
      this.sizeBytes -= b.bytes.length;
      this.logStartOffset = b.lastOffset + 1;
    }
  }

  /** The first offset whose batch has maxTimestamp >= ts, or -1. */
  offsetForTimestamp(ts: number): { offset: number; timestamp: number } | null {
    for (const b of this.batches) {
      if (b.maxTimestamp >= ts) return { offset: Math.max(b.baseOffset, this.logStartOffset), timestamp: b.maxTimestamp };
    }
    return null;
  }

  /** Empties the log and starts it at `offset` (a replica that fell behind the leader's log start). */
  resetTo(offset: number): void {
    this.batches = [];
    this.sizeBytes = 0;
    this.logStartOffset = offset;
    this.endOffset = offset;
  }
}
