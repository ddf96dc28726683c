// The idempotence half of Java's TransactionManager: the producer id and epoch, and per partition the next
// sequence, the last acknowledged one and the batches holding sequences that are not yet resolved. It decides
// which errors may be retried with the same sequence, when a retried batch may go (in sequence order, one at a
// time), and when the epoch must be bumped (KIP-360) because a sequence can no longer be resolved: then every
// partition starts again at sequence 0 under the new epoch, and batches still waiting are renumbered in order.
// Never a silent rollback: a sequence is only reused by a re-send of the same batch.
import type { ProducerBatch } from '../accumulator/producer-batch.js';

interface PartitionSequences {
  readonly topic: string;
  readonly partition: number;
  next: number;
  lastAcked: number;
  /** Batches holding a sequence of the current epoch that has no final outcome yet, in sequence order. */
  readonly unacked: ProducerBatch[];
  /** A batch with a sequence failed for good: whether it was written cannot be known. */
  unresolved: boolean;
}

export interface PartitionSequenceView {
  topicPartition: string;
  topic: string;
  partition: number;
  /** The producer id and epoch the sequences are of (the current ones: a bump or a new id renumbers them all). */
  producerId: number;
  epoch: number;
  /** The sequence the next new batch gets. */
  nextSequence: number;
  /** The last sequence the broker acknowledged under this epoch; -1 before any. */
  lastAckedSequence: number;
  /** Batches holding sequences without a final outcome yet (in flight, or queued for a retry). */
  unacked: number;
}

const key = (b: ProducerBatch) => b.topicPartition;

export class ProducerIdState {
  producerId = -1;
  epoch = -1;
  private readonly partitions = new Map<string, PartitionSequences>();
  /** Set when a sequence cannot be resolved; the Sender bumps once nothing is in flight. */
  bumpRequested: string | null = null;
  /** The bump is for a sequence gap the broker reported (or a lost producer id), not only for unknown outcomes. */
  private gap = false;
  bumps = 0;

  get valid(): boolean {
    return this.producerId >= 0;
  }

  private of(b: ProducerBatch): PartitionSequences {
    let p = this.partitions.get(key(b));
    if (!p) this.partitions.set(key(b), (p = { topic: b.topic, partition: b.partition, next: 0, lastAcked: -1, unacked: [], unresolved: false }));
    return p;
  }

  /** A new producer id (InitProducerId): every sequence starts again. */
  reset(producerId: number, epoch: number): void {
    this.producerId = producerId;
    this.epoch = epoch;
    this.renumberAll();
  }

  /** Java's `shouldStopDrainBatchesForPartition`: a retried batch goes only when it is the first unacked one. */
  mayDrain(batch: ProducerBatch): boolean {
    if (batch.baseSequence < 0 || batch.producerEpoch !== this.epoch) return true;
    const p = this.partitions.get(key(batch));
    return !p || p.unacked[0] === batch;
  }

  /** Gives a drained batch its sequence (first send, or first send under a new epoch). */
  assign(batch: ProducerBatch): void {
    if (batch.baseSequence >= 0 && batch.producerEpoch === this.epoch && batch.producerId === this.producerId) return;
    const p = this.of(batch);
    batch.producerId = this.producerId;
    batch.producerEpoch = this.epoch;
    batch.baseSequence = p.next;
    p.next = (p.next + batch.recordCount) % 2 ** 31;
    p.unacked.push(batch);
  }

  /**
   * `big` was split (MESSAGE_TOO_LARGE) into `parts`: they take its place among the unacknowledged batches with its
   * sequences, in order (Java's ProducerBatch.split and TransactionManager.addInFlightBatch). The broker refused
   * `big` whole, so the same sequences are still the next ones it expects.
   */
  split(big: ProducerBatch, parts: readonly ProducerBatch[]): void {
    if (big.baseSequence < 0 || big.producerEpoch !== this.epoch || big.producerId !== this.producerId) return;
    const p = this.of(big);
    const at = p.unacked.indexOf(big);
    if (at < 0) return;
    let seq = big.baseSequence;
    for (const part of parts) {
      part.producerId = big.producerId;
      part.producerEpoch = big.producerEpoch;
      part.baseSequence = seq;
      seq = (seq + part.recordCount) % 2 ** 31;
    }
    p.unacked.splice(at, 1, ...parts);
  }

  /** The broker wrote it (or had it already: a duplicate). */
  acked(batch: ProducerBatch): void {
    if (batch.producerEpoch !== this.epoch) return;
    const p = this.of(batch);
    p.lastAcked = Math.max(p.lastAcked, batch.baseSequence + batch.recordCount - 1);
    this.drop(p, batch);
  }

  /**
   * A later batch of the same partition and epoch was acknowledged past this one's last sequence: the broker takes
   * sequences only in order, so this batch is in the log, though its answer was lost and the broker no longer
   * remembers it (it keeps the last 5 batches) and calls the re-send out of order.
   */
  writtenAlready(batch: ProducerBatch): boolean {
    // A batch whose every send was answered (e.g. refused as too large, then split) is known not to be in the log.
    if (!batch.mayBeWritten || batch.baseSequence < 0 || batch.producerEpoch !== this.epoch) return false;
    const p = this.partitions.get(key(batch));
    return p !== undefined && p.lastAcked >= batch.baseSequence + batch.recordCount - 1;
  }

  /** The batch failed for good after it got a sequence: whether the broker has it is unknown. */
  failed(batch: ProducerBatch, why: string): void {
    if (batch.baseSequence < 0 || batch.producerEpoch !== this.epoch) return;
    const p = this.of(batch);
    this.drop(p, batch);
    p.unresolved = true;
    this.bumpRequested ??= `${batch.topicPartition}: sequence ${batch.baseSequence} failed with ${why}`;
  }

  private drop(p: PartitionSequences, batch: ProducerBatch): void {
    const at = p.unacked.indexOf(batch);
    if (at >= 0) p.unacked.splice(at, 1);
  }

  /**
   * Java's `canRetry` for sequence errors: OUT_OF_ORDER_SEQUENCE_NUMBER for a batch that is not the next one
   * expected means an earlier batch failed on its way, so it is retried as it is; for the next batch it means a
   * real gap, and the epoch is bumped. UNKNOWN_PRODUCER_ID: the broker lost our state; bump and retry.
   */
  canRetrySequenceError(code: string, batch: ProducerBatch, transactional: boolean): boolean {
    const p = this.of(batch);
    if (code === 'UNKNOWN_PRODUCER_ID') {
      if (transactional) return false;
      this.bumpRequested ??= `${batch.topicPartition}: the broker no longer knows producer ${this.producerId}`;
      this.gap = true;
      return true;
    }
    if (code !== 'OUT_OF_ORDER_SEQUENCE_NUMBER') return false;
    const isNext = batch.baseSequence === p.lastAcked + 1;
    // Overtaken: later sequences were acknowledged though this batch was never written. Kafka takes a producer's first
    // batch at any sequence when it holds no state for it (ProducerStateManager), so a refused first batch can be
    // overtaken by the next one; its sequences can then never follow. Java retries it until delivery.timeout.ms and
    // bumps the epoch then; bumping now (KIP-360) delivers its records, after the later ones (the audit shows the reorder).
    const overtaken = !batch.mayBeWritten && p.lastAcked >= batch.baseSequence + batch.recordCount - 1;
    if (!p.unresolved && !isNext && !overtaken) return true;
    if (transactional) return false;
    this.bumpRequested ??= overtaken
      ? `${batch.topicPartition}: sequences ${batch.baseSequence}-${batch.baseSequence + batch.recordCount - 1} were overtaken by later ones (last acknowledged ${p.lastAcked})`
      : `${batch.topicPartition}: out of order at sequence ${batch.baseSequence} (last acknowledged ${p.lastAcked})`;
    this.gap = true;
    return true;
  }

  /**
   * Java's maybeResolveSequences, once nothing is in flight: a failed sequence is resolved when the broker's next
   * expected sequence (last acknowledged + 1) is the one this partition sends next anyway, e.g. a later batch was
   * acknowledged past it, or the late answer said it was written. Then no bump is needed; true when none is.
   */
  resolveWithoutBump(): boolean {
    if (this.gap) return false;
    for (const p of this.partitions.values()) {
      if (p.unresolved && (p.unacked[0]?.baseSequence ?? p.next) !== (p.lastAcked + 1) % 2 ** 31) return false;
    }
    for (const p of this.partitions.values()) p.unresolved = false;
    this.bumpRequested = null;
    return true;
  }

  /** Idempotent producer's local epoch bump (Java `bumpIdempotentProducerEpoch`); the id stays. */
  bumpEpoch(): void {
    this.epoch++;
    this.bumps++;
    this.renumberAll();
  }

  /** Under a new epoch every partition starts at 0; waiting batches keep their order and get new sequences. */
  private renumberAll(): void {
    this.bumpRequested = null;
    this.gap = false;
    for (const p of this.partitions.values()) {
      let seq = 0;
      for (const b of p.unacked) {
        b.producerId = this.producerId;
        b.producerEpoch = this.epoch;
        b.baseSequence = seq;
        b.mayBeWritten = false; // new sequences: no send of them yet
        seq += b.recordCount;
      }
      p.next = seq;
      p.lastAcked = -1;
      p.unresolved = false;
    }
  }

  view(): PartitionSequenceView[] {
    if (!this.valid) return [];
    return [...this.partitions].map(([tp, p]) => ({
      topicPartition: tp,
      topic: p.topic,
      partition: p.partition,
      producerId: this.producerId,
      epoch: this.epoch,
      nextSequence: p.next,
      lastAckedSequence: p.lastAcked,
      unacked: p.unacked.length,
    }));
  }
}
