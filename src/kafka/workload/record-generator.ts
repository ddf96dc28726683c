/**
 * Turns a record spec (topic, key choice, value template, format, optional fixed size) into serialized
 * records, one per sequence number. Used by the workload (send N, produce at R/s) and so by the TUI, the
 * labs and the bench. Everything a user typed is checked once up front by rendering a sample record; JSON
 * values are checked again per record where a key or a placeholder outside quotes can break them (not where every
 * placeholder sits inside a string or is a whole number: see CompiledTemplate.jsonStandIn).
 */
import { randomUUID } from 'node:crypto';
import { validateJson } from '../producer/json-check.js';
import { compileTemplate, jsonStringContent, type CompiledTemplate, type RenderContext } from './record-template.js';
import type { RecordHeader } from '../producer/serializers.js';

export type KeySpec =
  | { readonly kind: 'null' }
  | { readonly kind: 'fixed'; readonly key: string }
  /** key-0 .. key-{space-1}, uniformly at random. */
  | { readonly kind: 'random'; readonly space: number }
  | { readonly kind: 'template'; readonly template: string };

export type ValueFormat = 'string' | 'json';

export interface RecordSpec {
  readonly topic: string;
  readonly key: KeySpec;
  /** Value template; null sends tombstones (null values). */
  readonly value: string | null;
  readonly format: ValueFormat;
  /**
   * Every value exactly this many bytes (the bench's --record-size): short values are filled with random
   * capital letters, as kafka-producer-perf-test's payload is; long string values are cut. A JSON value is
   * filled inside the object (a "_pad" field) or with trailing spaces, and never cut: a longer one is sent
   * as it is and counted as oversize.
   */
  readonly recordSize?: number | null;
  /**
   * Fresh random filler letters for every record, instead of one filler reused for all (perf-test's way, which
   * makes every record alike and compression look far better than on real data).
   */
  readonly randomFill?: boolean;
  readonly headers?: readonly RecordHeader[];
  /** Explicit partition; otherwise the engine's partitioner decides. */
  readonly partition?: number;
}

export interface GeneratedRecord {
  readonly key: string | null;
  readonly value: Buffer | null;
  /** The value is longer than recordSize and could not be cut (JSON). */
  readonly oversize: boolean;
}

/** A record being generated: one object the caller keeps and the generator fills per record (see fill). */
export interface GeneratedSlot {
  key: string | null;
  value: Buffer | null;
  oversize: boolean;
}

/** What a template reads per record: one object per generator, refilled, its uuid made at most once a record. */
class RenderState implements RenderContext {
  seq = 0;
  key: string | null = null;
  nowMs = 0;
  private id: string | null = null;

  constructor(private readonly makeUuid: () => string) {}

  /** Starts the next record: a new sequence and time, no key or uuid yet. */
  next(seq: number, nowMs: number): void {
    this.seq = seq;
    this.nowMs = nowMs;
    this.key = null;
    this.id = null;
  }

  uuid(): string {
    return (this.id ??= this.makeUuid());
  }
}

export type GenerateResult = { readonly ok: true; readonly record: GeneratedRecord } | { readonly ok: false; readonly error: string };

export interface GeneratorOptions {
  /** Uniform in [0, 1): random keys and the filler letters. */
  random?: () => number;
  uuid?: () => string;
}

const MAX_KEY_SPACE = 10_000_000;
const MAX_RECORD_SIZE = 100 * 1024 * 1024;
const PAD_FIELD = '"_pad":""';

export class RecordGenerator {
  private filler: Buffer = Buffer.alloc(0);
  /** A value template without placeholders gives the same bytes every time: made once (the bench's case). */
  private constantValue: GeneratedRecord['value'] | undefined;
  private constantResult: GenerateResult | undefined;
  private timeUsed: boolean | undefined;
  private readonly state: RenderState;
  /** JSON values whose validity no placeholder can change, and whose stand-in is valid: not checked per record. */
  private readonly alwaysValidJson: boolean;

  private constructor(
    readonly spec: RecordSpec,
    private readonly keyTemplate: CompiledTemplate | null,
    private readonly valueTemplate: CompiledTemplate | null,
    private readonly random: () => number,
    private readonly uuid: () => string,
  ) {
    this.state = new RenderState(uuid);
    if (spec.recordSize) this.filler = fillerLetters(spec.recordSize, random);
    const standIn = spec.format === 'json' ? (valueTemplate?.jsonStandIn ?? null) : null;
    this.alwaysValidJson = standIn !== null && validateJson(standIn).ok;
  }

  /** Checks the spec (templates, sizes, a sample record); every problem is reported, each saying where. */
  static compile(spec: RecordSpec, options: GeneratorOptions = {}): { ok: true; generator: RecordGenerator } | { ok: false; errors: string[] } {
    const errors: string[] = [];
    if (spec.topic.trim() === '') errors.push('topic: a topic name is needed');
    let keyTemplate: CompiledTemplate | null = null;
    if (spec.key.kind === 'random' && (!Number.isInteger(spec.key.space) || spec.key.space < 1 || spec.key.space > MAX_KEY_SPACE)) {
      errors.push(`key space must be a whole number from 1 to ${MAX_KEY_SPACE}; got ${spec.key.space}`);
    }
    if (spec.key.kind === 'template') {
      const c = compileTemplate(spec.key.template, { allow: ['seq', 'uuid', 'now', 'ts'], what: 'the key template' });
      if (c.ok) keyTemplate = c.template;
      else errors.push(`key template: ${c.error.message}`);
    }
    let valueTemplate: CompiledTemplate | null = null;
    if (spec.value !== null) {
      const c = compileTemplate(spec.value, { what: 'the value template' });
      if (c.ok) valueTemplate = c.template;
      else errors.push(`value template: ${c.error.message}`);
    }
    const size = spec.recordSize;
    if (size !== undefined && size !== null && (!Number.isInteger(size) || size < 1 || size > MAX_RECORD_SIZE)) {
      errors.push(`record size must be a whole number of bytes from 1 to ${MAX_RECORD_SIZE}; got ${size}`);
    }
    if (spec.partition !== undefined && (!Number.isInteger(spec.partition) || spec.partition < 0)) {
      errors.push(`partition must be a whole number 0 or more; got ${spec.partition}`);
    }
    if (errors.length > 0) return { ok: false, errors };
    const generator = new RecordGenerator(spec, keyTemplate, valueTemplate, options.random ?? Math.random, options.uuid ?? randomUUID);
    const sample = generator.generate(0, Date.now());
    if (!sample.ok) return { ok: false, errors: [sample.error] };
    return { ok: true, generator };
  }

  /** Whether records depend on the time ({{now}}, {{ts}}): if not, generate() need not be given it. */
  get usesTime(): boolean {
    const uses = (t: CompiledTemplate | null) => t !== null && (t.placeholders.has('now') || t.placeholders.has('ts'));
    return (this.timeUsed ??= uses(this.keyTemplate) || uses(this.valueTemplate));
  }

  /** The record for global sequence `seq` at time `nowMs`. */
  generate(seq: number, nowMs: number): GenerateResult {
    // The bench's case (no placeholders, null key): one result, made once, reused for every record.
    if (this.constantResult !== undefined) return this.constantResult;
    const out: GeneratedSlot = { key: null, value: null, oversize: false };
    const error = this.fill(out, seq, nowMs);
    return error !== null ? { ok: false, error } : { ok: true, record: out };
  }

  /**
   * generate() into the caller's object, for a workload that makes many records: no result objects per record.
   * Returns why the record cannot be sent (its JSON broke), or null.
   */
  fill(out: GeneratedSlot, seq: number, nowMs: number): string | null {
    const constant = this.constantResult;
    if (constant !== undefined && constant.ok) {
      out.key = constant.record.key;
      out.value = constant.record.value;
      out.oversize = false;
      return null;
    }
    const ctx = this.state;
    ctx.next(seq, nowMs);
    const key = this.key(ctx);
    out.key = key;
    out.oversize = false;
    if (this.valueTemplate === null) {
      out.value = null;
      return null;
    }
    if (this.constantValue !== undefined) {
      out.value = this.constantValue;
      return null;
    }
    const json = this.spec.format === 'json';
    ctx.key = key;
    const text = this.valueTemplate.render(ctx, json ? jsonStringContent : undefined);
    if (json && !(this.alwaysValidJson && Number.isFinite(nowMs))) {
      const checked = validateJson(text);
      if (!checked.ok) return `value of record ${seq} is not valid JSON: ${checked.error.message}`;
    }
    const bytes = Buffer.from(text, 'utf8');
    const size = this.spec.recordSize;
    if (size && bytes.length > size && json) {
      out.value = bytes;
      out.oversize = true;
      return null;
    }
    const value = !size || bytes.length === size ? bytes : json ? this.padJson(text, bytes.length, size) : this.fitString(bytes, size);
    if (this.valueTemplate.placeholders.size === 0 && !this.spec.randomFill) {
      this.constantValue = value;
      if (this.spec.key.kind === 'null') this.constantResult = { ok: true, record: { key: null, value, oversize: false } };
    }
    out.value = value;
    return null;
  }

  private key(ctx: RenderContext): string | null {
    const k = this.spec.key;
    switch (k.kind) {
      case 'null':
        return null;
      case 'fixed':
        return k.key;
      case 'random':
        return `key-${Math.min(k.space - 1, Math.floor(this.random() * k.space))}`;
      case 'template':
        return this.keyTemplate!.render(ctx);
    }
  }

  /** The filler for one record: the shared one, or fresh letters with randomFill. */
  private letters(length: number): Buffer {
    return this.spec.randomFill ? fillerLetters(length, this.random) : this.filler.subarray(0, length);
  }

  /** Cut or fill to exactly `size` bytes; a cut never splits a UTF-8 character (filler takes the rest). */
  private fitString(bytes: Buffer, size: number): Buffer {
    let keep = Math.min(bytes.length, size);
    while (keep > 0 && keep < bytes.length && (bytes[keep] & 0xc0) === 0x80) keep--;
    return Buffer.concat([bytes.subarray(0, keep), this.letters(size - keep)], size);
  }

  /** `{...}` gets a "_pad" field of filler letters; anything else (or too little room) trailing spaces. */
  private padJson(text: string, length: number, size: number): Buffer {
    const room = size - length;
    const trimmed = text.trimEnd();
    const isObject = trimmed.startsWith('{') && trimmed.endsWith('}');
    if (isObject) {
      const empty = /^\{\s*\}$/.test(trimmed);
      const field = empty ? PAD_FIELD : `,${PAD_FIELD}`;
      const tail = text.length - trimmed.length;
      if (room >= field.length) {
        const letters = this.letters(room - field.length).toString('latin1');
        const inner = `${empty ? '' : ','}"_pad":"${letters}"`;
        return Buffer.from(`${trimmed.slice(0, -1)}${inner}}${' '.repeat(tail)}`, 'utf8');
      }
    }
    return Buffer.from(text + ' '.repeat(room), 'utf8');
  }
}

/** Random capital letters, generated once and reused (kafka-producer-perf-test does the same). */
function fillerLetters(size: number, random: () => number): Buffer {
  const b = Buffer.allocUnsafe(size);
  for (let i = 0; i < size; i++) b[i] = 65 + Math.floor(random() * 26);
  return b;
}
