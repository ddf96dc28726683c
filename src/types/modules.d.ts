// Type declarations for dependencies that ship none.
declare module 'crc-32/crc32c.js' {
  const CRC32C: { buf(data: Uint8Array | number[], seed?: number): number };
  export default CRC32C;
}
// hash-wasm's CRC-32 alone (bench/crc32c.ts compares our CRC-32C with it): the same API as the package's index.
declare module 'hash-wasm/dist/crc32.umd.min.js' {
  export { createCRC32, type IHasher } from 'hash-wasm';
}
