// CRC-32C (Castagnoli) as record batches v2 use it; Node's zlib.crc32 is the IEEE polynomial, which Kafka does not use.
// From WASM_MIN bytes it runs in hash-wasm's WebAssembly CRC-32 set to Castagnoli's polynomial (slicing-by-8 compiled
// to WASM, faster than JS tables on a batch: bench/crc32c.ts); below that, and for any call made before the WASM
// module is instantiated (asynchronously, at import), SheetJS's crc-32 tables in JS, which win on small inputs where
// copying into WASM memory and the calls across cost more than they save.
import CRC32C from 'crc-32/crc32c.js';
import { createCRC32, type IHasher } from 'hash-wasm/dist/crc32.umd.min.js';

/** Castagnoli's polynomial, reflected. */
const CASTAGNOLI = 0x82f63b78;
/** From this many bytes the WASM CRC is faster than the JS tables (bench/crc32c.ts). */
export const WASM_MIN = 2048;

let wasm: IHasher | null = null;
/** Settles once the WASM CRC is ready (or could not be had: the JS tables then serve every size). */
export const crc32cReady: Promise<void> = createCRC32(CASTAGNOLI).then(
  (h) => {
    wasm = h;
  },
  () => undefined,
);

export function crc32c(buf: Uint8Array): number {
  if (wasm === null || buf.length < WASM_MIN) return CRC32C.buf(buf, 0) >>> 0;
  wasm.init();
  wasm.update(buf);
  const d = wasm.digest('binary');
  return ((d[0] << 24) | (d[1] << 16) | (d[2] << 8) | d[3]) >>> 0;
}

/** The JS tables alone, at every size (the fallback, and the figure bench/crc32c.ts compares against). */
export function crc32cTables(buf: Uint8Array): number {
  return CRC32C.buf(buf, 0) >>> 0;
}
