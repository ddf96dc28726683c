// Record batch v2 (magic 2): header parsing, the validation a broker does before appending, and the rewrites a
// leader makes when storing (base offset, partition leader epoch). Batches are stored as received otherwise.
import { crc32c } from './crc32c.js';
import { ErrorCode } from './error-codes.js';
import { countRecords, inflateRecords } from './record-count.js';

export const BATCH_HEADER_SIZE = 61;
const CRC_START = 21;

export interface BatchHeader {
  baseOffset: number;
  batchLength: number;
  leaderEpoch: number;
  magic: number;
  crc: number;
  attributes: number;
  codec: number;
  isTransactional: boolean;
  isControl: boolean;
  lastOffsetDelta: number;
  baseTimestamp: number;
  maxTimestamp: number;
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  recordCount: number;
}

/**
 * A signed 64-bit big-endian field as a Number, from its two 32-bit halves: the same value Number(readBigInt64BE)
 * gives (exact below 2^53, else rounded to nearest, as both conversions round), without the BigInts that read
 * allocates (four per field in Node's implementation), which a broker would pay four times per batch.
 */
function readInt64AsNumber(buf: Buffer, at: number): number {
  return buf.readInt32BE(at) * 0x1_0000_0000 + buf.readUInt32BE(at + 4);
}

export function readBatchHeader(buf: Buffer, at = 0): BatchHeader {
  const attributes = buf.readInt16BE(at + 21);
  return {
    baseOffset: readInt64AsNumber(buf, at),
    batchLength: buf.readInt32BE(at + 8),
    leaderEpoch: buf.readInt32BE(at + 12),
    magic: buf.readInt8(at + 16),
    crc: buf.readUInt32BE(at + 17),
    attributes,
    codec: attributes & 0x07,
    isTransactional: (attributes & 0x10) !== 0,
    isControl: (attributes & 0x20) !== 0,
    lastOffsetDelta: buf.readInt32BE(at + 23),
    baseTimestamp: readInt64AsNumber(buf, at + 27),
    maxTimestamp: readInt64AsNumber(buf, at + 35),
    producerId: readInt64AsNumber(buf, at + 43),
    producerEpoch: buf.readInt16BE(at + 51),
    baseSequence: buf.readInt32BE(at + 53),
    recordCount: buf.readInt32BE(at + 57),
  };
}

export type BatchCheck = { ok: true; batches: { header: BatchHeader; bytes: Buffer }[] } | { ok: false; error: number; message: string };

/**
 * Splits a Produce partition's record set into batches and validates each, in kfake's order.
 * `allowZstd` is false below Produce v7.
 */
export function validateRecordSet(records: Buffer, allowZstd: boolean): BatchCheck {
  // Made with its first batch: most record sets hold one, and a list made empty then pushed to reserves room for 17.
  let batches: { header: BatchHeader; bytes: Buffer }[] | null = null;
  let at = 0;
  if (records.length === 0) return { ok: false, error: ErrorCode.CORRUPT_MESSAGE, message: 'empty record set' };
  while (at < records.length) {
    if (records.length - at < BATCH_HEADER_SIZE) {
      return { ok: false, error: ErrorCode.CORRUPT_MESSAGE, message: 'truncated batch header' };
    }
    const magic = records.readInt8(at + 16);
    if (magic !== 2) return { ok: false, error: ErrorCode.CORRUPT_MESSAGE, message: `unsupported magic ${magic}` };
    const header = readBatchHeader(records, at);
    const size = header.batchLength + 12;
    if (header.batchLength < BATCH_HEADER_SIZE - 12 || at + size > records.length) {
      return { ok: false, error: ErrorCode.CORRUPT_MESSAGE, message: `batch length ${header.batchLength} does not match the bytes sent` };
    }
    if (header.baseOffset !== 0) {
      return { ok: false, error: ErrorCode.CORRUPT_MESSAGE, message: `first offset ${header.baseOffset} is not 0` };
    }
    const bytes = records.subarray(at, at + size);
    const crc = crc32c(bytes.subarray(CRC_START));
    if (crc !== header.crc) return { ok: false, error: ErrorCode.CORRUPT_MESSAGE, message: 'CRC-32C mismatch' };
    if (header.isControl) return { ok: false, error: ErrorCode.INVALID_RECORD, message: 'clients may not send control batches' };
    if (header.codec > 4) return { ok: false, error: ErrorCode.CORRUPT_MESSAGE, message: `unknown codec ${header.codec}` };
    if (header.codec === 4 && !allowZstd) {
      return { ok: false, error: ErrorCode.UNSUPPORTED_COMPRESSION_TYPE, message: 'zstd needs Produce v7' };
    }
    if (header.recordCount < 1 || header.lastOffsetDelta !== header.recordCount - 1) {
      return { ok: false, error: ErrorCode.CORRUPT_MESSAGE, message: 'last offset delta does not match the record count' };
    }
    const counted = checkRecordCount(header, bytes);
    if (counted) return { ok: false, error: ErrorCode.INVALID_RECORD, message: counted };
    if (batches === null) batches = [{ header, bytes }];
    else batches.push({ header, bytes });
    at += size;
  }
  return { ok: true, batches: batches! };
}

/**
 * The records a batch holds must be the count its header declares (a count of 2^31-1 over one record would move
 * the log end by two billion). Returns why not, or null. Snappy and lz4 batches are not inflated here: their count
 * is bounded by the last offset delta check only.
 */
function checkRecordCount(header: BatchHeader, bytes: Buffer): string | null {
  let records: Buffer = bytes;
  let start = BATCH_HEADER_SIZE;
  if (header.codec !== 0) {
    const inflated = inflateRecords(header.codec, bytes.subarray(BATCH_HEADER_SIZE));
    if (inflated === null) return null;
    if ('error' in inflated) return inflated.error;
    records = inflated;
    start = 0;
  }
  const counted = countRecords(records, start, records.length, header.recordCount);
  if (!counted.ok) return counted.message;
  if (counted.count !== header.recordCount) {
    return `the batch declares ${header.recordCount} records but holds ${counted.count > header.recordCount ? 'more' : counted.count}`;
  }
  return null;
}

/**
 * Sets the batch's base offset and partition leader epoch in place and returns it: the log keeps the request's own
 * bytes, no copy. Both fields lie before the attributes, where the CRC starts, so the CRC stays valid.
 */
export function rewriteForLog(bytes: Buffer, baseOffset: number, leaderEpoch: number): Buffer {
  bytes.writeInt32BE(Math.floor(baseOffset / 0x1_0000_0000), 0);
  bytes.writeUInt32BE(baseOffset >>> 0, 4);
  bytes.writeInt32BE(leaderEpoch, 12);
  return bytes;
}

/** A transaction marker batch (control + transactional) with one record: key {0, type}, value {0, coordinatorEpoch}. */
export function buildControlBatch(opts: {
  commit: boolean;
  producerId: number;
  producerEpoch: number;
  timestamp: number;
  coordinatorEpoch?: number;
}): Buffer {
  const key = Buffer.alloc(4);
  key.writeInt16BE(0, 0);
  key.writeInt16BE(opts.commit ? 1 : 0, 2);
  const value = Buffer.alloc(6);
  value.writeInt16BE(0, 0);
  value.writeInt32BE(opts.coordinatorEpoch ?? 0, 2);
  // Record: length, attributes, timestampDelta, offsetDelta, key, value, headers (all varints are single bytes here).
  const body = Buffer.concat([
    Buffer.from([0, 0, 0]), // attributes 0, timestampDelta 0, offsetDelta 0
    Buffer.from([key.length << 1]), key,
    Buffer.from([value.length << 1]), value,
    Buffer.from([0]), // no headers
  ]);
  const record = Buffer.concat([Buffer.from([body.length << 1]), body]);
  const batch = Buffer.alloc(BATCH_HEADER_SIZE + record.length);
  batch.writeBigInt64BE(0n, 0);
  batch.writeInt32BE(batch.length - 12, 8);
  batch.writeInt32BE(0, 12);
  batch.writeInt8(2, 16);
  batch.writeInt16BE(0x30, 21);
  batch.writeInt32BE(0, 23);
  batch.writeBigInt64BE(BigInt(opts.timestamp), 27);
  batch.writeBigInt64BE(BigInt(opts.timestamp), 35);
  batch.writeBigInt64BE(BigInt(opts.producerId), 43);
  batch.writeInt16BE(opts.producerEpoch, 51);
  batch.writeInt32BE(-1, 53);
  batch.writeInt32BE(1, 57);
  record.copy(batch, BATCH_HEADER_SIZE);
  batch.writeUInt32BE(crc32c(batch.subarray(CRC_START)), 17);
  return batch;
}
