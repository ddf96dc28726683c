// CRC-32C (Castagnoli) throughput in this Node: what record batches use (src/wire/crc32c.ts: our WASM slicing-by-16
// from WASM_MIN bytes, SheetJS's crc-32 tables below), hash-wasm's WASM CRC (slicing-by-8, used before), the tables
// alone, a slicing-by-16 in JS reading 32-bit words (tried as a replacement), and the one-table loop (RFC 3720's algorithm, the oracle test/wire/crc32c.test.ts checks
// against). Sizes span a small batch to kcat's 1 MB batches; each figure is the median of 5 interleaved runs, in MB/s.
//   npm run bench -- bench/crc32c.ts [--mb 256]
import CRC32C from 'crc-32/crc32c.js';
import { endianness } from 'node:os';
import { crc32c, crc32cTables, WASM_MIN } from '../src/wire/crc32c.js';
import { createCRC32 } from 'hash-wasm/dist/crc32.umd.min.js';

const POLY = 0x82f63b78;
function tables(): Int32Array[] {
  const t0 = new Int32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? POLY ^ (c >>> 1) : c >>> 1;
    t0[i] = c;
  }
  const out = [t0];
  for (let k = 1; k < 16; k++) {
    const prev = out[k - 1];
    const cur = new Int32Array(256);
    for (let i = 0; i < 256; i++) cur[i] = (prev[i] >>> 8) ^ t0[prev[i] & 0xff];
    out.push(cur);
  }
  return out;
}

const [T0, T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15] = tables();
/** Word reads assume little-endian memory (every platform Node ships for); elsewhere bytes only. */
const WORDS = endianness() === 'LE';
/** Below this, setting up a word view costs more than it saves. */
const WORD_MIN = 64;

/** The alternative tried: slicing-by-16 reading 32-bit words (4 loads per 16 bytes instead of 16). */
function crc32cWords(buf: Uint8Array): number {
  let c = -1;
  let i = 0;
  const n = buf.length;
  if (WORDS && n >= WORD_MIN) {
    const start = buf.byteOffset;
    while ((start + i) & 3) c = T0[(c ^ buf[i++]) & 0xff] ^ (c >>> 8);
    const blocks = (n - i) >>> 4;
    const u = new Int32Array(buf.buffer, start + i, blocks << 2);
    for (let w = 0; w < u.length; w += 4) {
      const a = c ^ u[w];
      const b = u[w + 1];
      const d = u[w + 2];
      const e = u[w + 3];
      c =
        T15[a & 0xff] ^ T14[(a >>> 8) & 0xff] ^ T13[(a >>> 16) & 0xff] ^ T12[a >>> 24] ^
        T11[b & 0xff] ^ T10[(b >>> 8) & 0xff] ^ T9[(b >>> 16) & 0xff] ^ T8[b >>> 24] ^
        T7[d & 0xff] ^ T6[(d >>> 8) & 0xff] ^ T5[(d >>> 16) & 0xff] ^ T4[d >>> 24] ^
        T3[e & 0xff] ^ T2[(e >>> 8) & 0xff] ^ T1[(e >>> 16) & 0xff] ^ T0[e >>> 24];
    }
    i += blocks << 4;
  }
  for (; i < n; i++) c = T0[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

const TABLE = T0;

/** One table, one byte per step: the classic loop (RFC 3720 appendix B.4 computes the same). */
export function crc32cReference(buf: Uint8Array): number {
  let c = -1;
  for (let i = 0; i < buf.length; i++) c = TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

const hasher = await createCRC32(0x82f63b78);
const candidates: [string, (b: Uint8Array) => number][] = [
  ['wire/crc32c (in use)', crc32c],
  ['hash-wasm alone', (b) => {
    hasher.init();
    const d = hasher.update(b).digest('binary');
    return ((d[0] << 24) | (d[1] << 16) | (d[2] << 8) | d[3]) >>> 0;
  }],
  ['crc-32 (JS tables)', crc32cTables],
  ['crc-32 package direct', (b) => CRC32C.buf(b, 0) >>> 0],
  ['slicing-16 words', crc32cWords],
  ['reference (1 table)', crc32cReference],
];

const mbArg = process.argv.indexOf('--mb');
const totalBytes = (mbArg >= 0 ? Number(process.argv[mbArg + 1]) : 256) * 1024 * 1024;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

console.log(`wire/crc32c switches to WASM from ${WASM_MIN} bytes`);
console.log(`CRC-32C throughput, MB/s (median of 5 runs of ${totalBytes / 1024 / 1024} MiB each; the reference gets 1/8 of that)`);
const sizes = [100, 256, 512, 1024, 2048, 4096, 65536, 1 << 20];
console.log(`${'bytes per call'.padEnd(22)}${sizes.map((s) => String(s).padStart(10)).join('')}`);
const rows = new Map<string, number[][]>(candidates.map(([n]) => [n, sizes.map((): number[] => [])]));
for (let rep = 0; rep < 5; rep++) {
  sizes.forEach((size, si) => {
    // An odd offset: socket chunks rarely start on a word boundary.
    const backing = Buffer.alloc(size + 3);
    for (let i = 0; i < backing.length; i++) backing[i] = (i * 131 + 17) & 0xff;
    const buf = backing.subarray(3);
    const expected = crc32cReference(buf);
    for (const [name, f] of candidates) {
      if (f(buf) !== expected) throw new Error(`${name} disagrees with the reference at ${size} bytes`);
      const budget = name.startsWith('reference') ? totalBytes / 8 : totalBytes;
      const calls = Math.max(1, Math.floor(budget / size));
      const t0 = performance.now();
      for (let i = 0; i < calls; i++) f(buf);
      rows.get(name)![si].push((calls * size) / ((performance.now() - t0) / 1000) / 1e6);
    }
  });
}
for (const [name, perSize] of rows) console.log(`${name.padEnd(22)}${perSize.map((xs) => median(xs).toFixed(0).padStart(10)).join('')}`);
