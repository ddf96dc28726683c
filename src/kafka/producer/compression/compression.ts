/**
 * compression.type: every codec Kafka knows, from a plain `npm install`, with no native build, each one
 * measured. The Sender compresses record batches through compressRecords; the codecs live in kafkajs's registry
 * because the app's kafkajs consumers (the audit, the topic reader) decompress with the same ones.
 *
 * kafkajs ships only gzip; it refuses the others unless a codec is put in its process-global `CompressionCodecs`
 * registry. Here:
 * - gzip: kafkajs's own (zlib).
 * - snappy: kafkajs-snappy (pure JS snappyjs; raw snappy blocks, which Kafka's xerial reader accepts).
 * - lz4: our Kafka-compatible frame writer over lz4js (./lz4-frame.ts says why it is hand-written).
 * - zstd: Node's built-in zlib zstd (Node >= 22.15, level 3 like Kafka). The package allows Node 22.0-22.14,
 *   which lack it, so @bokuweb/zstd-wasm is loaded as a fallback there. Built-in wins because it needs no
 *   async WASM start-up, and because the WASM module reads zstd.wasm next to its own JS file, which the
 *   bundle in dist/ does not ship: in the bundle on an old Node, zstd reports itself unavailable.
 *
 * Every codec is wrapped to count bytes before and after and the time taken, per batch: Java's
 * compression-rate-avg. kafkajs calls the registry once per batch, inside the send's async chain, so an
 * AsyncLocalStorage read in a listener attributes a sample to its send.
 */
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import kafkajs from 'kafkajs';
import snappyCodec from 'kafkajs-snappy';
import { lz4FrameCompress, lz4FrameDecompress } from './lz4-frame.js';

export const COMPRESSION_TYPES = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;
export type CompressionType = (typeof COMPRESSION_TYPES)[number];
export type CodecName = Exclude<CompressionType, 'none'>;
const CODECS: readonly CodecName[] = ['gzip', 'snappy', 'lz4', 'zstd'];

/** The attribute value in a record batch (and kafkajs's CompressionTypes). */
export const COMPRESSION_ID: Readonly<Record<CompressionType, number>> = { none: 0, gzip: 1, snappy: 2, lz4: 3, zstd: 4 };

/** kafkajs's codec contract: `compress` gets the records Encoder, `decompress` a Buffer. */
export interface KafkaCodec {
  compress(encoder: { buffer: Buffer }): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
}
type CodecFactory = () => KafkaCodec;

export interface CompressionSample {
  readonly codec: CodecName;
  readonly bytesIn: number;
  readonly bytesOut: number;
  readonly ms: number;
}

export interface CodecCounters {
  batches: number;
  bytesIn: number;
  bytesOut: number;
  ms: number;
}

const zeroCounters = (): CodecCounters => ({ batches: 0, bytesIn: 0, bytesOut: 0, ms: 0 });

/** Running totals per codec since start (or the last reset). */
export const compressionStats: Record<CodecName, CodecCounters> = {
  gzip: zeroCounters(),
  snappy: zeroCounters(),
  lz4: zeroCounters(),
  zstd: zeroCounters(),
};

export function resetCompressionStats(): void {
  for (const name of CODECS) compressionStats[name] = zeroCounters();
}

/** Java's compression-rate: compressed / uncompressed bytes; 1 when nothing was compressed yet. */
export function compressionRate(codec: CodecName): number {
  const c = compressionStats[codec];
  return c.bytesIn === 0 ? 1 : c.bytesOut / c.bytesIn;
}

const listeners = new Set<(sample: CompressionSample) => void>();

/** Called after every compressed batch; returns the unsubscribe function. */
export function onCompression(listener: (sample: CompressionSample) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

// Marks our wrappers so registering twice re-wraps the original codec instead of stacking wrappers.
const INNER = Symbol.for('kafka-producer-tui.codec.inner');
type Wrapped = CodecFactory & { [INNER]?: CodecFactory };

const registry = kafkajs.CompressionCodecs as unknown as Record<number, Wrapped>;

function instrument(name: CodecName, inner: CodecFactory): Wrapped {
  const codec = inner();
  const measured: KafkaCodec = {
    async compress(encoder) {
      const started = performance.now();
      const out = await codec.compress(encoder);
      const sample = { codec: name, bytesIn: encoder.buffer.length, bytesOut: out.length, ms: performance.now() - started };
      const c = compressionStats[name];
      c.batches++;
      c.bytesIn += sample.bytesIn;
      c.bytesOut += sample.bytesOut;
      c.ms += sample.ms;
      for (const listener of listeners) listener(sample);
      return out;
    },
    decompress: (buffer) => codec.decompress(buffer),
  };
  const factory: Wrapped = () => measured;
  factory[INNER] = inner;
  return factory;
}

const lz4Codec: CodecFactory = () => ({
  compress: async (encoder) => lz4FrameCompress(encoder.buffer),
  decompress: async (buffer) => lz4FrameDecompress(buffer),
});

function zlibZstd(): CodecFactory | null {
  if (typeof zlib.zstdCompress !== 'function') return null;
  const compress = promisify(zlib.zstdCompress);
  const decompress = promisify(zlib.zstdDecompress);
  const options = { params: { [zlib.constants.ZSTD_c_compressionLevel]: 3 } };
  return () => ({
    compress: (encoder) => compress(encoder.buffer, options),
    decompress: (buffer) => decompress(buffer),
  });
}

interface ZstdWasm {
  init(): Promise<void>;
  compress(buf: Uint8Array, level?: number): Uint8Array;
  decompress(buf: Uint8Array): Uint8Array;
}

async function wasmZstd(): Promise<CodecFactory> {
  // A variable specifier keeps esbuild from pulling the WASM glue into the bundle (it could not find the
  // .wasm file there anyway); from a source checkout it resolves normally.
  const specifier = '@bokuweb/zstd-wasm';
  const ns = (await import(specifier)) as Partial<ZstdWasm> & { default?: ZstdWasm };
  const mod = (typeof ns.init === 'function' ? ns : ns.default) as ZstdWasm;
  await mod.init();
  // Buffer.from copies: the result views WASM memory, which the next call overwrites.
  return () => ({
    compress: async (encoder) => Buffer.from(mod.compress(encoder.buffer, 3)),
    decompress: async (buffer) => Buffer.from(mod.decompress(buffer)),
  });
}

function unavailable(reason: string): CodecFactory {
  const fail = async (): Promise<Buffer> => {
    throw new Error(`zstd is unavailable: ${reason}`);
  };
  return () => ({ compress: fail, decompress: fail });
}

export interface CodecRegistration {
  /** Which zstd implementation is in the registry. */
  readonly zstd: 'zlib' | 'wasm' | 'unavailable';
  /** Why zstd is unavailable, in words for the settings screen. */
  readonly zstdProblem?: string;
  readonly available: readonly CompressionType[];
}

const original = (factory: Wrapped | undefined): Wrapped | undefined => factory?.[INNER] ?? factory;

/**
 * Puts every codec into kafkajs's registry, wrapped for measuring. Safe to call again (e.g. to force the
 * WASM zstd in a test): codecs are re-wrapped from their originals and counters are kept.
 */
export async function registerCodecs(options: { zstd?: 'auto' | 'zlib' | 'wasm' } = {}): Promise<CodecRegistration> {
  const gzip = original(registry[COMPRESSION_ID.gzip]);
  if (!gzip) throw new Error('kafkajs has no gzip codec: unexpected kafkajs version');
  registry[COMPRESSION_ID.gzip] = instrument('gzip', gzip);
  registry[COMPRESSION_ID.snappy] = instrument('snappy', snappyCodec);
  registry[COMPRESSION_ID.lz4] = instrument('lz4', lz4Codec);

  const choice = options.zstd ?? 'auto';
  let zstd: CodecFactory;
  let impl: CodecRegistration['zstd'];
  let zstdProblem: string | undefined;
  const builtIn = choice === 'wasm' ? null : zlibZstd();
  if (builtIn) {
    zstd = builtIn;
    impl = 'zlib';
  } else if (choice === 'zlib') {
    zstdProblem = `this Node (${process.version}) has no built-in zstd; it arrived in Node 22.15`;
    zstd = unavailable(zstdProblem);
    impl = 'unavailable';
  } else {
    try {
      zstd = await wasmZstd();
      impl = 'wasm';
    } catch (e) {
      zstdProblem = `Node ${process.version} has no built-in zstd (22.15+) and the WASM fallback did not load: ${(e as Error).message}`;
      zstd = unavailable(zstdProblem);
      impl = 'unavailable';
    }
  }
  registry[COMPRESSION_ID.zstd] = instrument('zstd', zstd);
  const available = COMPRESSION_TYPES.filter((t) => t !== 'zstd' || impl !== 'unavailable');
  return zstdProblem === undefined ? { zstd: impl, available } : { zstd: impl, zstdProblem, available };
}

/**
 * The registered codec for a type (after registerCodecs), unmeasured: e.g. to preview how well a record
 * compresses without counting the preview as a sent batch.
 */
export function codecFor(type: CodecName): KafkaCodec {
  const factory = original(registry[COMPRESSION_ID[type]]);
  if (!factory) throw new Error(`no codec registered for ${type}`);
  return factory();
}

/** Compresses a record batch's records section with the registered (measured) codec: what the Sender sends. */
export function compressRecords(type: CodecName, records: Buffer): Promise<Buffer> {
  const factory = registry[COMPRESSION_ID[type]];
  if (!factory) throw new Error(`no codec registered for ${type}: registerCodecs() first`);
  return factory().compress({ buffer: records });
}
