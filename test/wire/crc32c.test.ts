// CRC-32C against a known-good oracle: the bit-at-a-time definition (RFC 3720, polynomial 0x1EDC6F41 reflected as
// 0x82F63B78) and RFC 3720's own test vectors, over every length up to 300 and at odd offsets (socket chunks).
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { crc32c, WASM_MIN } from '../../src/wire/crc32c.js';

function bitwise(buf: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

describe('crc32c', () => {
  it('gives RFC 3720 B.4 test vectors', () => {
    expect(crc32c(Buffer.alloc(32, 0))).toBe(0x8a9136aa);
    expect(crc32c(Buffer.alloc(32, 0xff))).toBe(0x62a8ab43);
    expect(crc32c(Buffer.from(Array.from({ length: 32 }, (_, i) => i)))).toBe(0x46dd794e);
    expect(crc32c(Buffer.from(Array.from({ length: 32 }, (_, i) => 31 - i)))).toBe(0x113fdb5c);
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
  });

  it('agrees with the bitwise definition at every length to 300 and any offset, and on a 1 MiB batch', () => {
    let seed = 7;
    const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 16) & 0xff;
    const backing = Buffer.from(Array.from({ length: 1024 }, rand));
    for (let len = 0; len <= 300; len++) {
      const offset = len % 7;
      const view = backing.subarray(offset, offset + len);
      expect(crc32c(view), `length ${len}`).toBe(bitwise(view));
    }
    const big = Buffer.from(Array.from({ length: 1 << 20 }, rand)).subarray(3);
    expect(crc32c(big)).toBe(bitwise(big));
    // Larger than the WASM module checks per call (4 MiB): the CRC carries across its chunks.
    const huge = Buffer.alloc(9 * 1024 * 1024 + 5, 0x5a);
    expect(crc32c(huge)).toBe(bitwise(huge));
  });

  it('gives the same answers through the WASM path (batches from WASM_MIN bytes), at odd offsets', () => {
    let seed = 11;
    const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 16) & 0xff;
    const backing = Buffer.from(Array.from({ length: 70_000 }, rand));
    for (const len of [WASM_MIN - 1, WASM_MIN, WASM_MIN + 1, 16_383, 16_384, 16_385, 65_537]) {
      const view = backing.subarray(len % 5, (len % 5) + len);
      expect(crc32c(view), `length ${len}`).toBe(bitwise(view));
    }
  });

  it('runs the WASM module assembled from crc32c.wat as it stands (the generated file is up to date)', () => {
    const generated = execFileSync(process.execPath, ['scripts/gen-crc32c-wasm.mjs', '--check'], { encoding: 'utf8' });
    expect(generated).toBe(readFileSync('src/wire/crc32c-wasm.generated.ts', 'utf8'));
  });
});
