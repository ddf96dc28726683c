// Record batch v2 (magic 2) as a producer writes it: measured once, written once into one buffer of the exact
// size, with no buffer per record or per header (header strings are written straight into the batch). The
// producer fields (id, epoch, base sequence, transactional bit) can be stamped again for a re-send under a new
// epoch, as Java's ProducerBatch.resetProducerState does, recomputing the CRC-32C.
import { crc32c } from './crc32c.js';

import { BATCH_HEADER_SIZE as BATCH_OVERHEAD } from './record-batch.js';

export { BATCH_OVERHEAD };
const CRC_AT = 17;
const CRC_START = 21;
const TRANSACTIONAL = 0x10;

/**
 * A header whose value ends in a number of the record's own: named `key`, its value `prefix` then the record's
 * `sequence` in decimal ASCII (e.g. an audit's "run:sequence"). Records share one such object; each record's value is
 * written straight into the batch, with no string per record.
 */
export interface SequenceHeader {
  readonly key: string;
  readonly prefix: string;
}

export interface BatchRecordParts {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: readonly { readonly key: string; readonly value: string }[];
  /** One more header after `headers`, whose value ends in `sequence` (see SequenceHeader). */
  readonly sequenceHeader?: SequenceHeader | null;
  /** A whole number 0 or more; read only with sequenceHeader. */
  readonly sequence?: number;
  /** Create time, ms since the epoch. */
  readonly timestamp: number;
}

export interface BatchProducerState {
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  transactional: boolean;
}

export const NO_PRODUCER: BatchProducerState = Object.freeze({ producerId: -1, producerEpoch: -1, baseSequence: -1, transactional: false });

const zigzag = (v: number): number => (v >= 0 ? v * 2 : -v * 2 - 1);

function uvarintSize(u: number): number {
  let n = 1;
  while (u >= 128) {
    u = Math.floor(u / 128);
    n++;
  }
  return n;
}

const varintSize = (v: number): number => uvarintSize(zigzag(v));

// Header keys and values are short ASCII in practice (an id, a sequence number). Below this length a JS loop sizes
// and writes them faster than Buffer.byteLength / buf.write, which each cross into C++ per call.
const SHORT_STRING = 32;

/** UTF-8 byte length; a short all-ASCII string is its own length. */
function utf8Size(s: string): number {
  if (s.length <= SHORT_STRING) {
    let i = 0;
    while (i < s.length && s.charCodeAt(i) < 0x80) i++;
    if (i === s.length) return i;
  }
  return Buffer.byteLength(s, 'utf8');
}

/** 10, 100, ... 10^15: the smallest number of 2, 3, ... 16 decimal digits. */
const DIGIT_STEPS = [1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

// The range of numbers with as many digits as the last one counted: a producer's sequences come in order, so nearly
// every call is answered by the two comparisons, the same two every time.
let sameDigitsFrom = 0;
let sameDigitsBelow = 10;
let sameDigits = 1;

/**
 * Decimal digits of a whole number 0 or more. No chain of ifs: in a chain, the first sequence of 5 digits (10,000
 * records in) reaches a comparison never run before, and V8 throws away the optimized code of every function this
 * one is inlined into (the batch builder's measure and write, the accumulator's admit) and compiles it again seconds
 * later. A loop over the powers of ten finds the count when it changes.
 */
export function decimalDigits(n: number): number {
  if (n >= sameDigitsFrom && n < sameDigitsBelow) return sameDigits;
  let d = 1;
  while (d <= DIGIT_STEPS.length && n >= DIGIT_STEPS[d - 1]) d++;
  if (d <= DIGIT_STEPS.length) {
    sameDigitsFrom = d === 1 ? 0 : DIGIT_STEPS[d - 2];
    sameDigitsBelow = DIGIT_STEPS[d - 1];
    sameDigits = d;
    return d;
  }
  for (n = Math.floor(n / 1e16); n > 0; n = Math.floor(n / 10)) d++;
  return d;
}

/** Writes the whole number `n` (0 or more, `digits` long) as decimal ASCII at `at`; returns the end. */
function writeDecimal(buf: Buffer, at: number, n: number, digits: number): number {
  const end = at + digits;
  let i = end - 1;
  // Above int32, floating division; below, int32 arithmetic (what a sequence number almost always is).
  for (; n > 0x7fffffff; i--) {
    const q = Math.floor(n / 10);
    buf[i] = 48 + (n - q * 10);
    n = q;
  }
  for (; i >= at; i--) {
    const q = (n / 10) | 0;
    buf[i] = 48 + (n - q * 10);
    n = q;
  }
  return end;
}

/** Writes `s`, whose UTF-8 size `size` was measured, at `at`; returns the end. */
function writeUtf8(buf: Buffer, at: number, s: string, size: number): number {
  if (size === s.length && size <= SHORT_STRING) {
    for (let i = 0; i < size; i++) buf[at + i] = s.charCodeAt(i);
    return at + size;
  }
  return at + buf.write(s, at, size, 'utf8');
}

function writeVarint(buf: Buffer, at: number, v: number): number {
  let u = zigzag(v);
  while (u >= 128) {
    buf[at++] = (u % 128) | 128;
    u = Math.floor(u / 128);
  }
  buf[at++] = u;
  return at;
}

function writeLong(buf: Buffer, at: number, v: number): void {
  const hi = Math.floor(v / 4294967296);
  buf.writeInt32BE(hi, at);
  buf.writeUInt32BE(v - hi * 4294967296, at + 4);
}

// Scratch sizes per record and per header string, reused across batches (grown on demand).
let bodySizes: Int32Array = new Int32Array(1024);
let stringSizes: Int32Array = new Int32Array(1024);

function grow(a: Int32Array, n: number): Int32Array {
  if (a.length >= n) return a;
  let size = a.length;
  while (size < n) size *= 2;
  return new Int32Array(size);
}

/**
 * The records section's size (what follows the 61-byte header); fills the scratch arrays used by writeRecords.
 * Records of one producer often share one headers array (the same run header on every record): its entries are
 * measured once per run of records sharing it, and writeRecords copies their bytes from the record before.
 */
function measure(records: readonly BatchRecordParts[], baseTimestamp: number): number {
  bodySizes = grow(bodySizes, records.length);
  let strings = 0;
  for (const r of records) strings += r.headers.length * 2;
  stringSizes = grow(stringSizes, strings);
  let total = 0;
  let s = 0;
  let shared: BatchRecordParts['headers'] | null = null;
  let sharedSize = 0;
  let seqHeader: SequenceHeader | null = null;
  let seqKeySize = 0;
  let seqPrefixSize = 0;
  for (let i = 0; i < records.length; i++) {
    const r = records[i];
    let body = 1 + varintSize(r.timestamp - baseTimestamp) + varintSize(i);
    body += r.key === null ? 1 : varintSize(r.key.length) + r.key.length;
    body += r.value === null ? 1 : varintSize(r.value.length) + r.value.length;
    const hs = r.headers;
    const sequenceHeader = r.sequenceHeader;
    body += varintSize(sequenceHeader ? hs.length + 1 : hs.length);
    if (hs.length > 0) {
      if (hs !== shared) {
        shared = hs;
        sharedSize = 0;
        for (let h = 0; h < hs.length; h++) {
          const k = utf8Size(hs[h].key);
          const v = utf8Size(hs[h].value);
          stringSizes[s++] = k;
          stringSizes[s++] = v;
          sharedSize += varintSize(k) + k + varintSize(v) + v;
        }
      }
      body += sharedSize;
    }
    if (sequenceHeader) {
      if (sequenceHeader !== seqHeader) {
        seqHeader = sequenceHeader;
        seqKeySize = utf8Size(sequenceHeader.key);
        seqPrefixSize = utf8Size(sequenceHeader.prefix);
      }
      const v = seqPrefixSize + decimalDigits(r.sequence ?? 0);
      body += varintSize(seqKeySize) + seqKeySize + varintSize(v) + v;
    }
    bodySizes[i] = body;
    total += varintSize(body) + body;
  }
  return total;
}

/** Writes the records measured by the last measure() call at `at`; returns the end. */
function writeRecords(buf: Buffer, at: number, records: readonly BatchRecordParts[], baseTimestamp: number): number {
  let s = 0;
  let shared: BatchRecordParts['headers'] | null = null;
  let prefixHeaders: BatchRecordParts['headers'] | null = null;
  let prefixSequenceHeader: SequenceHeader | null = null;
  let prefixStart = 0;
  let prefixEnd = 0;
  let seqPrefixSize = 0;
  // The header section of the last record written with a sequence header: where it is, its sequence and digits.
  let lastStart = 0;
  let lastEnd = 0;
  let lastSeq = -2;
  let lastDigits = 0;
  for (let i = 0; i < records.length; i++) {
    const r = records[i];
    at = writeVarint(buf, at, bodySizes[i]);
    buf[at++] = 0; // attributes
    at = writeVarint(buf, at, r.timestamp - baseTimestamp);
    at = writeVarint(buf, at, i);
    if (r.key === null) at = writeVarint(buf, at, -1);
    else {
      at = writeVarint(buf, at, r.key.length);
      at += r.key.copy(buf, at);
    }
    if (r.value === null) at = writeVarint(buf, at, -1);
    else {
      at = writeVarint(buf, at, r.value.length);
      at += r.value.copy(buf, at);
    }
    const hs = r.headers;
    const sequenceHeader = r.sequenceHeader ?? null;
    const sectionStart = at;
    if (hs === prefixHeaders && sequenceHeader === prefixSequenceHeader) {
      if (sequenceHeader !== null && r.sequence === lastSeq + 1 && decimalDigits(lastSeq + 1) === lastDigits) {
        at = nextSequenceSection(buf, at, lastStart, lastEnd);
        lastStart = sectionStart;
        lastEnd = at;
        lastSeq++;
        continue;
      }
      // The same headers as the record before: copy their bytes (the count, the entries, the sequence header's name).
      buf.copyWithin(at, prefixStart, prefixEnd);
      at += prefixEnd - prefixStart;
    } else {
      prefixHeaders = hs;
      prefixSequenceHeader = sequenceHeader;
      prefixStart = at;
      at = writeVarint(buf, at, sequenceHeader ? hs.length + 1 : hs.length);
      // measure() sized the strings of an array unlike the last non-empty one before it, as here.
      const measured = hs.length > 0 && hs !== shared;
      if (hs.length > 0) shared = hs;
      for (let h = 0; h < hs.length; h++) {
        const k = measured ? stringSizes[s++] : utf8Size(hs[h].key);
        at = writeVarint(buf, at, k);
        at = writeUtf8(buf, at, hs[h].key, k);
        const v = measured ? stringSizes[s++] : utf8Size(hs[h].value);
        at = writeVarint(buf, at, v);
        at = writeUtf8(buf, at, hs[h].value, v);
      }
      if (sequenceHeader) {
        const k = utf8Size(sequenceHeader.key);
        at = writeVarint(buf, at, k);
        at = writeUtf8(buf, at, sequenceHeader.key, k);
        seqPrefixSize = utf8Size(sequenceHeader.prefix);
      }
      prefixEnd = at;
    }
    if (sequenceHeader) {
      const n = r.sequence ?? 0;
      const digits = decimalDigits(n);
      at = writeVarint(buf, at, seqPrefixSize + digits);
      at = writeUtf8(buf, at, sequenceHeader.prefix, seqPrefixSize);
      at = writeDecimal(buf, at, n, digits);
      lastStart = sectionStart;
      lastEnd = at;
      lastSeq = n;
      lastDigits = digits;
    }
  }
  return at;
}

/**
 * The header section of a record whose headers are the last stamped record's and whose sequence is that one's plus
 * one, with as many digits (a key's next record in its batch: nearly every record): that section copied byte for
 * byte (a loop: a call into C++ costs more for ~20 bytes), then its last digits counted up by one in place. Returns
 * the end.
 */
function nextSequenceSection(buf: Buffer, at: number, from: number, to: number): number {
  for (let j = from; j < to; j++) buf[at++] = buf[j];
  let i = at - 1;
  while (buf[i] === 57) buf[i--] = 48; // '9' -> '0', carry
  buf[i]++;
  return at;
}

function timestamps(records: readonly BatchRecordParts[]): { first: number; max: number } {
  let max = -Infinity;
  for (const r of records) if (r.timestamp > max) max = r.timestamp;
  return { first: records[0].timestamp, max };
}

/** The uncompressed records section alone: what a codec compresses. */
export function encodeRecords(records: readonly BatchRecordParts[]): Buffer {
  const base = records[0].timestamp;
  const out = Buffer.allocUnsafe(measure(records, base));
  writeRecords(out, 0, records, base);
  return out;
}

function writeHeader(buf: Buffer, records: readonly BatchRecordParts[], codec: number, state: BatchProducerState): void {
  const { first, max } = timestamps(records);
  writeLong(buf, 0, 0);
  buf.writeInt32BE(buf.length - 12, 8);
  buf.writeInt32BE(-1, 12); // partition leader epoch: the broker sets it
  buf[16] = 2;
  buf.writeInt16BE(codec | (state.transactional ? TRANSACTIONAL : 0), 21);
  buf.writeInt32BE(records.length - 1, 23);
  writeLong(buf, 27, first);
  writeLong(buf, 35, max);
  writeLong(buf, 43, state.producerId);
  buf.writeInt16BE(state.producerEpoch, 51);
  buf.writeInt32BE(state.baseSequence, 53);
  buf.writeInt32BE(records.length, 57);
}

/**
 * One v2 batch. Without `compressed` the records are written in place; with it, `compressed` is the records
 * section (from encodeRecords) after the codec `codec` (Kafka's attribute value: 1 gzip, 2 snappy, 3 lz4, 4 zstd).
 */
export function buildRecordBatch(records: readonly BatchRecordParts[], state: BatchProducerState = NO_PRODUCER, compressed?: { codec: number; bytes: Buffer }): Buffer {
  if (records.length === 0) throw new Error('a record batch needs at least one record');
  let buf: Buffer;
  if (compressed) {
    buf = Buffer.allocUnsafe(BATCH_OVERHEAD + compressed.bytes.length);
    compressed.bytes.copy(buf, BATCH_OVERHEAD);
    writeHeader(buf, records, compressed.codec, state);
  } else {
    const base = records[0].timestamp;
    buf = Buffer.allocUnsafe(BATCH_OVERHEAD + measure(records, base));
    writeRecords(buf, BATCH_OVERHEAD, records, base);
    writeHeader(buf, records, 0, state);
  }
  buf.writeUInt32BE(crc32c(buf.subarray(CRC_START)), CRC_AT);
  return buf;
}

/** The batch's producer fields, as written. */
export function batchProducerState(batch: Buffer): BatchProducerState {
  return {
    producerId: batch.readInt32BE(43) * 4294967296 + batch.readUInt32BE(47),
    producerEpoch: batch.readInt16BE(51),
    baseSequence: batch.readInt32BE(53),
    transactional: (batch.readInt16BE(21) & TRANSACTIONAL) !== 0,
  };
}

/** Rewrites the producer fields in place (a re-send under a new epoch or sequence) and the CRC they are under. */
export function stampProducerState(batch: Buffer, state: BatchProducerState): void {
  const attributes = batch.readInt16BE(21);
  batch.writeInt16BE(state.transactional ? attributes | TRANSACTIONAL : attributes & ~TRANSACTIONAL, 21);
  writeLong(batch, 43, state.producerId);
  batch.writeInt16BE(state.producerEpoch, 51);
  batch.writeInt32BE(state.baseSequence, 53);
  batch.writeUInt32BE(crc32c(batch.subarray(CRC_START)), CRC_AT);
}
