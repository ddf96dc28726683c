import { createRequire } from 'node:module';
import zlib from 'node:zlib';
import * as lz4js from 'lz4js';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  COMPRESSION_ID,
  codecFor,
  compressionRate,
  compressionStats,
  onCompression,
  registerCodecs,
  resetCompressionStats,
  type CodecName,
  type CompressionSample,
} from '../../../src/kafka/producer/compression/compression.js';
import { lz4FrameCompress, lz4FrameDecompress } from '../../../src/kafka/producer/compression/lz4-frame.js';

const require = createRequire(import.meta.url);
type Encoder = { buffer: Buffer };
const KafkaRecord = require('kafkajs/src/protocol/recordBatch/record/v0') as (r: {
  offsetDelta?: number;
  key: Buffer | null;
  value: Buffer | null;
  headers?: Record<string, Buffer>;
}) => Encoder;
const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0') as {
  RecordBatch: (args: { compression: number; records: Encoder[]; lastOffsetDelta: number }) => Promise<Encoder>;
};
const decodeBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder') as (d: unknown) => Promise<{
  records: Array<{ key: Buffer | null; value: Buffer | null; headers: Record<string, Buffer>; offset: string }>;
}>;
const Decoder = require('kafkajs/src/protocol/decoder') as new (b: Buffer) => unknown;
const kafkaRecordEncoder = require('kafkajs/src/protocol/encoder') as new () => {
  writeEncoderArray(records: Encoder[]): unknown;
  buffer: Buffer;
};

/** XXH32 for inputs under 16 bytes, written from the spec, to check the LZ4 header byte independently. */
function xxh32Short(bytes: number[], seed = 0): number {
  const P1 = 2654435761, P2 = 2246822519, P3 = 3266489917, P4 = 668265263, P5 = 374761393;
  const rotl = (x: number, r: number) => ((x << r) | (x >>> (32 - r))) >>> 0;
  let h = (seed + P5 + bytes.length) >>> 0;
  let i = 0;
  for (; i + 4 <= bytes.length; i += 4) {
    const word = (bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24)) >>> 0;
    h = Math.imul(rotl((h + Math.imul(word, P3)) >>> 0, 17), P4) >>> 0;
  }
  for (; i < bytes.length; i++) h = Math.imul(rotl((h + Math.imul(bytes[i], P5)) >>> 0, 11), P1) >>> 0;
  h = Math.imul(h ^ (h >>> 15), P2) >>> 0;
  h = Math.imul(h ^ (h >>> 13), P3) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

function jsonLike(bytes: number): Buffer {
  const parts: string[] = [];
  for (let i = 0, length = 0; length < bytes; i++) {
    const line = JSON.stringify({ id: i, user: `user-${i % 97}`, country: ['NL', 'DE', 'FR'][i % 3], amount: (i * 7919) % 1000 });
    parts.push(line);
    length += line.length + 1;
  }
  return Buffer.from(parts.join('\n').slice(0, bytes));
}

function noise(bytes: number, seed = 1): Buffer {
  let s = seed;
  return Buffer.from(Array.from({ length: bytes }, () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) >>> 24)));
}

/** Parses our frame into its blocks: [raw?, bytes] after the 7-byte header, until the EndMark. */
function blocks(frame: Buffer): Array<{ raw: boolean; data: Buffer }> {
  const out: Array<{ raw: boolean; data: Buffer }> = [];
  let at = 7;
  for (;;) {
    const field = frame.readUInt32LE(at);
    at += 4;
    if (field === 0) break;
    const size = field & 0x7fffffff;
    out.push({ raw: field >= 0x80000000, data: frame.subarray(at, at + size) });
    at += size;
  }
  expect(at).toBe(frame.length);
  return out;
}

beforeAll(async () => {
  expect(await registerCodecs()).toEqual({ zstd: 'zlib', available: ['none', 'gzip', 'snappy', 'lz4', 'zstd'] });
});

describe('LZ4 frame (Kafka flavour)', () => {
  it('writes the header Kafka requires: magic, FLG 0x60, BD 0x40 and the xxh32 header checksum', () => {
    const frame = lz4FrameCompress(Buffer.from('hello hello hello hello'));
    const hc = (xxh32Short([0x60, 0x40]) >>> 8) & 0xff;
    expect([...frame.subarray(0, 7)]).toEqual([0x04, 0x22, 0x4d, 0x18, 0x60, 0x40, hc]);
    expect(hc).toBe(0x82);
    expect([...frame.subarray(-4)]).toEqual([0, 0, 0, 0]);
    // Why we write our own frames: lz4js's frame turns block independence off (FLG 0x40), which Kafka refuses.
    expect(lz4js.compress(Buffer.from('hello'))[4]).toBe(0x40);
  });

  it('splits into 64 KB blocks that each decode on their own', () => {
    const input = jsonLike(200_000);
    const frame = lz4FrameCompress(input);
    const parts = blocks(frame);
    expect(parts.length).toBe(4);
    const decoded = parts.map(({ raw, data }, i) => {
      if (raw) return data;
      const expectedLength = Math.min(65536, input.length - i * 65536);
      const dst = new Uint8Array(65536);
      expect(lz4js.decompressBlock(data, dst, 0, data.length, 0)).toBe(expectedLength);
      return Buffer.from(dst.subarray(0, expectedLength));
    });
    expect(Buffer.concat(decoded).equals(input)).toBe(true);
    expect(frame.length).toBeLessThan(input.length / 2);
  });

  it('stores blocks that do not shrink raw, with the high bit set', () => {
    const input = noise(1000);
    const parts = blocks(lz4FrameCompress(input));
    expect(parts).toHaveLength(1);
    expect(parts[0].raw).toBe(true);
    expect(parts[0].data.equals(input)).toBe(true);
  });

  it('round-trips, including the empty input, and rejects a corrupted header', () => {
    for (const input of [Buffer.alloc(0), Buffer.from('x'), noise(70_000), jsonLike(131_072)]) {
      expect(lz4FrameDecompress(lz4FrameCompress(input)).equals(input)).toBe(true);
    }
    const bad = lz4FrameCompress(Buffer.from('abc'));
    bad[6] ^= 0xff;
    expect(() => lz4FrameDecompress(bad)).toThrow('LZ4 frame header checksum is 0x7d, expected 0x82');
  });
});

describe('codecs', () => {
  const names: CodecName[] = ['gzip', 'snappy', 'lz4', 'zstd'];

  it.each(names)('%s round-trips text and noise and shrinks repetitive data', async (name) => {
    const codec = codecFor(name);
    for (const input of [Buffer.from('a'), jsonLike(300_000), noise(50_000)]) {
      const out = await codec.compress({ buffer: input });
      expect((await codec.decompress(out)).equals(input)).toBe(true);
    }
    const text = jsonLike(300_000);
    expect((await codec.compress({ buffer: text })).length).toBeLessThan(text.length * 0.5);
  });

  it('zstd output is a standard frame that zlib reads', async () => {
    const input = jsonLike(10_000);
    const out = await codecFor('zstd').compress({ buffer: input });
    expect(zlib.zstdDecompressSync(out).equals(input)).toBe(true);
  });

  it.each(names)('kafkajs encodes and decodes a %s record batch through the registry', async (name) => {
    resetCompressionStats();
    const messages = Array.from({ length: 50 }, (_, i) => ({
      key: i % 5 === 0 ? null : Buffer.from(`key-${i}`),
      value: Buffer.from(JSON.stringify({ i, text: 'lorem ipsum '.repeat(i % 7) })),
      headers: { trace: Buffer.from(`t-${i}`) },
    }));
    const records = messages.map((m, offsetDelta) => KafkaRecord({ ...m, offsetDelta }));
    const plain = new kafkaRecordEncoder();
    plain.writeEncoderArray(records);

    const batch = await RecordBatch({ compression: COMPRESSION_ID[name], records, lastOffsetDelta: 49 });
    const decoded = await decodeBatch(new Decoder(batch.buffer));

    expect(decoded.records.map((r) => [r.key?.toString() ?? null, r.value?.toString(), r.headers.trace.toString()])).toEqual(
      messages.map((m) => [m.key?.toString() ?? null, m.value.toString(), m.headers.trace.toString()]),
    );
    expect(compressionStats[name].batches).toBe(1);
    expect(compressionStats[name].bytesIn).toBe(plain.buffer.length);
    expect(compressionStats[name].bytesOut).toBeLessThan(plain.buffer.length);
    expect(compressionRate(name)).toBeCloseTo(compressionStats[name].bytesOut / plain.buffer.length, 10);
  });
});

describe('measuring', () => {
  it('reports each compressed batch to listeners until they unsubscribe', async () => {
    const samples: CompressionSample[] = [];
    const stop = onCompression((s) => samples.push(s));
    const { CompressionCodecs } = require('kafkajs') as { CompressionCodecs: Record<number, () => { compress(e: Encoder): Promise<Buffer> }> };
    const input = jsonLike(4096);
    const out = await CompressionCodecs[COMPRESSION_ID.lz4]().compress({ buffer: input });
    stop();
    await CompressionCodecs[COMPRESSION_ID.lz4]().compress({ buffer: input });
    expect(samples).toHaveLength(1);
    expect(samples[0]).toMatchObject({ codec: 'lz4', bytesIn: 4096, bytesOut: out.length });
    expect(samples[0].ms).toBeGreaterThanOrEqual(0);
  });

  it('registering again neither double-counts nor loses the counters', async () => {
    resetCompressionStats();
    const { CompressionCodecs } = require('kafkajs') as { CompressionCodecs: Record<number, () => { compress(e: Encoder): Promise<Buffer> }> };
    await CompressionCodecs[COMPRESSION_ID.gzip]().compress({ buffer: jsonLike(1000) });
    await registerCodecs();
    await registerCodecs();
    await CompressionCodecs[COMPRESSION_ID.gzip]().compress({ buffer: jsonLike(1000) });
    expect(compressionStats.gzip.batches).toBe(2);
    expect(compressionStats.gzip.bytesIn).toBe(2000);
  });

  it('previews through codecFor are not counted as sent batches', async () => {
    resetCompressionStats();
    await codecFor('snappy').compress({ buffer: jsonLike(1000) });
    expect(compressionStats.snappy.batches).toBe(0);
    expect(compressionRate('snappy')).toBe(1);
  });
});

describe('WASM zstd fallback', () => {
  it('can be forced, and interoperates with the built-in zstd both ways', async () => {
    try {
      expect((await registerCodecs({ zstd: 'wasm' })).zstd).toBe('wasm');
      const input = jsonLike(100_000);
      const wasm = codecFor('zstd');
      expect(zlib.zstdDecompressSync(await wasm.compress({ buffer: input })).equals(input)).toBe(true);
      expect((await wasm.decompress(zlib.zstdCompressSync(input))).equals(input)).toBe(true);
    } finally {
      expect((await registerCodecs()).zstd).toBe('zlib');
    }
  });
});
