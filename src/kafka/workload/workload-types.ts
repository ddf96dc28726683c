// The workload's types: what it needs of the engine, its options and statistics, and its record on its way.
import type { BatchDelivery, DeliveryReport, HeaderEntry, OutgoingRecord, SequenceHeader } from '../producer/engine-types.js';
import type { GeneratorOptions } from './record-generator.js';
import type { KeyLedger } from './run-ledger.js';
import type { TokenBucket } from './token-bucket.js';
import type { Clock } from '../../wire/clock.js';

/** What the workload needs of the engine (ProducerEngine fits). send never rejects. */
export interface WorkloadEngine {
  send(rec: OutgoingRecord): Promise<DeliveryReport>;
  /**
   * send() with a callback instead of a promise per record (called once, never before produce returns, with the
   * record it reports on; the engine keeps no reference to the record after it); used when there.
   */
  produce?(rec: OutgoingRecord, onReport: (r: DeliveryReport, rec: OutgoingRecord) => void): void;
  /**
   * produce() with one report call per finished batch (BatchDelivery: record(i) hands back each record); the engine
   * keeps no reference to the records after that call. Preferred when there.
   */
  produceBatched?(rec: OutgoingRecord, onBatch: (d: BatchDelivery) => void): void;
  totals(): { waitingAppends: number };
  /** totals().waitingAppends alone, without building the totals; used when there. */
  waitingForMemory?(): number;
  /** Fetches the topic's metadata before the first record, so the first records go out in order. */
  partitionsFor?(topic: string): Promise<unknown>;
  /** partitionsFor with the connections to the topic's leaders open too; preferred when there. */
  partitionsReady?(topic: string): Promise<unknown>;
}

export interface WorkloadOptions extends GeneratorOptions {
  clock?: Clock;
  runId?: string;
  /** Most records awaiting a report at once (default 10,000). */
  maxOutstanding?: number;
  /** A fixed rate timer period; by default it follows the rate (workload.ts: MIN_TICK_MS..MAX_TICK_MS). */
  tickMs?: number;
}

export interface WorkloadStats {
  runId: string;
  topic: string;
  /** Records handed to the engine. */
  issued: number;
  acked: number;
  failed: number;
  /** Issued, no report yet. */
  outstanding: number;
  maxOutstanding: number;
  /** Records the continuous rate called for but did not issue, because sends were backed up (not queued). */
  behindSchedule: number;
  /** Generated records not sent because their value was not valid JSON; lastInvalid says why. */
  invalid: number;
  lastInvalid: string | null;
  /** JSON values longer than recordSize, sent uncut. */
  oversize: number;
  /** The continuous rate: target records per second, or null when not producing continuously. */
  ratePerSec: number | null;
  /** "send N" calls still issuing. */
  activeSends: number;
}

export interface SendNOptions {
  /** Issue at most this many records per second (nothing is skipped: the send just takes longer). */
  ratePerSec?: number;
  /** Keep and return every report (default true); false for long runs that only need the counts. */
  collect?: boolean;
}

export interface SendJob {
  remaining: number;
  unsettled: number;
  owed: number;
  bucket: TokenBucket | null;
  reports: DeliveryReport[] | null;
  resolve: (reports: DeliveryReport[]) => void;
}

/**
 * One record on its way: what the engine sends, and what its report settles. One report callback serves every
 * record (the engine hands the record back), and a reported record's object is reused for a later one (the engine
 * keeps none after its report), so a record costs no closure, no header objects and no object of ours to collect.
 */
export class WorkloadRecord implements OutgoingRecord {
  /** @param sequenceHeader the run's audit stamp (its ledger's), written with `sequence`. */
  constructor(readonly sequenceHeader: SequenceHeader) {}
  topic = '';
  key: Buffer | null = null;
  value: Buffer | null = null;
  headers: readonly HeaderEntry[] = [];
  sequence = 0;
  partition: number | undefined = undefined;
  keyText: string | null = null;
  keyLedger: KeyLedger | null = null;
  job: SendJob | null = null;
  /** Index of its report in job.reports; -1 when not collected. */
  slot = -1;
}
