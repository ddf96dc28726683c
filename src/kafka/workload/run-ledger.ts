/**
 * What one workload run sent, for the delivery audit: every record carries the run id and a per-key sequence number
 * (the audit stamp, audit-stamp.ts); the ledger remembers each (key, seq)'s outcome as its delivery report said. Null keys share one sequence under the key "(null)", whatever partition each record went to.
 * One byte per record, so a long continuous run stays small (10 million records: about 10 MB).
 */
import { randomUUID } from 'node:crypto';
import type { DeliveryReport, SequenceHeader } from '../producer/engine-types.js';
import { stampHeader } from './audit-stamp.js';
/** The ledger's name for the null key (shown in per-key audit results). */
export const NULL_KEY = '(null)';

export const Outcome = { Pending: 0, Acked: 1, Failed: 2 } as const;
export type Outcome = (typeof Outcome)[keyof typeof Outcome];

export interface KeyLedger {
  /** Next sequence number to hand out; sequences 0..next-1 were sent. */
  next: number;
  /** Outcome per sequence number (Outcome values); grows by doubling. */
  outcomes: Uint8Array;
}

/** Ledger key for a record key: the null key is kept apart from a key whose text happens to read "(null)". */
export const ledgerKey = (key: string | null): string => (key === null ? '\u0000' : `k${key}`);
export const keyLabel = (ledgerId: string): string => (ledgerId === '\u0000' ? NULL_KEY : ledgerId.slice(1));

export class RunLedger {
  readonly keys = new Map<string, KeyLedger>();
  sent = 0;
  acked = 0;
  failed = 0;
  /** The run's stamp for the engine to write with each record's sequence (shared by every record, never changed). */
  readonly stamp: SequenceHeader;
  /** Highest acknowledged offset per partition (-1 none), in an array: settled per record, read once per audit. */
  private readonly maxAcked: number[] = [];
  private nullKey: KeyLedger | undefined;

  constructor(
    readonly topic: string,
    readonly runId: string = randomUUID().slice(0, 8),
  ) {
    this.stamp = stampHeader(runId);
  }

  /** Highest acknowledged offset per partition: the audit waits for the high watermark to pass it. */
  get maxAckedOffset(): ReadonlyMap<number, number> {
    const m = new Map<number, number>();
    this.maxAcked.forEach((offset, p) => {
      if (offset >= 0) m.set(p, offset);
    });
    return m;
  }

  /** Takes the next sequence of `key`: the record goes out with the run's `stamp` and this sequence. */
  take(key: string | null): number {
    return this.takeIn(this.keyLedger(key));
  }

  /** take() for a key ledger the caller holds (keyLedger): no lookup. */
  takeIn(k: KeyLedger): number {
    const seq = k.next++;
    if (seq >= k.outcomes.length) {
      const grown = new Uint8Array(k.outcomes.length * 2);
      grown.set(k.outcomes);
      k.outcomes = grown;
    }
    this.sent++;
    return seq;
  }

  /** The ledger of one key. The null key's is kept in a field: no Map lookup for the bench's and most labs' records. */
  keyLedger(key: string | null): KeyLedger {
    if (key === null) return (this.nullKey ??= this.created('\u0000'));
    return this.keys.get(`k${key}`) ?? this.created(`k${key}`);
  }

  private created(id: string): KeyLedger {
    const k: KeyLedger = { next: 0, outcomes: new Uint8Array(16) };
    this.keys.set(id, k);
    return k;
  }

  /**
   * Records the delivery report of (key, seq). A report without error counts as acknowledged: with acks=0
   * that is every record sent without a client-side error, which is what acks=0 promises.
   */
  settle(key: string | null, seq: number, report: DeliveryReport): void {
    const k = key === null ? this.nullKey : this.keys.get(ledgerKey(key));
    if (k) this.settleIn(k, seq, report);
  }

  /** settle() for a key ledger the caller holds (keyLedger): no lookup. */
  settleIn(k: KeyLedger, seq: number, report: DeliveryReport): void {
    if (this.settleOutcome(k, seq, report.error === null) && report.error === null && report.offset !== null) this.ackedAt(report.partition, report.offset);
  }

  /**
   * Records (k, seq) as acknowledged or failed, without a report (a batch report settles its records this way, then
   * gives its highest offset to ackedAt). False when it was settled already or never sent: nothing changed.
   */
  settleOutcome(k: KeyLedger, seq: number, acked: boolean): boolean {
    if (!this.mark(k, seq, acked ? Outcome.Acked : Outcome.Failed)) return false;
    this.settledMany(1, acked);
    return true;
  }

  /**
   * (k, seq) given `outcome` when sent and not settled yet, leaving the totals to the caller (a batch report marks
   * its records, then counts them once with settledMany). False when nothing changed.
   */
  mark(k: KeyLedger, seq: number, outcome: typeof Outcome.Acked | typeof Outcome.Failed): boolean {
    if (seq >= k.next || k.outcomes[seq] !== Outcome.Pending) return false;
    k.outcomes[seq] = outcome;
    return true;
  }

  /** `n` records set to one outcome with mark() (a batch report's). */
  settledMany(n: number, acked: boolean): void {
    if (acked) this.acked += n;
    else this.failed += n;
  }

  /** A record of this run was acknowledged at `offset` of partition `p`. */
  ackedAt(p: number, offset: number): void {
    if (p < 0) return;
    while (this.maxAcked.length <= p) this.maxAcked.push(-1);
    if (offset > this.maxAcked[p]) this.maxAcked[p] = offset;
  }

  /** Sent records without a report yet. */
  get pending(): number {
    return this.sent - this.acked - this.failed;
  }

  outcome(ledgerId: string, seq: number): Outcome | undefined {
    const k = this.keys.get(ledgerId);
    return k && seq < k.next ? (k.outcomes[seq] as Outcome) : undefined;
  }
}
