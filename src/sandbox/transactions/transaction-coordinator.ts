// The transaction coordinator (Kafka's TransactionCoordinator): one TransactionMetadata per
// transactional.id, driven by InitProducerId, AddPartitionsToTxn, AddOffsetsToTxn and EndTxn, plus the two checks
// other brokers make against it: TxnOffsetCommit at the group coordinator, and Produce verifying that a partition is
// in the transaction (Kafka 3.6+, KIP-890 part 1). The state is cluster-wide, so it survives the coordinator broker
// going down: requests simply follow cluster.coordinatorFor to the next broker, as after a Kafka coordinator moves.
//
// Errors are Kafka's internal ones (PRODUCER_FENCED); the API files translate them for the version they answer.
import type { Cluster } from '../cluster/cluster.js';
import type { GroupCoordinator, OffsetCommitResult, OffsetCommitTopic } from '../groups/group-coordinator.js';
import { ErrorCode } from '../../wire/error-codes.js';
import type { BatchHeader } from '../../wire/record-batch.js';
import { fenceProducerState, writeMarkers } from './transaction-markers.js';
import { MAX_EPOCH, TRANSACTION_MAX_TIMEOUT_MS, TransactionMetadata, type TopicPartitionRef } from './transaction-metadata.js';

export interface InitProducerIdResult {
  errorCode: number;
  producerId: number;
  producerEpoch: number;
}

function initError(errorCode: number): InitProducerIdResult {
  return { errorCode, producerId: -1, producerEpoch: -1 };
}

export class TransactionCoordinator {
  private readonly txns = new Map<string, TransactionMetadata>();
  private readonly unsubscribe: () => void;
  private retryQueued = false;
  private closed = false;

  constructor(
    private readonly cluster: Cluster,
    private readonly groups: GroupCoordinator,
  ) {
    // A partition waiting for a marker gets it as soon as it has a serving leader again.
    this.unsubscribe = cluster.on((e) => {
      if ((e.type === 'election' && e.newLeader >= 0) || (e.type === 'broker' && e.status === 'up')) this.queueMarkerRetry();
    }, { highWatermark: false });
  }

  /** NONE when `brokerId` coordinates `transactionalId`; NOT_COORDINATOR, or COORDINATOR_NOT_AVAILABLE when no broker is up. */
  coordinatorError(brokerId: number, transactionalId: string): number {
    const coordinator = this.cluster.coordinatorFor(transactionalId);
    if (coordinator < 0) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    return coordinator === brokerId ? ErrorCode.NONE : ErrorCode.NOT_COORDINATOR;
  }

  /** Every transactional id the coordinators know (ListTransactions asks each broker for those it coordinates). */
  all(): TransactionMetadata[] {
    return [...this.txns.values()];
  }

  /** The state of a transactional id, for the UI and tests. */
  transaction(transactionalId: string): TransactionMetadata | undefined {
    return this.txns.get(transactionalId);
  }

  /**
   * InitProducerId with a transactional id: the same producer id each time with the epoch bumped, which fences the
   * previous instance. An Ongoing transaction is first aborted under an epoch never handed out, and the client is
   * told CONCURRENT_TRANSACTIONS: its retry gets the epoch after that (Kafka's prepareFenceProducerEpoch).
   */
  initProducerId(brokerId: number, transactionalId: string, timeoutMs: number): InitProducerIdResult {
    if (transactionalId === '') return initError(ErrorCode.INVALID_REQUEST);
    const notCoordinator = this.coordinatorError(brokerId, transactionalId);
    if (notCoordinator) return initError(notCoordinator);
    if (timeoutMs <= 0 || timeoutMs > TRANSACTION_MAX_TIMEOUT_MS) return initError(ErrorCode.INVALID_TRANSACTION_TIMEOUT);
    let txn = this.txns.get(transactionalId);
    if (!txn) {
      txn = new TransactionMetadata(transactionalId, this.cluster.allocateProducerId(), 0, timeoutMs);
      this.txns.set(transactionalId, txn);
      return { errorCode: ErrorCode.NONE, producerId: txn.producerId, producerEpoch: 0 };
    }
    if (txn.isPreparing()) return initError(ErrorCode.CONCURRENT_TRANSACTIONS);
    if (txn.state === 'Ongoing') {
      this.bumpEpoch(txn);
      this.prepareEnd(txn, false);
      return initError(ErrorCode.CONCURRENT_TRANSACTIONS);
    }
    if (txn.producerEpoch >= MAX_EPOCH) {
      // The epoch is exhausted: a new producer id, and every epoch of the old one is fenced.
      fenceProducerState(this.cluster, txn.producerId, 0x7fff);
      txn.producerId = this.cluster.allocateProducerId();
      txn.producerEpoch = 0;
    } else {
      this.bumpEpoch(txn);
    }
    txn.timeoutMs = timeoutMs;
    txn.state = 'Empty';
    txn.clearTransaction();
    return { errorCode: ErrorCode.NONE, producerId: txn.producerId, producerEpoch: txn.producerEpoch };
  }

  /** AddPartitionsToTxn: the partitions join the transaction, which becomes Ongoing and starts its timeout. */
  addPartitions(brokerId: number, transactionalId: string, producerId: number, producerEpoch: number, partitions: TopicPartitionRef[]): number {
    const found = this.ongoingCheck(brokerId, transactionalId, producerId, producerEpoch);
    if (typeof found === 'number') return found;
    if (found.state === 'Ongoing' && partitions.every((r) => found.hasPartition(r.topic, r.partition))) return ErrorCode.NONE;
    for (const r of partitions) found.addPartition(r.topic, r.partition);
    this.begin(found);
    return ErrorCode.NONE;
  }

  /** AddOffsetsToTxn: the group's offsets will be committed (or dropped) with the transaction. */
  addOffsets(brokerId: number, transactionalId: string, producerId: number, producerEpoch: number, groupId: string): number {
    const found = this.ongoingCheck(brokerId, transactionalId, producerId, producerEpoch);
    if (typeof found === 'number') return found;
    found.groups.add(groupId);
    this.begin(found);
    return ErrorCode.NONE;
  }

  /**
   * EndTxn: PrepareCommit or PrepareAbort, then a marker on every partition in the transaction. The answer does not
   * wait for the markers, as in Kafka; a retried EndTxn after completion is answered NONE.
   */
  endTxn(brokerId: number, transactionalId: string, producerId: number, producerEpoch: number, commit: boolean): number {
    if (transactionalId === '') return ErrorCode.INVALID_REQUEST;
    const notCoordinator = this.coordinatorError(brokerId, transactionalId);
    if (notCoordinator) return notCoordinator;
    const txn = this.txns.get(transactionalId);
    if (!txn) return ErrorCode.INVALID_PRODUCER_ID_MAPPING;
    const producerError = txn.producerError(producerId, producerEpoch);
    if (producerError) return producerError;
    switch (txn.state) {
      case 'Ongoing':
        this.prepareEnd(txn, commit);
        return ErrorCode.NONE;
      case 'CompleteCommit':
        return commit ? ErrorCode.NONE : ErrorCode.INVALID_TXN_STATE;
      case 'CompleteAbort':
        return commit ? ErrorCode.INVALID_TXN_STATE : ErrorCode.NONE;
      case 'PrepareCommit':
        return commit ? ErrorCode.CONCURRENT_TRANSACTIONS : ErrorCode.INVALID_TXN_STATE;
      case 'PrepareAbort':
        return commit ? ErrorCode.INVALID_TXN_STATE : ErrorCode.CONCURRENT_TRANSACTIONS;
      case 'Empty':
        return ErrorCode.INVALID_TXN_STATE;
    }
  }

  /**
   * TxnOffsetCommit, answered by the group's coordinator: the offsets stay pending in the transaction and reach the
   * group only if it commits. The group must have been added with AddOffsetsToTxn (Kafka 3.6+ verifies this).
   */
  commitOffsets(
    brokerId: number,
    transactionalId: string,
    groupId: string,
    producerId: number,
    producerEpoch: number,
    topics: OffsetCommitTopic[],
  ): OffsetCommitResult[] {
    const common = groupId === '' ? ErrorCode.INVALID_GROUP_ID : this.groups.coordinatorError(brokerId, groupId) || this.offsetCommitError(transactionalId, groupId, producerId, producerEpoch);
    const txn = this.txns.get(transactionalId);
    return topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => {
        // Kafka checks the partitions exist before asking the group coordinator.
        if (!this.cluster.partition(t.name, p.index)) return { index: p.index, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
        if (common !== ErrorCode.NONE || !txn) return { index: p.index, errorCode: common };
        let byTopic = txn.pendingOffsets.get(groupId);
        if (!byTopic) txn.pendingOffsets.set(groupId, (byTopic = new Map()));
        let byPartition = byTopic.get(t.name);
        if (!byPartition) byTopic.set(t.name, (byPartition = new Map()));
        byPartition.set(p.index, { offset: p.offset, metadata: p.metadata });
        return { index: p.index, errorCode: ErrorCode.NONE };
      }),
    }));
  }

  /**
   * The leader's check before appending transactional batches (Kafka 3.6+, KIP-890 part 1): the first batch of a
   * transaction on a partition is accepted only if the coordinator has the partition in that producer's Ongoing
   * transaction. Kafka 3.0-3.5 did not check and appended it, the "hanging transaction" KIP-890 fixed.
   */
  verifyProduce(transactionalId: string | null, topic: string, partition: number, openTxns: ReadonlyMap<number, number>, batches: { header: BatchHeader }[]): number {
    for (let i = 0; i < batches.length; i++) {
      const header = batches[i].header;
      if (!header.isTransactional) continue;
      // Kafka refuses transactional records without a transactional id before looking at any partition.
      if (transactionalId === null) return ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED;
      if (openTxns.has(header.producerId)) continue;
      const txn = this.txns.get(transactionalId);
      if (!txn) return ErrorCode.INVALID_PRODUCER_ID_MAPPING;
      const producerError = txn.producerError(header.producerId, header.producerEpoch);
      // Kafka translates these for producers: fenced is INVALID_PRODUCER_EPOCH, and a transaction still completing
      // NOT_ENOUGH_REPLICAS, which every client retries without refreshing metadata.
      if (producerError === ErrorCode.PRODUCER_FENCED) return ErrorCode.INVALID_PRODUCER_EPOCH;
      if (producerError) return producerError;
      if (txn.isPreparing()) return ErrorCode.NOT_ENOUGH_REPLICAS;
      if (txn.state !== 'Ongoing' || !txn.hasPartition(topic, partition)) return ErrorCode.INVALID_TXN_STATE;
    }
    return ErrorCode.NONE;
  }

  close(): void {
    this.closed = true;
    this.unsubscribe();
    for (const txn of this.txns.values()) this.cluster.clock.clearTimeout(txn.timer);
  }

  /** The checks AddPartitionsToTxn and AddOffsetsToTxn share; the transaction, or the error. */
  private ongoingCheck(brokerId: number, transactionalId: string, producerId: number, producerEpoch: number): TransactionMetadata | number {
    if (transactionalId === '') return ErrorCode.INVALID_REQUEST;
    const notCoordinator = this.coordinatorError(brokerId, transactionalId);
    if (notCoordinator) return notCoordinator;
    const txn = this.txns.get(transactionalId);
    if (!txn) return ErrorCode.INVALID_PRODUCER_ID_MAPPING;
    const producerError = txn.producerError(producerId, producerEpoch);
    if (producerError) return producerError;
    if (txn.isPreparing()) return ErrorCode.CONCURRENT_TRANSACTIONS;
    return txn;
  }

  private offsetCommitError(transactionalId: string, groupId: string, producerId: number, producerEpoch: number): number {
    const txn = this.txns.get(transactionalId);
    if (!txn) return ErrorCode.INVALID_PRODUCER_ID_MAPPING;
    const producerError = txn.producerError(producerId, producerEpoch);
    if (producerError) return producerError;
    if (txn.isPreparing()) return ErrorCode.CONCURRENT_TRANSACTIONS;
    if (txn.state !== 'Ongoing' || !txn.groups.has(groupId)) return ErrorCode.INVALID_TXN_STATE;
    return ErrorCode.NONE;
  }

  /** A new transaction starts (from Empty or Complete*): its timeout starts now. */
  private begin(txn: TransactionMetadata): void {
    if (txn.state === 'Ongoing') return;
    txn.state = 'Ongoing';
    const startedAt = this.cluster.clock.now();
    txn.startedAt = startedAt;
    this.cluster.clock.clearTimeout(txn.timer);
    // Kafka scans for expired transactions every 10 s (transaction.abort.timed.out.transaction.cleanup.interval.ms);
    // a timer per transaction aborts it exactly at its timeout instead, which keeps lessons deterministic.
    txn.timer = this.cluster.clock.setTimeout(() => {
      txn.timer = undefined;
      if (this.closed || txn.state !== 'Ongoing' || txn.startedAt !== startedAt) return;
      // The abort bumps the epoch, so the producer that let it expire is fenced (KIP-360).
      this.bumpEpoch(txn);
      this.prepareEnd(txn, false);
    }, txn.timeoutMs);
  }

  private bumpEpoch(txn: TransactionMetadata): void {
    txn.producerEpoch = Math.min(txn.producerEpoch + 1, 0x7fff);
    fenceProducerState(this.cluster, txn.producerId, txn.producerEpoch);
  }

  private prepareEnd(txn: TransactionMetadata, commit: boolean): void {
    txn.state = commit ? 'PrepareCommit' : 'PrepareAbort';
    this.cluster.clock.clearTimeout(txn.timer);
    txn.timer = undefined;
    // Kafka makes the offsets visible when the group's __consumer_offsets partition takes its marker; that partition
    // always has a leader here, so they are applied at once.
    if (commit) {
      for (const [groupId, byTopic] of txn.pendingOffsets) {
        const topics = [...byTopic].map(([name, byPartition]) => ({
          name,
          partitions: [...byPartition].map(([index, o]) => ({ index, offset: o.offset, metadata: o.metadata })),
        }));
        this.groups.storeOffsets(groupId, topics);
      }
    }
    txn.pendingOffsets.clear();
    txn.pendingMarkers = txn.partitionList();
    this.completeMarkers(txn);
  }

  /** Writes what markers it can; once none is left the transaction is complete. */
  private completeMarkers(txn: TransactionMetadata): void {
    const commit = txn.state === 'PrepareCommit';
    txn.pendingMarkers = writeMarkers(this.cluster, txn, commit);
    if (txn.pendingMarkers.length > 0) return;
    txn.state = commit ? 'CompleteCommit' : 'CompleteAbort';
    txn.clearTransaction();
  }

  /** After the current cluster operation (an election, a broker resuming) has finished changing partitions. */
  private queueMarkerRetry(): void {
    if (this.retryQueued || this.closed) return;
    this.retryQueued = true;
    queueMicrotask(() => {
      this.retryQueued = false;
      if (this.closed) return;
      for (const txn of this.txns.values()) if (txn.isPreparing()) this.completeMarkers(txn);
    });
  }
}
