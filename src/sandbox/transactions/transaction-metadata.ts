// One transactional.id's state at the transaction coordinator, after Kafka's TransactionMetadata: its producer id and
// epoch, where its current transaction stands, the partitions and groups in it, and the offsets it will commit.
//
//   Empty --AddPartitions/AddOffsets--> Ongoing --EndTxn--> PrepareCommit | PrepareAbort
//   Prepare* --every marker written--> CompleteCommit | CompleteAbort --AddPartitions/AddOffsets--> Ongoing ...
//
// Prepare* lasts only while some partition in the transaction has no leader to take its marker.
import { ErrorCode } from '../../wire/error-codes.js';

export type TransactionState = 'Empty' | 'Ongoing' | 'PrepareCommit' | 'PrepareAbort' | 'CompleteCommit' | 'CompleteAbort';

/** Kafka's transaction.max.timeout.ms default: a larger transaction_timeout_ms is INVALID_TRANSACTION_TIMEOUT. */
export const TRANSACTION_MAX_TIMEOUT_MS = 900_000;

/** Kafka moves a transactional id to a new producer id once the epoch reaches Short.MAX_VALUE - 1. */
export const MAX_EPOCH = 0x7fff - 1;

export interface TopicPartitionRef {
  topic: string;
  partition: number;
}

export interface PendingOffset {
  offset: number;
  metadata: string | null;
}

export class TransactionMetadata {
  state: TransactionState = 'Empty';
  /** Partitions in the current transaction: topic -> partition indexes. */
  readonly partitions = new Map<string, Set<number>>();
  /** Consumer groups added by AddOffsetsToTxn (Kafka adds the group's __consumer_offsets partition). */
  readonly groups = new Set<string>();
  /** TxnOffsetCommit offsets, visible in the group only once the transaction commits: group -> topic -> partition. */
  readonly pendingOffsets = new Map<string, Map<string, Map<number, PendingOffset>>>();
  /** Partitions still waiting for their COMMIT/ABORT marker (no leader yet). */
  pendingMarkers: TopicPartitionRef[] = [];
  /** When the transaction became Ongoing; the timeout counts from here. */
  startedAt = -1;
  /** The abort timer of an Ongoing transaction. */
  timer: unknown = undefined;

  constructor(
    readonly transactionalId: string,
    public producerId: number,
    public producerEpoch: number,
    public timeoutMs: number,
  ) {}

  hasPartition(topic: string, partition: number): boolean {
    return this.partitions.get(topic)?.has(partition) ?? false;
  }

  addPartition(topic: string, partition: number): void {
    let set = this.partitions.get(topic);
    if (!set) this.partitions.set(topic, (set = new Set()));
    set.add(partition);
  }

  partitionList(): TopicPartitionRef[] {
    return [...this.partitions].flatMap(([topic, set]) => [...set].sort((a, b) => a - b).map((partition) => ({ topic, partition })));
  }

  isPreparing(): boolean {
    return this.state === 'PrepareCommit' || this.state === 'PrepareAbort';
  }

  /** Forgets the finished transaction's contents (Kafka's prepareComplete clears topicPartitions). */
  clearTransaction(): void {
    this.partitions.clear();
    this.groups.clear();
    this.pendingOffsets.clear();
    this.pendingMarkers = [];
    this.startedAt = -1;
  }

  /**
   * The checks every client request about the current transaction starts with (Kafka's TransactionCoordinator):
   * an unknown producer id is INVALID_PRODUCER_ID_MAPPING, any other epoch is PRODUCER_FENCED.
   */
  producerError(producerId: number, producerEpoch: number): number {
    if (producerId !== this.producerId) return ErrorCode.INVALID_PRODUCER_ID_MAPPING;
    if (producerEpoch !== this.producerEpoch) return ErrorCode.PRODUCER_FENCED;
    return ErrorCode.NONE;
  }
}

/**
 * PRODUCER_FENCED exists only in the versions of KIP-588 (InitProducerId v4, AddPartitionsToTxn v2, AddOffsetsToTxn
 * v2, EndTxn v2, TxnOffsetCommit v3); older versions, all the sandbox serves, answer INVALID_PRODUCER_EPOCH.
 */
export function fencedForVersion(code: number, version: number, fencedSinceVersion: number): number {
  return code === ErrorCode.PRODUCER_FENCED && version < fencedSinceVersion ? ErrorCode.INVALID_PRODUCER_EPOCH : code;
}
