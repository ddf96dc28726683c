// Counts the records a v2 batch really holds, for the broker's check against the header's recordCount (Kafka's
// DefaultRecordBatch iterator throws InvalidRecordException when they differ). Each record starts with its length
// as a zigzag varint, so counting walks lengths without decoding fields. Compressed batches are inflated first:
// gzip and zstd with Node's zlib, bounded so that a small batch cannot inflate into gigabytes.
import zlib from 'node:zlib';

/** The most bytes a compressed batch may inflate to before it is refused (a decompression bomb). */
export const MAX_INFLATED_BYTES = 64 * 1024 * 1024;

export type RecordCount = { ok: true; count: number } | { ok: false; message: string };

/**
 * Records in `buf` from `start` to `end`, counting no further than `expected + 1`. A length running past the end
 * is an error.
 */
export function countRecords(buf: Uint8Array, start: number, end: number, expected: number): RecordCount {
  let at = start;
  let count = 0;
  while (at < end) {
    // Zigzag varint (at most 5 bytes for an int32).
    let raw = 0;
    let shift = 0;
    let b: number;
    do {
      if (at >= end || shift > 28) return { ok: false, message: `record ${count}: malformed length` };
      b = buf[at++];
      raw |= (b & 0x7f) << shift;
      shift += 7;
    } while (b & 0x80);
    const length = (raw >>> 1) ^ -(raw & 1);
    if (length < 1 || at + length > end) return { ok: false, message: `record ${count}: length ${length} runs past the batch` };
    at += length;
    if (++count > expected) break;
  }
  return { ok: true, count };
}

/** The record bytes of a compressed batch, or null when this build cannot inflate that codec (snappy, lz4). */
export function inflateRecords(codec: number, compressed: Buffer): Buffer | null | { error: string } {
  const opts = { maxOutputLength: MAX_INFLATED_BYTES };
  try {
    if (codec === 1) return zlib.gunzipSync(compressed, opts);
    if (codec === 4 && typeof zlib.zstdDecompressSync === 'function') return zlib.zstdDecompressSync(compressed, opts);
  } catch (e) {
    return { error: `cannot decompress: ${(e as Error).message}` };
  }
  return null;
}
