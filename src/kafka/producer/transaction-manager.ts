// TransactionManager (Java's name): begin, commit and abort for a producer with a transactional.id, and what the
// screens show of the open transaction (its partitions and record count). The Sender runs the protocol
// (FindCoordinator, InitProducerId, AddPartitionsToTxn, AddOffsetsToTxn, TxnOffsetCommit, EndTxn); the accumulator
// is flushed before a commit, so every record appended inside the transaction is part of it, and an abort drops
// what was not sent yet, as Java's abortTransaction does.
import type { DeliveryError, TransactionPhase, TransactionView } from './engine-types.js';

export type { TransactionPhase, TransactionView } from './engine-types.js';
import { toDeliveryError } from './sender/send-errors.js';
import type { Sender } from './sender/sender.js';
import { plural } from './plural.js';

export type TransactionResult = { ok: true; message: string } | { ok: false; message: string; error?: DeliveryError };

const FENCING = new Set(['INVALID_PRODUCER_EPOCH', 'PRODUCER_FENCED']);

export class TransactionManager {
  private phase: TransactionPhase = 'none';
  private partitions = new Set<string>();
  private records = 0;
  private startedAt: number | null = null;
  private committed = 0;
  private aborted = 0;
  private lastOutcome: string | null = null;

  constructor(
    private readonly sender: Sender,
    private readonly flush: () => Promise<void>,
    private readonly transactionalId: () => string | null,
    private readonly onChange: () => void,
  ) {}

  get isOpen(): boolean {
    return this.phase === 'open';
  }

  get isFenced(): boolean {
    return (this.phase as TransactionPhase) === 'fenced';
  }

  /** Why a record cannot be sent right now, or null. */
  refusal(): DeliveryError | null {
    if (!this.transactionalId()) return null;
    if (this.phase === 'fenced') {
      return { message: 'this producer was fenced: another producer with the same transactional.id started', code: 'PRODUCER_FENCED', retriable: false };
    }
    if (this.phase !== 'open') {
      return { message: 'transactional.id is set: begin a transaction before sending (Java throws IllegalStateException)', code: null, retriable: false };
    }
    return null;
  }

  /** A record of the open transaction was appended. */
  recordAppended(topic: string, partition: number): void {
    this.partitions.add(`${topic}-${partition}`);
    this.records++;
    this.sender.partitionAppended(topic, partition);
  }

  /** A send failed: fencing ends this producer's transactional life (Java: ProducerFencedException). */
  noteError(err: DeliveryError): void {
    if (err.code && FENCING.has(err.code) && this.transactionalId()) this.fence(err.message);
  }

  private fence(why: string): void {
    this.phase = 'fenced';
    this.lastOutcome = `fenced: ${why}`;
    this.onChange();
  }

  async begin(): Promise<TransactionResult> {
    const id = this.transactionalId();
    if (!id) return { ok: false, message: 'set transactional.id first: transactions need one' };
    if (this.phase === 'fenced') return { ok: false, message: this.lastOutcome ?? 'fenced' };
    if (this.phase !== 'none') return { ok: false, message: `a transaction is already ${this.phase}` };
    try {
      await this.sender.beginTransaction();
    } catch (e) {
      const err = toDeliveryError(e);
      this.noteError(err);
      return { ok: false, message: `could not begin: ${err.message}`, error: err };
    }
    this.phase = 'open';
    this.partitions = new Set();
    this.records = 0;
    this.startedAt = Date.now();
    this.onChange();
    return { ok: true, message: `transaction begun (transactional.id ${id})` };
  }

  commit(): Promise<TransactionResult> {
    return this.end(true);
  }

  abort(): Promise<TransactionResult> {
    return this.end(false);
  }

  private async end(commit: boolean): Promise<TransactionResult> {
    if (this.phase !== 'open') return { ok: false, message: this.phase === 'fenced' ? (this.lastOutcome ?? 'fenced') : 'no open transaction' };
    this.phase = commit ? 'committing' : 'aborting';
    this.onChange();
    const summary = `${plural(this.records, 'record')} on ${plural(this.partitions.size, 'partition')}`;
    try {
      if (commit) await this.flush();
      await this.sender.endTransaction(commit);
    } catch (e) {
      const err = toDeliveryError(e);
      this.noteError(err);
      if (!this.isFenced) this.phase = 'none';
      this.lastOutcome = `${commit ? 'commit' : 'abort'} failed: ${err.message}`;
      this.onChange();
      return { ok: false, message: this.lastOutcome, error: err };
    }
    if (commit) this.committed++;
    else this.aborted++;
    this.phase = 'none';
    this.lastOutcome = `${commit ? 'committed' : 'aborted'} ${summary}`;
    this.onChange();
    return { ok: true, message: this.lastOutcome };
  }

  async sendOffsets(consumerGroupId: string, topics: { topic: string; partitions: { partition: number; offset: string }[] }[]): Promise<TransactionResult> {
    if (this.phase !== 'open') return { ok: false, message: 'no open transaction' };
    try {
      await this.sender.sendOffsets({ consumerGroupId, topics });
      return { ok: true, message: `offsets of group ${consumerGroupId} added to the transaction` };
    } catch (e) {
      const err = toDeliveryError(e);
      this.noteError(err);
      return { ok: false, message: `sendOffsets failed: ${err.message}`, error: err };
    }
  }

  view(): TransactionView {
    return {
      phase: this.phase,
      transactionalId: this.transactionalId(),
      partitions: [...this.partitions].sort(),
      records: this.records,
      startedAt: this.startedAt,
      committed: this.committed,
      aborted: this.aborted,
      lastOutcome: this.lastOutcome,
    };
  }

  /** A new producer (settings swap): any fencing belonged to the old one. */
  reset(): void {
    if (this.phase === 'fenced') this.phase = 'none';
  }
}
