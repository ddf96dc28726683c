/**
 * The delivery audit: reads the topic back and compares it with what a workload run sent (its RunLedger).
 *   lost              acknowledged (a report without error; with acks=0 every record sent without a client-side
 *                     error) but never read back
 *   duplicated        extra copies of one (key, seq): a record read 3 times counts 2
 *   reordered         a record read after a higher seq of the same key in the same partition, counted once
 *                     (only first copies; a late duplicate is a duplicate). Kafka orders per partition, and a
 *                     null key's records are spread over partitions, so order is judged within each partition.
 *   failedButWritten  reported failed, yet in the log: a timeout after the append, say
 * Only records carrying this run's id count. Counting streams: one 16-bit counter per record sent.
 */
import { registerCodecs } from '../producer/compression/compression.js';
import type { ConnectionOptions } from '../producer/sender/connection-options.js';
import { STAMP_HEADER, stampSequence } from './audit-stamp.js';
import { keyLabel, ledgerKey, Outcome, type RunLedger } from './run-ledger.js';
import { highWatermarks, readerKafka, readTopicUntil, withTimeout, type ReadBackRecord } from './topic-reader.js';

export interface AuditCounts {
  sent: number;
  acked: number;
  failed: number;
  lost: number;
  duplicated: number;
  reordered: number;
  failedButWritten: number;
}

export interface KeySeq {
  key: string;
  seq: number;
}

export interface AuditResult extends AuditCounts {
  topic: string;
  runId: string;
  /** Sent without a report yet when the audit ran: neither acked nor failed, never counted lost. */
  pending: number;
  /** Records of this run read back, every copy. */
  read: number;
  /** Copies of this run whose sequence the ledger never handed out (another writer using the same run id). */
  unknown: number;
  /** The offsets read up to: each partition's high watermark when the audit started. */
  endOffsets: Record<number, number>;
  /** The first few of each kind, to show which. */
  examples: {
    lost: KeySeq[];
    duplicated: (KeySeq & { copies: number })[];
    reordered: (KeySeq & { partition: number; offset: number; afterSeq: number })[];
    failedButWritten: KeySeq[];
  };
  /** Per key (keys with problems first), up to perKeyLimit keys; perKeyOmitted says how many were left out. */
  perKey: Record<string, AuditCounts>;
  perKeyOmitted: number;
}

export interface AuditOptions extends ConnectionOptions {
  /** Whole audit (connect, settle, read), default 30 s. */
  timeoutMs?: number;
  /** How long to wait for high watermarks to cover every acknowledged offset and stop moving (default 5 s). */
  settleMs?: number;
  perKeyLimit?: number;
  exampleLimit?: number;
}

/** The lab report's `audit` object. */
export function auditSummary(r: AuditCounts): Pick<AuditCounts, 'sent' | 'acked' | 'failed' | 'lost' | 'duplicated' | 'reordered'> {
  return { sent: r.sent, acked: r.acked, failed: r.failed, lost: r.lost, duplicated: r.duplicated, reordered: r.reordered };
}

/** A header's text value (the first, when repeated); null when absent. */
export const header = (h: ReadBackRecord['headers'], name: string): string | null => {
  const v = h[name];
  const one = Array.isArray(v) ? v[0] : v;
  return one === undefined ? null : Buffer.isBuffer(one) ? one.toString('utf8') : String(one);
};

const zero = (): AuditCounts => ({ sent: 0, acked: 0, failed: 0, lost: 0, duplicated: 0, reordered: 0, failedButWritten: 0 });

/** Counts what was read against the ledger; feed it every record read, in offset order per partition. */
export class DeliveryTally {
  private readonly copies = new Map<string, Uint16Array>();
  /** Highest first-copy seq per partition and key. */
  private readonly highest = new Map<number, Map<string, number>>();
  private readonly reorderedByKey = new Map<string, number>();
  private readonly reorderedExamples: AuditResult['examples']['reordered'] = [];
  read = 0;
  unknown = 0;
  /** Running totals as records are added (the live audit reads them without a full result()). */
  duplicated = 0;
  reordered = 0;

  constructor(
    private readonly ledger: RunLedger,
    private readonly exampleLimit = 20,
    /** Told of each extra copy and each reordered record as it is read (the live audit lists them). */
    private readonly onProblem?: (kind: 'duplicated' | 'reordered', partition: number, offset: number, at: KeySeq & { afterSeq?: number }) => void,
  ) {}

  /** The ledger key and sequence of the last record count() took as this run's (for the live audit). */
  lastId = '';
  lastSeq = -1;
  /** The last key read (a copy) and its ledger key: records of one key in a row decode it once. */
  private lastKeyBytes: Buffer | null = null;
  private lastKeyId = '';

  /** Copies of (ledger key, seq) read so far. */
  copiesOf(ledgerId: string, seq: number): number {
    const counts = this.copies.get(ledgerId);
    return counts && seq < counts.length ? counts[seq] : 0;
  }

  add(r: ReadBackRecord): void {
    this.count(r.partition, r.offset, r.key, header(r.headers, STAMP_HEADER));
  }

  /**
   * add() from a record's parts: its key bytes and the text of its audit stamp (null when absent). Returns how many
   * copies of it were read so far (1: this is the first), or 0 when it is not a record of this run that the ledger
   * knows.
   */
  count(partition: number, offset: number, key: Buffer | null, stamp: string | null): number {
    const seq = stampSequence(stamp, this.ledger.runId);
    if (seq === -1) return 0;
    const id = this.idOf(key);
    const sent = this.ledger.keys.get(id);
    this.read++;
    if (!sent || !Number.isInteger(seq) || seq < 0 || seq >= sent.next) {
      this.unknown++;
      return 0;
    }
    this.lastId = id;
    this.lastSeq = seq;
    let counts = this.copies.get(id);
    if (!counts || counts.length <= seq) {
      // Grown by doubling: the live audit reads while the run goes on, and growing to just the records sent so
      // far copied the whole array again on every fetch (ever longer as the run went on).
      const grown = new Uint16Array(Math.max(sent.next, 16, (counts?.length ?? 0) * 2));
      if (counts) grown.set(counts);
      this.copies.set(id, (counts = grown));
    }
    if (counts[seq] < 0xffff) counts[seq]++;
    const copies = counts[seq];
    if (copies > 1) {
      this.duplicated++;
      this.onProblem?.('duplicated', partition, offset, { key: keyLabel(id), seq });
      return copies;
    }
    let keys = this.highest.get(partition);
    if (!keys) this.highest.set(partition, (keys = new Map()));
    const high = keys.get(id) ?? -1;
    if (seq > high) {
      keys.set(id, seq);
      return copies;
    }
    this.reorderedByKey.set(id, (this.reorderedByKey.get(id) ?? 0) + 1);
    this.reordered++;
    this.onProblem?.('reordered', partition, offset, { key: keyLabel(id), seq, afterSeq: high });
    if (this.reorderedExamples.length < this.exampleLimit) {
      this.reorderedExamples.push({ key: keyLabel(id), seq, partition, offset, afterSeq: high });
    }
    return copies;
  }

  /** The ledger key of a record key read back. */
  private idOf(key: Buffer | null): string {
    if (key === null) return ledgerKey(null);
    if (this.lastKeyBytes !== null && key.equals(this.lastKeyBytes)) return this.lastKeyId;
    const id = ledgerKey(key.toString('utf8'));
    // A copy: the key read is a view into a whole fetch answer, which this must not keep.
    this.lastKeyBytes = Buffer.from(key);
    this.lastKeyId = id;
    return id;
  }

  result(endOffsets: ReadonlyMap<number, number>, perKeyLimit = 100): AuditResult {
    const total = zero();
    const perKey = new Map<string, AuditCounts>();
    const examples: AuditResult['examples'] = { lost: [], duplicated: [], reordered: this.reorderedExamples, failedButWritten: [] };
    const limit = this.exampleLimit;
    for (const [id, k] of this.ledger.keys) {
      const c = zero();
      const counts = this.copies.get(id);
      const label = keyLabel(id);
      for (let seq = 0; seq < k.next; seq++) {
        const outcome = k.outcomes[seq];
        const n = counts && seq < counts.length ? counts[seq] : 0;
        c.sent++;
        if (outcome === Outcome.Acked) c.acked++;
        if (outcome === Outcome.Failed) c.failed++;
        if (outcome === Outcome.Acked && n === 0) {
          c.lost++;
          if (examples.lost.length < limit) examples.lost.push({ key: label, seq });
        }
        if (outcome === Outcome.Failed && n > 0) {
          c.failedButWritten++;
          if (examples.failedButWritten.length < limit) examples.failedButWritten.push({ key: label, seq });
        }
        if (n > 1) {
          c.duplicated += n - 1;
          if (examples.duplicated.length < limit) examples.duplicated.push({ key: label, seq, copies: n });
        }
      }
      c.reordered = this.reorderedByKey.get(id) ?? 0;
      for (const f of Object.keys(total) as (keyof AuditCounts)[]) total[f] += c[f];
      perKey.set(label, c);
    }
    const troubled = (c: AuditCounts) => c.lost + c.duplicated + c.reordered + c.failedButWritten > 0;
    const ordered = [...perKey].sort(([, a], [, b]) => Number(troubled(b)) - Number(troubled(a)));
    return {
      topic: this.ledger.topic,
      runId: this.ledger.runId,
      ...total,
      pending: this.ledger.pending,
      read: this.read,
      unknown: this.unknown,
      endOffsets: Object.fromEntries(endOffsets),
      examples,
      perKey: Object.fromEntries(ordered.slice(0, perKeyLimit)),
      perKeyOmitted: Math.max(0, ordered.length - perKeyLimit),
    };
  }
}

/**
 * Audits a run: waits (up to settleMs) until the high watermarks cover every acknowledged offset and stop
 * moving, takes them as the end, reads the topic up to there, and counts. Rejects with a clear message when the
 * cluster cannot be reached or the read does not finish within timeoutMs.
 */
export async function auditDelivery(ledger: RunLedger, opts: AuditOptions): Promise<AuditResult> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  const where = opts.brokers.join(',');
  await registerCodecs();
  const kafka = readerKafka({ brokers: opts.brokers, security: { ...(opts.ssl && opts.ssl !== true ? { ssl: opts.ssl } : {}), ...(opts.sasl ? { sasl: opts.sasl } : {}) } }, 'kafka-producer-tui-audit', opts.connectionTimeoutMs);
  const admin = kafka.admin();
  let ends: Map<number, number>;
  try {
    await withTimeout(admin.connect(), Math.min(timeoutMs, 10_000), () => `timed out connecting to ${where}`).catch((e: Error) => {
      throw new Error(`cannot audit ${ledger.topic}: the cluster at ${where} is unreachable (${e.message})`);
    });
    ends = await withTimeout(settledEnds(admin, ledger, opts.settleMs ?? 5000), Math.max(1, deadline - Date.now()), () =>
      `no answer from ${where} for the topic's offsets within ${timeoutMs} ms`,
    ).catch((e: Error) => {
      throw new Error(`cannot audit ${ledger.topic}: ${e.message}`);
    });
  } finally {
    await admin.disconnect().catch(() => {});
  }
  const tally = new DeliveryTally(ledger, opts.exampleLimit);
  await readTopicUntil(kafka, ledger.topic, ends, (r) => tally.add(r), {
    timeoutMs: Math.max(1, deadline - Date.now()),
    groupPrefix: `kpt-audit-${ledger.runId}`,
  });
  return tally.result(ends, opts.perKeyLimit);
}

/** High watermarks once they cover the highest acknowledged offsets and two reads 100 ms apart agree. */
async function settledEnds(admin: Parameters<typeof highWatermarks>[0], ledger: RunLedger, settleMs: number): Promise<Map<number, number>> {
  const until = Date.now() + settleMs;
  let ends = await highWatermarks(admin, ledger.topic);
  for (;;) {
    const covered = [...ledger.maxAckedOffset].every(([p, offset]) => (ends.get(p) ?? 0) > offset);
    if (Date.now() >= until) return ends;
    await new Promise((r) => setTimeout(r, 100));
    const again = await highWatermarks(admin, ledger.topic);
    const stable = [...again].every(([p, end]) => ends.get(p) === end);
    ends = again;
    if (covered && stable) return ends;
  }
}
