// The transaction state the Sender keeps (Java's TransactionManager, producer side): which partitions joined
// the open transaction (AddPartitionsToTxn before their first batch goes), an abortable error once a batch of the
// transaction failed (commit then fails, abort is allowed and bumps the epoch), and EndTxn once every batch of
// the transaction has its answer.
import type { DeliveryError } from '../engine-types.js';
import { KafkaError } from '../errors.js';
import type { ProducerIdState } from './producer-id-state.js';
import { toDeliveryError } from './send-errors.js';
import { FENCED, type TransactionClient } from './transaction-client.js';

export interface TransactionHooks {
  wakeup(): void;
  drainInFlight(): Promise<void>;
  abortQueued(e: Error): void;
  initProducerId(why: string): Promise<void>;
  fatal(e: DeliveryError): void;
}

const tpKey = (topic: string, partition: number) => `${topic}\u0000${partition}`;

export class SenderTransactions {
  open = false;
  private readonly joined = new Set<string>();
  private readonly pending = new Map<string, { topic: string; partition: number }>();
  private adding: Promise<void> | null = null;
  private abortableError: DeliveryError | null = null;
  private offsetsSent = false;

  constructor(
    private readonly client: TransactionClient,
    private readonly pid: ProducerIdState,
    private readonly hooks: TransactionHooks,
  ) {}

  /** Whether batches may be drained at all (an open transaction), joining waiting partitions first. */
  mayDrain(): boolean {
    if (!this.open) return false;
    this.addPending();
    return true;
  }

  added(topic: string, partition: number): boolean {
    return this.joined.has(tpKey(topic, partition));
  }

  partitionAppended(topic: string, partition: number): void {
    if (!this.open) return;
    const key = tpKey(topic, partition);
    if (this.joined.has(key) || this.pending.has(key)) return;
    this.pending.set(key, { topic, partition });
    this.addPending();
  }

  private addPending(): void {
    if (this.adding || this.pending.size === 0 || this.abortableError) return;
    const list = [...this.pending.values()];
    this.pending.clear();
    this.adding = this.client
      .addPartitions(list)
      .then(
        () => {
          for (const p of list) this.joined.add(tpKey(p.topic, p.partition));
        },
        (e: unknown) => {
          this.failure(e);
        },
      )
      .finally(() => {
        this.adding = null;
        this.hooks.wakeup();
      });
  }

  private failure(e: unknown): DeliveryError {
    const err = toDeliveryError(e);
    if (err.code && FENCED.has(err.code)) this.hooks.fatal(err);
    else this.abortable(err);
    return err;
  }

  /** A batch of the transaction failed: the transaction can only be aborted now. */
  abortable(e: DeliveryError): void {
    this.abortableError ??= e;
  }

  async begin(fatal: DeliveryError | null): Promise<void> {
    if (fatal) throw new KafkaError(fatal.code ?? 'UNKNOWN_SERVER_ERROR', fatal.message, false);
    if (this.open) throw new Error('a transaction is already open');
    if (!this.pid.valid) await this.hooks.initProducerId('initTransactions');
    this.open = true;
    this.joined.clear();
    this.pending.clear();
    this.abortableError = null;
    this.offsetsSent = false;
    this.hooks.wakeup();
  }

  async sendOffsets(groupId: string, topics: { topic: string; partitions: { partition: number; offset: string }[] }[]): Promise<void> {
    if (!this.open) throw new Error('no open transaction');
    try {
      await this.client.sendOffsets(groupId, topics);
    } catch (e) {
      this.failure(e);
      throw e;
    }
    this.offsetsSent = true;
  }

  /** Commit (after the caller flushed) or abort (records not yet sent fail): EndTxn once nothing is in flight. */
  async end(commit: boolean): Promise<void> {
    if (!this.open) throw new Error('no open transaction');
    if (commit && this.abortableError) {
      throw new KafkaError(this.abortableError.code ?? 'INVALID_TXN_STATE', `cannot commit, abort instead: ${this.abortableError.message}`, false);
    }
    if (!commit) this.hooks.abortQueued(new KafkaError('TRANSACTION_ABORTED', 'the transaction was aborted before this record was sent', false));
    await this.adding;
    await this.hooks.drainInFlight();
    try {
      if (this.joined.size > 0 || this.offsetsSent) await this.client.endTxn(commit);
    } catch (e) {
      this.failure(e);
      throw e;
    } finally {
      this.open = false;
      this.joined.clear();
      this.pending.clear();
      this.offsetsSent = false;
    }
    if (!commit && this.abortableError) {
      // KIP-360: after an abortable error the epoch is bumped through the coordinator (InitProducerId).
      this.abortableError = null;
      await this.hooks.initProducerId('epoch bumped after the aborted transaction');
    }
  }

  reset(): void {
    this.open = false;
    this.joined.clear();
    this.pending.clear();
    this.abortableError = null;
    this.offsetsSent = false;
  }
}
