// Producer ids of transactional producers (the part of Kafka's transaction coordinator that InitProducerId needs):
// one producer id per transactional.id, its epoch bumped on every InitProducerId so that the previous instance of
// the producer is fenced (sandbox-protocol §7.3). The transaction coordinator (AddPartitionsToTxn, EndTxn, ...)
// builds on this table: it owns the transaction state, this owns (transactional.id -> producer id, epoch).
import { buildControlBatch } from '../protocol/record-batch.js';
import type { Cluster } from './cluster.js';

/** Kafka's transaction.max.timeout.ms default: a larger transaction_timeout_ms is INVALID_TRANSACTION_TIMEOUT. */
export const TRANSACTION_MAX_TIMEOUT_MS = 900_000;

/** Kafka moves a transactional id to a new producer id once the epoch reaches Short.MAX_VALUE - 1. */
const MAX_EPOCH = 0x7fff - 1;

export interface TransactionalProducer {
  transactionalId: string;
  producerId: number;
  producerEpoch: number;
  transactionTimeoutMs: number;
}

export interface InitResult extends TransactionalProducer {
  /** The producer id whose older epochs must be fenced (the previous one when the id was rotated). */
  fence: { producerId: number; epoch: number }[];
}

export class TransactionalIdTable {
  private readonly byId = new Map<string, TransactionalProducer>();

  constructor(private readonly allocateProducerId: () => number) {}

  get(transactionalId: string): TransactionalProducer | undefined {
    return this.byId.get(transactionalId);
  }

  /** InitProducerId for a transactional id: epoch 0 the first time, then the same producer id with epoch + 1. */
  init(transactionalId: string, transactionTimeoutMs: number): InitResult {
    const current = this.byId.get(transactionalId);
    let next: TransactionalProducer;
    const fence: InitResult['fence'] = [];
    if (!current) {
      next = { transactionalId, producerId: this.allocateProducerId(), producerEpoch: 0, transactionTimeoutMs };
    } else if (current.producerEpoch >= MAX_EPOCH) {
      next = { transactionalId, producerId: this.allocateProducerId(), producerEpoch: 0, transactionTimeoutMs };
      // The old producer id is retired: fence every epoch it could still write with.
      fence.push({ producerId: current.producerId, epoch: MAX_EPOCH + 1 });
    } else {
      next = { ...current, producerEpoch: current.producerEpoch + 1, transactionTimeoutMs };
    }
    if (current) fence.push({ producerId: next.producerId, epoch: next.producerEpoch });
    this.byId.set(transactionalId, next);
    return { ...next, fence };
  }
}

const tables = new WeakMap<Cluster, TransactionalIdTable>();

/** The cluster's table of transactional ids (one per cluster, allocated from the cluster's producer ids). */
export function transactionalIds(cluster: Cluster): TransactionalIdTable {
  let table = tables.get(cluster);
  if (!table) {
    table = new TransactionalIdTable(() => cluster.allocateProducerId());
    tables.set(cluster, table);
  }
  return table;
}

/**
 * Fences every epoch of `producerId` below `epoch` on every partition that knows the producer (its next batch with an
 * older epoch gets INVALID_PRODUCER_EPOCH), and aborts the transaction it left open there, as Kafka's coordinator
 * does when a transactional producer re-initialises: the abort marker lets the last stable offset move on.
 */
export function fenceProducer(cluster: Cluster, producerId: number, epoch: number): void {
  for (const p of cluster.allPartitions()) {
    p.producers.bumpEpoch(producerId, epoch);
    if (p.openTxns.has(producerId) && p.leader >= 0) {
      const marker = buildControlBatch({ commit: false, producerId, producerEpoch: epoch, timestamp: cluster.clock.now() });
      p.appendControl(marker, producerId, epoch, false);
    }
  }
}
