/**
 * LZ4 frames as Kafka writes and reads them, in pure JavaScript over lz4js's block compressor.
 *
 * Why hand-written: lz4js's own frame writer sets FLG = 0x40 (block independence off), and Kafka's
 * KafkaLZ4BlockInputStream rejects that ("Dependent block stream is unsupported"). The LZ4 codec packages that
 * are Kafka-compatible (kafkajs-lz4, lz4-kafkajs) build the native `lz4` module with node-gyp, which needs a
 * compiler a workshop laptop may not have. A frame is simple enough to write here:
 *
 *   magic 04 22 4D 18 | FLG 0x60 (version 01, block independence) | BD 0x40 (64 KB max block) | HC
 *   { block size u32le (high bit set = stored raw) | block bytes }*  | EndMark 00 00 00 00
 *
 * No content size, no block or content checksums: the same flags KafkaLZ4BlockOutputStream uses.
 */
import * as lz4js from 'lz4js';
import { hash as xxh32 } from 'lz4js/xxh32.js';

const MAGIC = [0x04, 0x22, 0x4d, 0x18] as const;
export const LZ4_FLG = 0x60;
export const LZ4_BD = 0x40;
const MAX_BLOCK = 64 * 1024;
const RAW_BLOCK = 0x80000000;

/** Header checksum: second byte of xxh32(FLG, BD) with seed 0 (the fixed, non-"broken" Kafka variant). */
export function lz4HeaderChecksum(flg: number, bd: number): number {
  return (xxh32(0, Uint8Array.of(flg, bd), 0, 2) >>> 8) & 0xff;
}

// Each block is compressed from its own subarray, so no match can reach back into an earlier block (what
// FLG's block-independence bit promises the reader). The table is cleared per block so that a block's bytes
// depend on that block alone, not on stale positions left by the previous one.
const hashTable = new Uint32Array(1 << 16);

export function lz4FrameCompress(input: Uint8Array): Buffer {
  const parts: Uint8Array[] = [Uint8Array.of(...MAGIC, LZ4_FLG, LZ4_BD, lz4HeaderChecksum(LZ4_FLG, LZ4_BD))];
  for (let offset = 0; offset < input.length; offset += MAX_BLOCK) {
    const block = input.subarray(offset, Math.min(offset + MAX_BLOCK, input.length));
    hashTable.fill(0);
    const dst = new Uint8Array(lz4js.compressBound(block.length));
    // 0 means lz4js found no match at all; a block that did not shrink is stored raw, as the format allows.
    const size = lz4js.compressBlock(block, dst, 0, block.length, hashTable);
    const sizeField = Buffer.alloc(4);
    if (size === 0 || size >= block.length) {
      sizeField.writeUInt32LE((RAW_BLOCK | block.length) >>> 0);
      parts.push(sizeField, block);
    } else {
      sizeField.writeUInt32LE(size);
      parts.push(sizeField, dst.subarray(0, size));
    }
  }
  parts.push(new Uint8Array(4)); // EndMark
  return Buffer.concat(parts);
}

/** Checks the frame header (so corruption reads as such), then lets lz4js decode the blocks. */
export function lz4FrameDecompress(frame: Uint8Array): Buffer {
  if (frame.length < 7 || MAGIC.some((b, i) => frame[i] !== b)) {
    throw new Error('not an LZ4 frame: the magic number 04 22 4D 18 is missing');
  }
  const flg = frame[4];
  const bd = frame[5];
  if ((flg & 0xc0) !== 0x40) throw new Error(`unsupported LZ4 frame version in FLG 0x${flg.toString(16)}`);
  if (flg & 0x08) throw new Error('LZ4 frames with a content size field are not used by Kafka');
  const expected = lz4HeaderChecksum(flg, bd);
  if (frame[6] !== expected) {
    throw new Error(`LZ4 frame header checksum is 0x${frame[6].toString(16)}, expected 0x${expected.toString(16)}`);
  }
  return Buffer.from(lz4js.decompress(frame));
}
