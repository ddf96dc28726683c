// What the record batches the Sender writes tell: their codec (bytes after compression are counted per codec) and,
// for an idempotent producer, the producer id, epoch and sequence numbers per partition as written and answered.

import { readBatchHeader } from '../../../wire/record-batch.js';

const CODECS = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

/** The compression codec a whole record batch (from its base offset on) was written with. */
export function batchCodec(bytes: Buffer): string {
  return CODECS[readBatchHeader(bytes).codec] ?? 'none';
}

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
    // Retries never get here (the Sender reports a batch's first write only), so sequence 0 again is a reset.
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
