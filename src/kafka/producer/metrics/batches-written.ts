// What the record batches on the wire tell: their bytes after compression (per codec) and, for an idempotent
// producer, the producer id, epoch and sequence numbers per partition. Read off the Produce frames the wire
// monitor sees (a v2 batch header carries all of it), so the view is what the broker received, whatever client
// library built the batch.
import type { EngineCounters } from './engine-counters.js';

/** One partition's record batch in a Produce request as written (its bytes from the magic byte on). */
export interface ProducedBatch {
  topic: string;
  partition: number;
  records: number;
  bytes: Buffer;
}

/** Batch header offsets counted from the magic byte (ProducedBatch.bytes starts there). */
const ATTRIBUTES = 5;
const PRODUCER_ID = 27;
const PRODUCER_EPOCH = 35;
const BASE_SEQUENCE = 37;
const CRC = 1;
const CODECS = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];
/** The 16 bytes before the magic byte (base offset, length, partition leader epoch): part of the batch's size. */
const BEFORE_MAGIC = 16;
const REMEMBER = 2048;

export interface PartitionSequence {
  topic: string;
  partition: number;
  producerId: number;
  epoch: number;
  /** The sequence the next batch will carry (last written + its record count). */
  nextSequence: number;
  /** Last sequence of the newest batch the broker answered; null before any answer. */
  lastAckedSequence: number | null;
  /** The broker's window of this producer's last 5 batches, where the cluster can tell (the built-in one). */
  brokerWindow?: string;
}

export type SequenceEvent =
  | { t: 'epoch-bump'; topic: string; partition: number; producerId: number; from: number; to: number }
  | { t: 'sequence-reset'; topic: string; partition: number; producerId: number; epoch: number; from: number };

/** Per partition, the idempotent producer's sequences as written and answered. */
export class ProducerSequences {
  private readonly parts = new Map<string, PartitionSequence>();
  private readonly listeners = new Set<(e: SequenceEvent) => void>();

  on(fn: (e: SequenceEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  written(topic: string, partition: number, producerId: number, epoch: number, baseSequence: number, records: number): void {
    if (producerId < 0 || baseSequence < 0) return;
    const id = `${topic}\u0000${partition}`;
    const before = this.parts.get(id);
    const next = baseSequence + records;
    if (before && before.producerId === producerId && before.epoch !== epoch) {
      this.emit({ t: 'epoch-bump', topic, partition, producerId, from: before.epoch, to: epoch });
    }
    // Retries never get here (BatchesWritten skips bytes it has written), so sequence 0 again is a reset.
    if (before && baseSequence === 0 && before.nextSequence > 0) {
      this.emit({ t: 'sequence-reset', topic, partition, producerId, epoch, from: before.nextSequence });
    }
    const same = before && before.producerId === producerId && before.epoch === epoch;
    this.parts.set(id, {
      topic,
      partition,
      producerId,
      epoch,
      nextSequence: next,
      lastAckedSequence: same ? before.lastAckedSequence : null,
    });
  }

  answered(topic: string, partition: number, producerId: number, epoch: number, lastSequence: number): void {
    const p = this.parts.get(`${topic}\u0000${partition}`);
    if (!p || p.producerId !== producerId || p.epoch !== epoch) return;
    if (p.lastAckedSequence === null || lastSequence > p.lastAckedSequence || lastSequence < p.lastAckedSequence - 1_000_000) p.lastAckedSequence = lastSequence;
  }

  /** Partitions of `topic`, by partition number. */
  view(topic: string): PartitionSequence[] {
    return [...this.parts.values()].filter((p) => p.topic === topic).sort((a, b) => a.partition - b.partition).map((p) => ({ ...p }));
  }

  private emit(e: SequenceEvent): void {
    for (const l of this.listeners) l(e);
  }
}

/** Counts each batch's bytes once (a retry writes the same bytes again) and feeds the sequences. */
export class BatchesWritten {
  private seen = new Set<string>();

  add(b: ProducedBatch, counters: EngineCounters, sequences: ProducerSequences): void {
    const bytes = b.bytes;
    if (bytes.length < 61 - BEFORE_MAGIC) return;
    const id = `${b.topic}\u0000${b.partition}\u0000${bytes.readUInt32BE(CRC)}`;
    const producerId = Number(bytes.readBigInt64BE(PRODUCER_ID));
    const epoch = bytes.readInt16BE(PRODUCER_EPOCH);
    const baseSequence = bytes.readInt32BE(BASE_SEQUENCE);
    if (this.seen.has(id)) return;
    if (this.seen.size >= REMEMBER) this.seen = new Set();
    this.seen.add(id);
    counters.onBatchWritten(CODECS[bytes.readInt16BE(ATTRIBUTES) & 7] ?? 'none', bytes.length + BEFORE_MAGIC);
    sequences.written(b.topic, b.partition, producerId, epoch, baseSequence, b.records);
  }

  /** The request carrying `b` was answered. */
  answered(b: ProducedBatch, sequences: ProducerSequences): void {
    const bytes = b.bytes;
    if (bytes.length < 61 - BEFORE_MAGIC) return;
    const baseSequence = bytes.readInt32BE(BASE_SEQUENCE);
    if (baseSequence < 0) return;
    sequences.answered(b.topic, b.partition, Number(bytes.readBigInt64BE(PRODUCER_ID)), bytes.readInt16BE(PRODUCER_EPOCH), baseSequence + b.records - 1);
  }
}
