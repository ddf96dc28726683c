// Reads records out of v2 record batches without building record objects: per record only its offset, its key's
// bytes and the values of a few named headers, for a reader that looks at nothing else (the delivery audit reads
// one header of every record). The layout is Kafka's DefaultRecordBatch / DefaultRecord: a 61-byte batch header,
// then per record a zigzag-varint length, attributes, timestamp delta, offset delta, key, value and headers.
import { BATCH_HEADER_SIZE, readBatchHeader, type BatchHeader } from './record-batch.js';
import { ProtocolError } from './reader.js';

/** One whole batch of a record set: its header and its records section (still compressed if codec is not 0). */
export interface BatchSlice {
  header: BatchHeader;
  /** The records section: the bytes after the batch header. */
  records: Buffer;
}

/**
 * The whole batches of a fetched record set, in order. A fetch may end in a partial batch (cut at the partition's
 * byte limit); it is left out. Batches of an older magic are refused.
 */
export function wholeBatches(recordSet: Buffer): BatchSlice[] {
  const out: BatchSlice[] = [];
  let at = 0;
  while (recordSet.length - at >= BATCH_HEADER_SIZE) {
    const size = recordSet.readInt32BE(at + 8) + 12;
    if (at + size > recordSet.length) break;
    const magic = recordSet.readInt8(at + 16);
    if (magic !== 2) throw new ProtocolError(`record batch at ${at}: magic ${magic}, only v2 batches are read`);
    out.push({ header: readBatchHeader(recordSet, at), records: recordSet.subarray(at + BATCH_HEADER_SIZE, at + size) });
    at += size;
  }
  return out;
}

/** What a record walk hands over: the offset, the key (a view into the batch, null for a null key), header values. */
export type RecordVisitor = (offset: number, key: Buffer | null, values: readonly (string | null)[]) => void;

/**
 * Walks the records of an (uncompressed) records section: `wanted` names the headers to pick (the first of each
 * name, as UTF-8 text); `values` is reused between records. Throws on a malformed record.
 */
export function walkRecords(records: Buffer, baseOffset: number, wanted: readonly Buffer[], visit: RecordVisitor): void {
  // Filled by push, not wanted.map(): TurboFan's inlined map() made the array with another hidden class than the
  // unoptimized code had seen, and the walk's optimized code was thrown away on its first batch.
  const values: (string | null)[] = [];
  for (let i = 0; i < wanted.length; i++) values.push(null);
  let at = 0;
  const end = records.length;
  // Zigzag varints (Kafka's ByteUtils.readVarint/readVarlong); lengths and deltas fit in a JS number.
  const varint = (): number => {
    let raw = 0;
    let mul = 1;
    let b: number;
    do {
      if (at >= end) throw new ProtocolError('record runs past its batch');
      b = records[at++];
      raw += (b & 0x7f) * mul;
      mul *= 128;
    } while (b & 0x80);
    return raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
  };
  while (at < end) {
    const length = varint();
    const next = at + length;
    if (length < 1 || next > end) throw new ProtocolError(`record length ${length} runs past its batch`);
    at++; // attributes
    varint(); // timestamp delta
    const offsetDelta = varint();
    const keyLength = varint();
    const key = keyLength < 0 ? null : records.subarray(at, at + keyLength);
    if (keyLength > 0) at += keyLength;
    const valueLength = varint();
    if (valueLength > 0) at += valueLength;
    for (let i = 0; i < values.length; i++) values[i] = null;
    const headers = varint();
    for (let h = 0; h < headers; h++) {
      const nameLength = varint();
      const nameAt = at;
      at += nameLength;
      const valueLen = varint();
      for (let i = 0; i < wanted.length; i++) {
        if (values[i] === null && sameBytes(records, nameAt, nameLength, wanted[i])) {
          values[i] = valueLen < 0 ? null : records.toString('utf8', at, at + valueLen);
          break;
        }
      }
      if (valueLen > 0) at += valueLen;
    }
    if (at !== next) throw new ProtocolError(`record at offset delta ${offsetDelta}: its fields do not fill its length`);
    visit(baseOffset + offsetDelta, key, values);
  }
}

function sameBytes(buf: Buffer, at: number, length: number, name: Buffer): boolean {
  if (length !== name.length) return false;
  for (let i = length - 1; i >= 0; i--) if (buf[at + i] !== name[i]) return false;
  return true;
}

/** A control batch's marker (its one record's key: version int16, type int16): true for ABORT, false for COMMIT. */
export function isAbortMarker(records: Buffer): boolean {
  let abort = false;
  walkRecords(records, 0, [], (_o, key) => {
    if (key && key.length >= 4) abort = key.readInt16BE(2) === 0;
  });
  return abort;
}
