// Idempotent-producer bookkeeping for one partition (Kafka's ProducerStateManager, simplified): per producer id
// the epoch and the last 5 batches' sequence ranges with their offsets.
import { ErrorCode } from '../../wire/error-codes.js';
import type { StoredBatch } from './replica-log.js';

const WINDOW = 5;

interface SeqEntry {
  firstSeq: number;
  lastSeq: number;
  baseOffset: number;
}

interface ProducerEntry {
  epoch: number;
  window: SeqEntry[];
}

export type SequenceCheck =
  | { kind: 'append' }
  | { kind: 'duplicate'; baseOffset: number }
  | { kind: 'error'; error: number; message: string };

const INT32_MAX = 0x7fffffff;

/** The common answer, made once (check runs for every idempotent batch). */
const APPEND: SequenceCheck = { kind: 'append' };

function nextSeq(seq: number, count: number): number {
  const n = seq + count;
  return n > INT32_MAX ? n - INT32_MAX - 1 : n;
}

export class ProducerStateTable {
  private producers = new Map<number, ProducerEntry>();

  /** A new leader rebuilds the table from its own log (Kafka's ProducerStateManager does the same on load). */
  static fromLog(log: { batches: readonly StoredBatch[] }): ProducerStateTable {
    const table = new ProducerStateTable();
    for (const b of log.batches) {
      if (b.producerId < 0) continue;
      // A transaction marker carries the producer's current epoch (bumped when it was fenced): keep the fence.
      if (b.isControl) table.bumpEpoch(b.producerId, b.producerEpoch);
      else table.record(b.producerId, b.producerEpoch, b.baseSequence, b.recordCount, b.baseOffset);
    }
    return table;
  }

  check(producerId: number, epoch: number, firstSeq: number, recordCount: number): SequenceCheck {
    const entry = this.producers.get(producerId);
    if (!entry) return APPEND; // first batch of an unknown producer: any sequence (Kafka, Redpanda)
    if (epoch < entry.epoch) {
      return { kind: 'error', error: ErrorCode.INVALID_PRODUCER_EPOCH, message: `epoch ${epoch} is older than ${entry.epoch}` };
    }
    if (epoch > entry.epoch) {
      if (firstSeq !== 0) {
        return { kind: 'error', error: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER, message: `new epoch ${epoch} must start at sequence 0` };
      }
      return APPEND;
    }
    const lastSeq = nextSeq(firstSeq, recordCount - 1);
    for (let i = 0; i < entry.window.length; i++) {
      const e = entry.window[i];
      if (e.firstSeq === firstSeq && e.lastSeq === lastSeq) return { kind: 'duplicate', baseOffset: e.baseOffset };
    }
    const last = entry.window[entry.window.length - 1];
    // No batch yet in this epoch (it was bumped by a re-init): Kafka expects sequence 0.
    const expected = last ? nextSeq(last.lastSeq, 1) : 0;
    if (firstSeq !== expected) {
      return {
        kind: 'error',
        error: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
        message: `sequence ${firstSeq} received, ${expected} expected`,
      };
    }
    return APPEND;
  }

  record(producerId: number, epoch: number, firstSeq: number, recordCount: number, baseOffset: number): void {
    let entry = this.producers.get(producerId);
    if (!entry || epoch > entry.epoch) {
      entry = { epoch, window: [] };
      this.producers.set(producerId, entry);
    }
    const lastSeq = nextSeq(firstSeq, recordCount - 1);
    if (entry.window.length < WINDOW) {
      entry.window.push({ firstSeq, lastSeq, baseOffset });
      return;
    }
    // A full window: the oldest entry leaves and is reused for the newest (one batch of every idempotent request).
    const reused = entry.window.shift()!;
    reused.firstSeq = firstSeq;
    reused.lastSeq = lastSeq;
    reused.baseOffset = baseOffset;
    entry.window.push(reused);
  }

  /** Fences every epoch below `epoch` for this producer (a transactional re-init). */
  bumpEpoch(producerId: number, epoch: number): void {
    const entry = this.producers.get(producerId);
    if (entry && entry.epoch < epoch) this.producers.set(producerId, { epoch, window: [] });
  }

  clear(): void {
    this.producers.clear();
  }

  /** The epoch and the last batches' sequence ranges (oldest first) kept for a producer id, as dedup compares them. */
  window(producerId: number): { epoch: number; batches: { firstSeq: number; lastSeq: number; baseOffset: number }[] } | null {
    const entry = this.producers.get(producerId);
    return entry ? { epoch: entry.epoch, batches: entry.window.map((e) => ({ ...e })) } : null;
  }

  producerCount(): number {
    return this.producers.size;
  }
}
