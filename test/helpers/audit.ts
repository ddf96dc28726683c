// Delivery audit: every record sent carries its run id and a per-key sequence in its headers; reading the topic back
// tells what was lost (acknowledged but absent), duplicated (present more than once) and reordered (a lower sequence
// after a higher one of the same key). Field names follow the design's lab report: sent, acked, failed, lost,
// duplicated, reordered.
// The product has its own audit (src/kafka/delivery-audit.ts, fed by the engine's RunLedger). The sandbox's failure
// tests keep this small one on purpose: they drive plain kafkajs producers, not our engine, so a bug in the engine's
// audit cannot hide a bug in the sandbox, and the two audits cross-check each other.
import { randomUUID } from 'node:crypto';
import type { Message, RecordMetadata } from 'kafkajs';
import type { ReadRecord } from './read-back.js';

export const RUN_HEADER = 'run';
export const SEQ_HEADER = 'seq';

export interface SentRecord {
  key: string;
  seq: number;
  /** The send resolved: the broker acknowledged it. */
  acked: boolean;
  /** The send rejected after kafkajs gave up. */
  failed: boolean;
  /** Offset the client was told (acks != 0), when acknowledged. */
  offset?: number;
  partition?: number;
}

/** Stamps records with the run id and per-key sequences and remembers what was acknowledged. */
export class RunLedger {
  readonly runId = randomUUID().slice(0, 8);
  readonly records: SentRecord[] = [];
  private nextSeq = new Map<string, number>();

  /** A kafkajs message for `key`, with the next sequence of that key. */
  message(key: string, extra: Partial<Message> = {}): Message & { sent: SentRecord } {
    const seq = this.nextSeq.get(key) ?? 0;
    this.nextSeq.set(key, seq + 1);
    const sent: SentRecord = { key, seq, acked: false, failed: false };
    this.records.push(sent);
    return {
      key,
      value: `${this.runId}:${key}:${seq}`,
      ...extra,
      headers: { ...(extra.headers ?? {}), [RUN_HEADER]: this.runId, [SEQ_HEADER]: String(seq) },
      sent,
    };
  }

  /** Marks the messages of one successful send() as acknowledged, with the offsets kafkajs reported. */
  acked(messages: { sent: SentRecord }[], result: RecordMetadata[]): void {
    const base = result.length === 1 && result[0].baseOffset !== undefined ? Number(result[0].baseOffset) : undefined;
    messages.forEach((m, i) => {
      m.sent.acked = true;
      if (base !== undefined) {
        m.sent.offset = base + i;
        m.sent.partition = result[0].partition;
      }
    });
  }

  failed(messages: { sent: SentRecord }[]): void {
    for (const m of messages) m.sent.failed = true;
  }
}

export interface AuditResult {
  sent: number;
  acked: number;
  failed: number;
  /** Acknowledged, not read back. */
  lost: number;
  /** Extra copies read back (a record read 3 times counts 2). */
  duplicated: number;
  /** First copies whose sequence is below one already read for the same key. */
  reordered: number;
  /** Records of this run read back (all copies). */
  read: number;
  /** Failed sends whose records were written anyway (e.g. a timeout after the append). */
  failedButWritten: number;
  lostRecords: { key: string; seq: number; offset?: number }[];
  duplicatedRecords: { key: string; seq: number; offsets: number[] }[];
}

/** Compares what the ledger sent with what was read back (records of other runs are ignored). */
export function audit(ledger: RunLedger, read: ReadRecord[]): AuditResult {
  const ordered = read.filter((r) => r.headers[RUN_HEADER] === ledger.runId).sort((a, b) => a.partition - b.partition || a.offset - b.offset);
  const copies = new Map<string, ReadRecord[]>();
  let reordered = 0;
  const highestSeq = new Map<string, number>();
  for (const r of ordered) {
    const key = r.key ?? '';
    const seq = Number(r.headers[SEQ_HEADER]);
    const id = `${key}\u0000${seq}`;
    const list = copies.get(id);
    if (list) {
      list.push(r);
      continue;
    }
    copies.set(id, [r]);
    const highest = highestSeq.get(key) ?? -1;
    if (seq < highest) reordered++;
    else highestSeq.set(key, seq);
  }
  const lostRecords: AuditResult['lostRecords'] = [];
  let failedButWritten = 0;
  for (const s of ledger.records) {
    const found = copies.has(`${s.key}\u0000${s.seq}`);
    if (s.acked && !found) lostRecords.push({ key: s.key, seq: s.seq, offset: s.offset });
    if (s.failed && found) failedButWritten++;
  }
  const duplicatedRecords: AuditResult['duplicatedRecords'] = [];
  let duplicated = 0;
  for (const [id, list] of copies) {
    if (list.length < 2) continue;
    duplicated += list.length - 1;
    const [key, seq] = id.split('\u0000');
    duplicatedRecords.push({ key, seq: Number(seq), offsets: list.map((r) => r.offset) });
  }
  return {
    sent: ledger.records.length,
    acked: ledger.records.filter((s) => s.acked).length,
    failed: ledger.records.filter((s) => s.failed).length,
    lost: lostRecords.length,
    duplicated,
    reordered,
    read: ordered.length,
    failedButWritten,
    lostRecords,
    duplicatedRecords,
  };
}
