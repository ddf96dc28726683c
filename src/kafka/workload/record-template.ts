/**
 * Record templates: the text a user types for generated keys and values, with placeholders filled per record.
 *   {{seq}}   the workload's global sequence number (0, 1, 2, ...)
 *   {{uuid}}  a random UUID, one per record (key and value templates of one record share it)
 *   {{now}}   the record's time as ISO 8601 text
 *   {{ts}}    the record's time in epoch milliseconds
 *   {{key}}   the record's key text ("null" for a null key); value templates only
 * Compiled once into literal and placeholder parts, so rendering a record is one concatenation.
 */
import type { TextError } from '../producer/json-check.js';

export const PLACEHOLDERS = ['seq', 'uuid', 'now', 'key', 'ts'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

export interface RenderContext {
  readonly seq: number;
  readonly key: string | null;
  readonly nowMs: number;
  /** Called at most once per render: the caller caches it per record. */
  uuid(): string;
}

/** Literal text, or a placeholder to fill. */
type Part = { readonly text: string } | { readonly name: Placeholder };

export interface CompiledTemplate {
  readonly source: string;
  readonly placeholders: ReadonlySet<Placeholder>;
  /**
   * `escape` is applied to the values of {{key}} and {{uuid}} only (JSON values escape them as string content): those
   * of {{seq}}, {{ts}} and {{now}} are digits and ASCII punctuation, which need no escaping.
   */
  render(ctx: RenderContext, escape?: (s: string) => string): string;
  /**
   * For a JSON value template: one text whose JSON validity every rendered record shares, or null when a record's
   * validity may depend on what its placeholders hold (see jsonStandIn).
   */
  readonly jsonStandIn: string | null;
}

export type CompileResult = { readonly ok: true; readonly template: CompiledTemplate } | { readonly ok: false; readonly error: TextError };

const NAMES = new Set<string>(PLACEHOLDERS);
const LIST = 'use {{seq}}, {{uuid}}, {{now}}, {{ts}} or {{key}}';

function at(source: string, position: number, message: string): CompileResult {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < position; i++) {
    if (source[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  const column = position - lineStart + 1;
  const where = line > 1 ? `line ${line}, column ${column}` : `column ${column}`;
  return { ok: false, error: { message: `${where}: ${message}`, position, line, column } };
}

// Records issued in the same millisecond share their {{now}} text: made once, not once per record.
let lastMs = NaN;
let lastIso = '';
function isoTime(ms: number): string {
  if (ms !== lastMs) {
    lastIso = new Date(ms).toISOString();
    lastMs = ms;
  }
  return lastIso;
}

/** Placeholders whose values can hold any text; the others are digits and ASCII punctuation, never escaped. */
const ANY_TEXT: ReadonlySet<Placeholder> = new Set(['key', 'uuid']);

function value(p: Placeholder, ctx: RenderContext): string {
  switch (p) {
    case 'seq':
      return String(ctx.seq);
    case 'uuid':
      return ctx.uuid();
    case 'now':
      return isoTime(ctx.nowMs);
    case 'ts':
      return String(ctx.nowMs);
    case 'key':
      return ctx.key ?? 'null';
  }
}

/**
 * Parses `{{name}}` placeholders (spaces inside the braces allowed). `allow` limits the names, e.g. a key
 * template cannot use {{key}}. Errors point at the placeholder.
 */
export function compileTemplate(source: string, options: { allow?: readonly Placeholder[]; what?: string } = {}): CompileResult {
  const allowed = new Set<string>(options.allow ?? PLACEHOLDERS);
  const parts: Part[] = [];
  const used = new Set<Placeholder>();
  let i = 0;
  let literal = '';
  while (i < source.length) {
    const open = source.indexOf('{{', i);
    if (open < 0) {
      literal += source.slice(i);
      break;
    }
    literal += source.slice(i, open);
    const close = source.indexOf('}}', open + 2);
    if (close < 0) return at(source, open, `"{{" is not closed with "}}"; ${LIST}`);
    const name = source.slice(open + 2, close).trim();
    if (!NAMES.has(name)) {
      const shown = name === '' ? '{{}}' : `{{${name}}}`;
      return at(source, open, `unknown placeholder ${shown}; ${LIST}`);
    }
    if (!allowed.has(name)) {
      return at(source, open, `{{${name}}} cannot be used in ${options.what ?? 'this template'}`);
    }
    if (literal !== '') parts.push({ text: literal });
    literal = '';
    parts.push({ name: name as Placeholder });
    used.add(name as Placeholder);
    i = close + 2;
  }
  if (literal !== '') parts.push({ text: literal });
  const constant = parts.length === 0 ? '' : parts.length === 1 && 'text' in parts[0] ? parts[0].text : null;
  let standIn: string | null | undefined;
  // Rendered once per record: the parts flattened into arrays (a literal, or a placeholder and whether its value
  // may need escaping), so a render is one loop of plain reads, no 'in' checks or set lookups per part.
  const texts = parts.map((p) => ('text' in p ? p.text : ''));
  const names = parts.map((p) => ('name' in p ? p.name : null));
  const escapable = parts.map((p) => 'name' in p && ANY_TEXT.has(p.name));
  const n = parts.length;
  const template: CompiledTemplate = {
    source,
    placeholders: used,
    get jsonStandIn() {
      return standIn === undefined ? (standIn = jsonStandIn(parts)) : standIn;
    },
    render(ctx, escape) {
      if (constant !== null) return constant;
      let out = '';
      for (let i = 0; i < n; i++) {
        const name = names[i];
        if (name === null) out += texts[i];
        else if (escape !== undefined && escapable[i]) out += escape(value(name, ctx));
        else out += value(name, ctx);
      }
      return out;
    },
  };
  return { ok: true, template };
}

/** Characters that may stand right before or after a whole JSON number (structure or whitespace), and the ends. */
const NUMBER_BEFORE = new Set(['', '[', ':', ',', ' ', '\t', '\n', '\r']);
const NUMBER_AFTER = new Set(['', ']', '}', ',', ' ', '\t', '\n', '\r']);

/**
 * The template with every placeholder replaced by a stand-in of the same kind, when every placeholder sits where
 * what it holds cannot change whether the JSON is valid: inside a string (its value is escaped as string content,
 * so any value is string content alike; not inside an escape) or, for {{seq}} and {{ts}} (always the
 * digits of a whole number 0 or more, no leading zero), as a whole number between structure or whitespace. Then
 * every record is valid JSON exactly when the stand-in text is, and the check is made once instead of per record.
 * Null when some placeholder could change it ({{now}}, {{uuid}} or {{key}} outside a string, digits that join
 * other digits).
 */
function jsonStandIn(parts: readonly Part[]): string | null {
  let out = '';
  let inString = false;
  let escaped = false;
  /** Hex digits still due after a \u escape. */
  let hexDue = 0;
  for (let k = 0; k < parts.length; k++) {
    const p = parts[k];
    if ('text' in p) {
      // The quote state, as JSON's own lexer tracks it: outside strings no other character opens or closes one.
      for (let i = 0; i < p.text.length; i++) {
        const c = p.text[i];
        if (hexDue > 0) hexDue--;
        else if (escaped) {
          escaped = false;
          if (c === 'u') hexDue = 4;
        } else if (inString && c === '\\') escaped = true;
        else if (c === '"') inString = !inString;
      }
      out += p.text;
      continue;
    }
    if (inString) {
      if (escaped || hexDue > 0) return null;
      out += 'x';
      continue;
    }
    if (p.name !== 'seq' && p.name !== 'ts') return null;
    const before = k > 0 ? parts[k - 1] : null;
    const after = k + 1 < parts.length ? parts[k + 1] : null;
    if ((before !== null && !('text' in before)) || (after !== null && !('text' in after))) return null;
    if (!NUMBER_BEFORE.has(before ? before.text.slice(-1) : '') || !NUMBER_AFTER.has(after ? after.text[0] : '')) return null;
    out += '0';
  }
  return out;
}

/** Escapes text for use inside a JSON string literal (no quotes added). */
export function jsonStringContent(s: string): string {
  const quoted = JSON.stringify(s);
  return quoted.slice(1, -1);
}
