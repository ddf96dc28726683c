// Delivery reports as they arrive (the latest few hundred) and the dead-letter list: records that failed for
// good, kept with what is needed to send them again. Both bounded; nothing is dropped silently (counts say so).
import type { BatchDelivery, DeliveryError, DeliveryReport, HeaderEntry, OutgoingRecord } from './engine-types.js';

/** Every header of a record as text, in the order written: `headers`, then the sequence header if it has one. */
export function recordHeaders(rec: OutgoingRecord): HeaderEntry[] {
  const seq = rec.sequenceHeader;
  return seq ? [...rec.headers, { key: seq.key, value: `${seq.prefix}${rec.sequence ?? 0}` }] : [...rec.headers];
}

/** The record's own fields, apart from the caller's object (which the caller may reuse once reported). */
function copyRecord(rec: OutgoingRecord): OutgoingRecord {
  const { topic, key, value, headers, sequenceHeader, sequence, partition, keyPreview, valuePreview } = rec;
  const copy: OutgoingRecord = { topic, key, value, headers };
  if (sequenceHeader !== undefined) Object.assign(copy, { sequenceHeader, sequence });
  if (partition !== undefined) copy.partition = partition;
  if (keyPreview !== undefined) copy.keyPreview = keyPreview;
  if (valuePreview !== undefined) copy.valuePreview = valuePreview;
  return copy;
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

/**
 * A delivery report whose previews are made when first read: most reports are counted and dropped unread (a bench,
 * a lab), and a 60-character string per record is a cost worth not paying. Holds the record's key and value for
 * it, not the record (a caller may reuse its record object once reported).
 */
class LazyPreviewReport implements DeliveryReport {
  readonly #key: Buffer | null;
  readonly #value: Buffer | null;
  #keyPreview: string | null | undefined;
  #valuePreview: string | undefined;

  constructor(
    rec: OutgoingRecord,
    readonly id: number,
    readonly topic: string,
    readonly partition: number,
    readonly offset: number | null,
    readonly bytes: number,
    readonly latencyMs: number,
    readonly attempts: number,
    readonly error: DeliveryError | null,
    readonly at: number,
  ) {
    this.#key = rec.key;
    this.#value = rec.value;
    this.#keyPreview = rec.keyPreview;
    this.#valuePreview = rec.valuePreview;
  }

  get keyPreview(): string | null {
    if (this.#keyPreview === undefined) this.#keyPreview = previewText(this.#key);
    return this.#keyPreview;
  }

  get valuePreview(): string {
    return (this.#valuePreview ??= previewText(this.#value) ?? '(null)');
  }

  /** A plain object with the previews, for JSON and for copies ({ ...report } would leave the previews out). */
  toJSON(): DeliveryReport {
    const { id, topic, partition, offset, keyPreview, valuePreview, bytes, latencyMs, attempts, error, at } = this;
    return { id, topic, partition, offset, keyPreview, valuePreview, bytes, latencyMs, attempts, error, at };
  }
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
  const bytes = (rec.key?.length ?? 0) + (rec.value?.length ?? 0);
  return new LazyPreviewReport(rec, id, rec.topic, partition, offset, bytes, now - started, attempts, error, at);
}

export interface DeadLetter {
  report: DeliveryReport;
  record: OutgoingRecord;
  /** The record's headers as text, the sequence header included (recordHeaders). */
  headers: HeaderEntry[];
}

/** A recent report, or an acknowledged batch's reports, made when read (BatchDelivery.report). */
type Recent = DeliveryReport | BatchDelivery;
const size = (e: Recent): number => ('count' in e ? e.count : 1);

export class DeliveryLog {
  private recent: Recent[] = [];
  /** Reports held in `recent`. */
  private held = 0;
  /** Reports ever kept: tells latest() how many arrived since its last answer. */
  private added = 0;
  private cached: { readonly n: number; readonly added: number; readonly out: readonly DeliveryReport[] } | null = null;
  private dead: DeadLetter[] = [];
  /** Dead letters pushed out of the list by newer ones. */
  deadDropped = 0;

  constructor(
    private readonly recentCapacity = 500,
    private readonly deadCapacity = 1000,
  ) {}

  add(report: DeliveryReport, record: OutgoingRecord): void {
    this.keep(report, 1);
    if (report.error) {
      this.dead.push({ report, record: copyRecord(record), headers: recordHeaders(record) });
      if (this.dead.length > this.deadCapacity) {
        this.deadDropped += this.dead.length - this.deadCapacity;
        this.dead = this.dead.slice(-this.deadCapacity);
      }
    }
  }

  /** An acknowledged batch's reports, kept as the batch: most are never read. */
  addBatch(d: BatchDelivery): void {
    this.keep(d, d.count);
  }

  private keep(e: Recent, count: number): void {
    this.recent.push(e);
    this.held += count;
    this.added += count;
    if (this.held <= this.recentCapacity * 2) return;
    let drop = 0;
    while (this.held - size(this.recent[drop]) >= this.recentCapacity) this.held -= size(this.recent[drop++]);
    this.recent = this.recent.slice(drop);
  }

  /**
   * The newest `n` reports, oldest first. The TUI asks at every redraw: the answer is kept until a report arrives
   * (the same array, so a screen can tell nothing changed), and then only the reports that arrived are added to it.
   * Not to be changed by the caller.
   */
  latest(n: number): readonly DeliveryReport[] {
    const c = this.cached;
    if (c !== null && c.n === n && c.added === this.added) return c.out;
    const fresh = c !== null && c.n === n ? this.added - c.added : n;
    const out: DeliveryReport[] = [];
    const want = Math.min(n, fresh);
    for (let k = this.recent.length - 1; k >= 0 && out.length < want; k--) {
      const e = this.recent[k];
      if (!('count' in e)) out.push(e);
      else for (let i = e.count - 1; i >= 0 && out.length < want; i--) out.push(e.report(i));
    }
    out.reverse();
    const all = fresh >= n || c === null ? out : c.out.slice(Math.max(0, c.out.length + out.length - n)).concat(out);
    this.cached = { n, added: this.added, out: all };
    return all;
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
