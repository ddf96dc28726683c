// The slicing-by-16 CRC-32C of crc32c.wat, run in WebAssembly: the bytes are copied into the module's memory (after
// its tables) and checked there. Compiled synchronously at import: the module is a few hundred bytes.
import { CRC32C_WASM_BASE64 } from './crc32c-wasm.generated.js';

/** Castagnoli's polynomial, reflected. */
const CASTAGNOLI = 0x82f63b78;
/** The 16 tables of 256 entries come first in memory; the bytes to check follow. */
const DATA_AT = 16 * 256 * 4;
const PAGE = 64 * 1024;
/** Bytes copied in and checked per call: bounds the memory a huge batch would make the module grow to. */
const CHUNK = 4 * 1024 * 1024;

/** The part of the WebAssembly global used here (this project's TypeScript libs declare no WebAssembly types). */
const WebAssemblyApi = (globalThis as unknown as {
  WebAssembly: { Module: new (bytes: Uint8Array) => object; Instance: new (module: object) => { exports: unknown } };
}).WebAssembly;

interface CrcExports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  crc(previous: number, at: number, length: number): number;
}

function instantiate(): CrcExports {
  const module = new WebAssemblyApi.Module(Buffer.from(CRC32C_WASM_BASE64, 'base64'));
  const exports = new WebAssemblyApi.Instance(module).exports as CrcExports;
  // Table k advances a byte by k more bytes (table 0 is the one-byte table of RFC 3720 B.4).
  const t = new Int32Array(exports.memory.buffer, 0, 16 * 256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? CASTAGNOLI ^ (c >>> 1) : c >>> 1;
    t[i] = c;
  }
  for (let k = 1; k < 16; k++) {
    for (let i = 0; i < 256; i++) {
      const prev = t[(k - 1) * 256 + i];
      t[k * 256 + i] = (prev >>> 8) ^ t[prev & 0xff];
    }
  }
  return exports;
}

function tryInstantiate(): CrcExports | null {
  try {
    return instantiate();
  } catch {
    return null; // no WebAssembly here (e.g. node --jitless): the JS tables serve every size
  }
}

const wasm = tryInstantiate();
let memory = new Uint8Array(wasm?.memory.buffer ?? new ArrayBuffer(0));

/** CRC-32C of `buf` in WebAssembly (slicing-by-16), or null where WebAssembly is not available. */
export const crc32cWasm: ((buf: Uint8Array) => number) | null = wasm ? (buf) => crc32cIn(wasm, buf) : null;

function crc32cIn(wasm: CrcExports, buf: Uint8Array): number {
  let crc = 0;
  for (let at = 0; at < buf.length; at += CHUNK) {
    const part = buf.subarray(at, at + CHUNK);
    if (DATA_AT + part.length > memory.length) {
      wasm.memory.grow(Math.ceil((DATA_AT + part.length - memory.length) / PAGE));
      memory = new Uint8Array(wasm.memory.buffer);
    }
    memory.set(part, DATA_AT);
    crc = wasm.crc(crc, DATA_AT, part.length);
  }
  return crc >>> 0;
}
