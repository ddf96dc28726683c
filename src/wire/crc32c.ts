// CRC-32C (Castagnoli) as record batches v2 use it. SheetJS's crc-32 package ships a table-driven CRC-32C;
// Node's zlib.crc32 is the IEEE polynomial, which Kafka does not use.
import CRC32C from 'crc-32/crc32c.js';

export function crc32c(buf: Uint8Array): number {
  return CRC32C.buf(buf, 0) >>> 0;
}
