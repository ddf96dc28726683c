// CRC-32C (Castagnoli) as record batches v2 use it; Node's zlib.crc32 is the IEEE polynomial, which Kafka does not use.
// From WASM_MIN bytes it runs in our own WebAssembly slicing-by-16 (crc32c.wat; faster than hash-wasm's slicing-by-8
// CRC on a batch: bench/crc32c.ts); below that SheetJS's crc-32 tables in JS, which win on small inputs where copying
// into WASM memory and the call across cost more than they save.
import CRC32C from 'crc-32/crc32c.js';
import { crc32cWasm } from './crc32c-wasm.js';

/** From this many bytes the WASM CRC is faster than the JS tables (bench/crc32c.ts). */
export const WASM_MIN = 256;

export function crc32c(buf: Uint8Array): number {
  if (buf.length < WASM_MIN || crc32cWasm === null) return CRC32C.buf(buf, 0) >>> 0;
  return crc32cWasm(buf);
}

/** The JS tables alone, at every size (the fallback, and the figure bench/crc32c.ts compares against). */
export function crc32cTables(buf: Uint8Array): number {
  return CRC32C.buf(buf, 0) >>> 0;
}
