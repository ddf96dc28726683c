// The producer engine's contract with everything above it (state store, screens, labs, bench): what goes in
// (records, settings), what comes out (delivery reports, request completions, state changes) and what can be
// read at any time (partition and broker views, totals). No UI imports here or below.
import type { SequenceHeader } from '../../wire/record-batch-builder.js';
import type { PartitionSequenceView } from './sender/producer-id-state.js';

export type { SequenceHeader };

export interface HeaderEntry {
  key: string;
  value: string;
}

/** A record as the user composed it, already serialized. */
export interface OutgoingRecord {
  topic: string;
  key: Buffer | null;
  value: Buffer | null;
  /** Not changed once sent (the engine measures it now and writes it when the batch goes); records may share one array. */
  headers: readonly HeaderEntry[];
  /**
   * One more header after `headers`, named sequenceHeader.key, whose value is sequenceHeader.prefix then `sequence` in
   * decimal: written straight into the record batch, with no string or header object per record (the workload's audit
   * stamp, "run:sequence"). Records share one such object.
   */
  sequenceHeader?: SequenceHeader;
  /** A whole number 0 or more; used only with sequenceHeader. */
  sequence?: number;
  /** Explicit partition; otherwise the partitioner decides. */
  partition?: number;
  /** Short text shown in delivery reports. */
  keyPreview?: string | null;
  valuePreview?: string;
}

export interface DeliveryError {
  message: string;
  /** Kafka error name (e.g. NOT_ENOUGH_REPLICAS) when the broker gave one. */
  code: string | null;
  retriable: boolean;
}

export interface DeliveryReport {
  /** Monotonic per engine: the order in which records were handed to the producer. */
  id: number;
  topic: string;
  partition: number;
  /** null with acks=0 (no offsets come back) or on failure. */
  offset: number | null;
  keyPreview: string | null;
  valuePreview: string;
  bytes: number;
  /** From append to acknowledgement (or failure), including time queued in the accumulator. */
  latencyMs: number;
  attempts: number;
  error: DeliveryError | null;
  at: number;
}

/**
 * A finished batch's outcome for records sent with produceBatched: one call per batch (per run of consecutive records
 * with the same callback) instead of a report object and a call per record. Record i is at baseOffset + i; its
 * figures are read off the batch, and report(i) makes its full DeliveryReport (what produce() would give) on demand.
 * Valid during the call only: the records may be reused after it.
 */
export interface BatchDelivery {
  readonly topic: string;
  /** -1 when the records never reached a partition. */
  readonly partition: number;
  readonly count: number;
  /** Offset of record 0; null with acks=0 or on failure. */
  readonly baseOffset: number | null;
  /** null when acknowledged; else every record failed with it (report(i) may add how long that record waited). */
  readonly error: DeliveryError | null;
  readonly attempts: number;
  /** Record i as handed to produceBatched. */
  record(i: number): OutgoingRecord;
  /** From append to acknowledgement (or failure), as DeliveryReport.latencyMs. */
  latencyMs(i: number): number;
  /** Key and value bytes, as DeliveryReport.bytes. */
  bytes(i: number): number;
  report(i: number): DeliveryReport;
}

/** One Produce request's worth of batches, as the sender completed it. */
export interface RequestCompletion {
  broker: number;
  records: number;
  batches: number;
  /** Uncompressed estimate of the batches' bytes. */
  bytes: number;
  latencyMs: number;
  attempts: number;
  ok: boolean;
  at: number;
}

export interface PartitionView {
  topic: string;
  partition: number;
  leader: number;
  replicas: number[];
  isr: number[];
  logEndOffset: number | null;
  highWatermark: number | null;
  logStartOffset: number | null;
  queuedRecords: number;
  /** Fill of the batch being built, 0..1 of batch.size; 0 when none is open. */
  openBatchFill: number;
  /** Time left before linger.ms sends the open batch; null when no batch is open. */
  lingerRemainingMs: number | null;
  sent: number;
  acked: number;
  failed: number;
  lastOffset: number | null;
}

export type BrokerState = 'up' | 'stopped' | 'crashed' | 'paused' | 'unreachable' | 'unknown';

/** The brokers the producer knows, and those it cannot connect to now, with the last connection error. */
export interface Reachability {
  known: number;
  unreachable: readonly { id: number; error: string }[];
}

export interface BrokerView {
  id: number;
  address: string;
  state: BrokerState;
  isController: boolean;
  leaderCount: number;
  /** Requests on the wire awaiting a response (from the socket monitor). */
  inFlight: number;
}

/** What the Sender knows of itself: the producer id, connections, retries by cause, sequences per partition. */
export interface SenderView {
  producerId: number | null;
  producerEpoch: number | null;
  /** Epoch bumps (KIP-360) since start, and why the latest happened. */
  epochBumps: number;
  brokers: { id: number; address: string; connected: boolean; inFlight: number; rttMs: number | null; lastError: string | null }[];
  bytesOut: number;
  bytesIn: number;
  retriesByCause: Record<string, number>;
  /** Per partition: the next sequence to assign and the last one the broker acknowledged (idempotence). */
  sequences: PartitionSequenceView[];
}

/** One partition's sequences as the Pipeline screen shows them: the Sender's, under the current id and epoch. */
export interface PartitionSequence {
  topic: string;
  partition: number;
  producerId: number;
  epoch: number;
  /** The sequence the next new batch will carry. */
  nextSequence: number;
  /** Last sequence the broker acknowledged under this epoch; null before any answer. */
  lastAckedSequence: number | null;
  /** Batches holding sequences without a final outcome (in flight or queued for a retry). */
  unacked: number;
  /** The broker's window of this producer's last 5 batches, where the cluster can tell (the built-in one). */
  brokerWindow?: string;
}

export interface EngineTotals {
  /** Records handed to the producer; those without a report yet are still on their way. */
  handed?: number;
  appended: number;
  acked: number;
  failed: number;
  retries: number;
  /** batch-split-total: batches refused as too large (MESSAGE_TOO_LARGE) and sent again as smaller ones. */
  batchSplits?: number;
  requests: number;
  bytesOut: number;
  queuedRecords: number;
  waitingAppends: number;
  bufferAvailableBytes: number;
  bufferTotalBytes: number;
  /** compression-rate-avg: bytes after / before compression of every batch so far (1 with compression.type none). */
  compressionRate: number;
  /** Record batch bytes before and after compression, so far. */
  bytesBeforeCompression: number;
  bytesAfterCompression: number;
  /** The same per codec the batches were sent with, and the codec in use now. */
  compressionByCodec: Readonly<Record<string, { before: number; after: number }>>;
  compressionType: string;
}

export type ProducerPhase = 'connecting' | 'ready' | 'swapping' | 'fatal' | 'closed';

export interface ProducerStatus {
  phase: ProducerPhase;
  producerId: number | null;
  producerEpoch: number | null;
  /** Why the producer is fatal, or what the last swap changed. */
  detail: string | null;
}

export type EngineEvent =
  /**
   * Records reported together: a finished batch's (or one record's). Per batch, not per record, so that listeners
   * (the TUI's counters and latency histogram) cost no report object and no call per record; `batch.report(i)` makes
   * one when a listener needs it.
   */
  | { t: 'delivered'; batch: BatchDelivery }
  | { t: 'request'; request: RequestCompletion }
  /** `partitions` ("topic-partition") where the sender knows them: the header counts the partitions being retried. */
  | { t: 'retry'; records: number; error: string; at: number; partitions?: readonly string[] }
  /** KIP-360: the idempotent producer bumped its epoch (every partition's sequences start again at 0). */
  | { t: 'epoch-bump'; producerId: number; from: number; to: number; why: string; at: number }
  | { t: 'settings'; changed: string[]; at: number }
  | { t: 'producer'; status: ProducerStatus; at: number }
  | { t: 'log'; level: 'error' | 'warn' | 'info'; message: string; at: number }
  | { t: 'transaction'; view: TransactionView; at: number };

/** Log end offset and watermarks of one partition, where the cluster can tell them directly (the sandbox). */
export interface OffsetsView {
  logEndOffset: number | null;
  highWatermark: number | null;
  logStartOffset: number | null;
}

/** What a transactional producer is doing (TransactionManager), as the Transactions screen shows it. */
export type TransactionPhase = 'none' | 'open' | 'committing' | 'aborting' | 'fenced';

export interface TransactionView {
  phase: TransactionPhase;
  transactionalId: string | null;
  /** topic-partition names written in the open transaction. */
  partitions: string[];
  records: number;
  startedAt: number | null;
  committed: number;
  aborted: number;
  lastOutcome: string | null;
}
