// Delivery reports as they arrive (the latest few hundred) and the dead-letter list: records that failed for
// good, kept with what is needed to send them again. Both bounded; nothing is dropped silently (counts say so).
import type { DeliveryError, DeliveryReport, HeaderEntry, OutgoingRecord } from './engine-types.js';

/** Every header of a record as text, in the order written: `headers`, then the sequence header if it has one. */
export function recordHeaders(rec: OutgoingRecord): HeaderEntry[] {
  return rec.sequenceHeader ? [...rec.headers, { key: rec.sequenceHeader, value: String(rec.sequence ?? 0) }] : [...rec.headers];
}

/**
 * The first `max` characters. Decodes only the bytes a preview can show, not a whole large value per record: `max`
 * bytes when they are `max` characters (ASCII, the common case), else up to 4 bytes per character.
 */
function previewText(b: Buffer | null, max = 60): string | null {
  if (b === null) return null;
  if (b.length <= max) return b.toString('utf8');
  const head = b.toString('utf8', 0, max);
  return head.length === max && !head.endsWith('\ufffd') ? head : b.toString('utf8', 0, Math.min(b.length, max * 4)).slice(0, max);
}

/** A record's delivery report; `now` (performance.now) and `at` (Date.now) may be shared by a batch's records. */
export function deliveryReport(
  rec: OutgoingRecord,
  id: number,
  started: number,
  partition: number,
  offset: number | null,
  attempts: number,
  error: DeliveryError | null,
  now = performance.now(),
  at = Date.now(),
): DeliveryReport {
  return {
    id,
    topic: rec.topic,
    partition,
    offset,
    keyPreview: rec.keyPreview !== undefined ? rec.keyPreview : previewText(rec.key),
    valuePreview: rec.valuePreview ?? previewText(rec.value) ?? '(null)',
    bytes: (rec.key?.length ?? 0) + (rec.value?.length ?? 0),
    latencyMs: now - started,
    attempts,
    error,
    at,
  };
}

export interface DeadLetter {
  report: DeliveryReport;
  record: OutgoingRecord;
  /** The record's headers as text, the sequence header included (recordHeaders). */
  headers: HeaderEntry[];
}

export class DeliveryLog {
  private recent: DeliveryReport[] = [];
  private dead: DeadLetter[] = [];
  /** Dead letters pushed out of the list by newer ones. */
  deadDropped = 0;

  constructor(
    private readonly recentCapacity = 500,
    private readonly deadCapacity = 1000,
  ) {}

  add(report: DeliveryReport, record: OutgoingRecord): void {
    this.recent.push(report);
    if (this.recent.length > this.recentCapacity * 2) this.recent = this.recent.slice(-this.recentCapacity);
    if (report.error) {
      this.dead.push({ report, record, headers: recordHeaders(record) });
      if (this.dead.length > this.deadCapacity) {
        this.deadDropped += this.dead.length - this.deadCapacity;
        this.dead = this.dead.slice(-this.deadCapacity);
      }
    }
  }

  latest(n: number): DeliveryReport[] {
    return this.recent.slice(-n);
  }

  deadLetters(): readonly DeadLetter[] {
    return this.dead;
  }

  /** Removes dead letters (to re-send them); returns the removed entries. */
  takeDeadLetters(ids?: readonly number[]): DeadLetter[] {
    if (!ids) return this.dead.splice(0);
    const want = new Set(ids);
    const taken = this.dead.filter((d) => want.has(d.report.id));
    this.dead = this.dead.filter((d) => !want.has(d.report.id));
    return taken;
  }
}
