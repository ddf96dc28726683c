/**
 * The Serializer stage: text a user typed -> the bytes Kafka stores, and exactly how many bytes a record takes
 * in a v2 record batch. Bad input gets a message that points at the character, and produces nothing.
 *
 * Null and empty are different records in Kafka: a null key is encoded as length -1 (and partitions by the
 * null-key strategy), an empty key as length 0 (and hashes like any other key). A null value is a tombstone.
 */
import { BATCH_HEADER_SIZE } from '../../wire/record-batch.js';
import { decimalDigits, type SequenceHeader } from '../../wire/record-batch-builder.js';
import { validateJson, type TextError } from './json-check.js';

export type { TextError } from './json-check.js';

export type SerializerKind = 'string' | 'json' | 'hex' | 'base64';

export type SerializeResult =
  | { readonly ok: true; readonly bytes: Buffer | null }
  | { readonly ok: false; readonly error: TextError };

/** A record header; Kafka header values are bytes, here always UTF-8 text. */
export interface RecordHeader {
  readonly key: string;
  readonly value: string;
}

const fail = (message: string, position?: number): SerializeResult => ({
  ok: false,
  error: position === undefined ? { message } : { message, position, line: 1, column: position + 1 },
});

/** `text === null` is a null key or value; `''` is an empty one (zero bytes, not null). */
export function serialize(text: string | null, kind: SerializerKind): SerializeResult {
  if (text === null) return { ok: true, bytes: null };
  switch (kind) {
    case 'string':
      return { ok: true, bytes: Buffer.from(text, 'utf8') };
    case 'json': {
      // The bytes are the text as typed: re-stringifying would silently change what the user sees.
      const checked = validateJson(text);
      return checked.ok ? { ok: true, bytes: Buffer.from(text, 'utf8') } : { ok: false, error: checked.error };
    }
    case 'hex':
      return parseHex(text);
    case 'base64':
      return parseBase64(text);
  }
}

const HEX = /^[0-9a-fA-F]$/;

/** Hex digits, optionally prefixed with 0x; spaces between bytes are allowed ("de ad be ef"). */
export function parseHex(text: string): SerializeResult {
  const start = /^\s*0[xX]/.exec(text)?.[0].length ?? 0;
  const digits: string[] = [];
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (/\s/.test(c)) {
      if (digits.length % 2 === 1) return fail(`column ${i + 1}: a space splits a byte; hex bytes are two digits`, i);
      continue;
    }
    if (!HEX.test(c)) return fail(`column ${i + 1}: '${c}' is not a hex digit (0-9, a-f)`, i);
    digits.push(c);
  }
  if (digits.length % 2 === 1) {
    return fail(`odd number of hex digits (${digits.length}): every byte needs two, e.g. 0f not f`);
  }
  return { ok: true, bytes: Buffer.from(digits.join(''), 'hex') };
}

const B64 = /^[A-Za-z0-9+/\-_]$/;

/**
 * Standard or URL-safe base64; whitespace ignored; padding optional but, if present, correct. Node's own
 * decoder silently skips bad characters, which would send bytes the user did not mean.
 */
export function parseBase64(text: string): SerializeResult {
  const chars: string[] = [];
  let padding = 0;
  let firstPad = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (/\s/.test(c)) continue;
    if (c === '=') {
      if (firstPad < 0) firstPad = i;
      padding++;
      continue;
    }
    if (!B64.test(c)) return fail(`column ${i + 1}: '${c}' is not a base64 character (A-Z a-z 0-9 + / - _ =)`, i);
    if (padding > 0) return fail(`column ${firstPad + 1}: '=' padding may only appear at the end`, firstPad);
    chars.push(c);
  }
  const leftover = chars.length % 4;
  if (leftover === 1) {
    return fail(`${chars.length} base64 characters leave 1 over: a group of 4 carries 3 bytes, and 1 alone is never valid`);
  }
  if (padding > 0 && (chars.length + padding) % 4 !== 0) {
    const want = leftover === 0 ? 0 : 4 - leftover;
    return fail(`wrong padding: ${padding} '=' after ${chars.length} characters; expected ${want}`, firstPad);
  }
  if (padding > 2) return fail(`too much padding: at most two '='`, firstPad);
  return { ok: true, bytes: Buffer.from(chars.join(''), 'base64') };
}

export interface SerializedRecord {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: readonly RecordHeader[];
}

export type RecordInput = {
  readonly key: { readonly text: string | null; readonly kind: SerializerKind };
  readonly value: { readonly text: string | null; readonly kind: SerializerKind };
  readonly headers?: readonly RecordHeader[];
};

/** Key and value together; errors say which field they belong to ("value: line 2, column 5: ..."). */
export function serializeRecord(input: RecordInput):
  | { readonly ok: true; readonly record: SerializedRecord }
  | { readonly ok: false; readonly errors: ReadonlyArray<{ readonly field: 'key' | 'value'; readonly error: TextError }> } {
  const key = serialize(input.key.text, input.key.kind);
  const value = serialize(input.value.text, input.value.kind);
  const errors: Array<{ field: 'key' | 'value'; error: TextError }> = [];
  if (!key.ok) errors.push({ field: 'key', error: key.error });
  if (!value.ok) errors.push({ field: 'value', error: value.error });
  if (!key.ok || !value.ok) return { ok: false, errors };
  return { ok: true, record: { key: key.bytes, value: value.bytes, headers: input.headers ?? [] } };
}

/** kafkajs's header shape; an array keeps repeated header keys, which Kafka allows. */
export function toKafkaJsHeaders(headers: readonly RecordHeader[]): Record<string, Buffer[]> {
  const out: Record<string, Buffer[]> = {};
  for (const h of headers) (out[h.key] ??= []).push(Buffer.from(h.value, 'utf8'));
  return out;
}

// ---- sizes ------------------------------------------------------------------------------------------------

/** Bytes of an unsigned LEB128 varint (any safe non-negative integer). */
function sizeOfUnsignedVarint(u: number): number {
  let bytes = 1;
  while (u >= 128) {
    u = Math.floor(u / 128);
    bytes++;
  }
  return bytes;
}

/** Kafka's zig-zag varint/varlong size (`ByteUtils.sizeOfVarint`/`sizeOfVarlong`), exact for safe integers. */
export function sizeOfVarint(value: number): number {
  return sizeOfUnsignedVarint(value >= 0 ? value * 2 : -value * 2 - 1);
}

/** The v2 batch header: baseOffset..recordCount (Java `DefaultRecordBatch.RECORD_BATCH_OVERHEAD`). */
export const RECORD_BATCH_OVERHEAD = BATCH_HEADER_SIZE;
/** Worst-case record framing: attributes 1 + timestampDelta 10 + offsetDelta 5 + length 5 (Java). */
export const MAX_RECORD_OVERHEAD = 21;

/** UTF-8 byte length; a short all-ASCII string (the usual header) is sized without crossing into C++. */
function utf8Length(s: string): number {
  if (s.length <= 32) {
    let i = 0;
    while (i < s.length && s.charCodeAt(i) < 0x80) i++;
    if (i === s.length) return i;
  }
  return Buffer.byteLength(s, 'utf8');
}
const bytesField = (len: number | null): number => (len === null ? 1 : sizeOfVarint(len) + len);

// The last headers array measured: records of one producer often share one (a workload's run header), and a
// record's headers are not changed once it is sent, so the same array has the same size.
let lastHeaders: readonly RecordHeader[] | null = null;
let lastHeadersSize = 0;
// The same for the sequence header (one per producer in practice): its name's field and its value's prefix.
let lastSeqHeader: SequenceHeader | null = null;
let lastSeqKeySize = 0;
let lastSeqPrefixSize = 0;

function headersSize(parts: RecordParts): number {
  const headers = parts.headers ?? [];
  const seqHeader = parts.sequenceHeader;
  let size = sizeOfVarint(seqHeader ? headers.length + 1 : headers.length);
  if (headers.length > 0) {
    if (headers !== lastHeaders) {
      let entries = 0;
      for (let i = 0; i < headers.length; i++) entries += bytesField(utf8Length(headers[i].key)) + bytesField(utf8Length(headers[i].value));
      lastHeaders = headers;
      lastHeadersSize = entries;
    }
    size += lastHeadersSize;
  }
  if (seqHeader) {
    if (seqHeader !== lastSeqHeader) {
      lastSeqHeader = seqHeader;
      lastSeqKeySize = bytesField(utf8Length(seqHeader.key));
      lastSeqPrefixSize = utf8Length(seqHeader.prefix);
    }
    size += lastSeqKeySize + bytesField(lastSeqPrefixSize + decimalDigits(parts.sequence ?? 0));
  }
  return size;
}

export interface RecordParts {
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  readonly headers?: readonly RecordHeader[];
  /** A last header whose value ends in `sequence` in decimal (see OutgoingRecord.sequenceHeader). */
  readonly sequenceHeader?: SequenceHeader | null;
  readonly sequence?: number;
}

export interface SerializedSize {
  /** Payload bytes; null for a null key/value (stored as length -1). */
  readonly key: number | null;
  readonly value: number | null;
  /** The encoded header section: count varint plus every header's length-prefixed key and value. */
  readonly headers: number;
  /** The whole v2 record as the first record of a batch, uncompressed, length prefix included. */
  readonly record: number;
}

/** Exact size of one record in a v2 batch (Java `DefaultRecord.sizeInBytes`), length prefix included. */
export function recordV2Size(parts: RecordParts, offsetDelta = 0, timestampDelta = 0): number {
  const body =
    1 + // attributes
    sizeOfVarint(timestampDelta) +
    sizeOfVarint(offsetDelta) +
    bytesField(parts.key?.length ?? null) +
    bytesField(parts.value?.length ?? null) +
    headersSize(parts);
  return sizeOfVarint(body) + body;
}

/** Java's `DefaultRecord.recordSizeUpperBound`: used for the max.request.size and buffer.memory checks. */
export function recordSizeUpperBound(parts: RecordParts): number {
  return (
    MAX_RECORD_OVERHEAD + bytesField(parts.key?.length ?? null) + bytesField(parts.value?.length ?? null) + headersSize(parts)
  );
}

/** A batch holding just this record, upper bound (Java `estimateSizeInBytesUpperBound`). */
export function batchSizeUpperBound(parts: RecordParts): number {
  return RECORD_BATCH_OVERHEAD + recordSizeUpperBound(parts);
}

export function serializedSize(parts: RecordParts): SerializedSize {
  return {
    key: parts.key?.length ?? null,
    value: parts.value?.length ?? null,
    headers: headersSize(parts),
    record: recordV2Size(parts),
  };
}
