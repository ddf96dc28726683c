// Types for the untyped CommonJS packages the compression codecs use (only the members we call).

declare module 'lz4js' {
  /** Worst-case size of compressing n bytes. */
  export function compressBound(n: number): number;
  /** Compresses src[sIndex, sIndex+sLength) into dst as one raw LZ4 block; 0 when nothing matched. */
  export function compressBlock(
    src: Uint8Array,
    dst: Uint8Array,
    sIndex: number,
    sLength: number,
    hashTable: Uint32Array,
  ): number;
  /** Decodes one raw LZ4 block into dst at dIndex; returns the new end index in dst. */
  export function decompressBlock(src: Uint8Array, dst: Uint8Array, sIndex: number, sLength: number, dIndex: number): number;
  /** Decodes a whole LZ4 frame. */
  export function decompress(src: Uint8Array, maxSize?: number): Uint8Array;
  /** Encodes a whole LZ4 frame (FLG 0x40: not accepted by Kafka). */
  export function compress(src: Uint8Array, maxSize?: number): Uint8Array;
}

declare module 'lz4js/xxh32.js' {
  export function hash(seed: number, src: Uint8Array, index: number, len: number): number;
}

declare module 'kafkajs-snappy' {
  const factory: () => {
    compress(encoder: { buffer: Buffer }): Promise<Buffer>;
    decompress(buffer: Buffer): Promise<Buffer>;
  };
  export default factory;
}

declare module 'kafkajs/src/protocol/error.js' {
  const errors: { errorCodes: { code: number; type: string; retriable: boolean; message: string }[] };
  export default errors;
}
