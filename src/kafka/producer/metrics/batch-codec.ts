// The compression codec of a record batch the Sender writes, read from its attributes: bytes after compression
// are counted per codec.
const CODECS = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];
/** Where a record batch v2 keeps its attributes (after base offset, length, leader epoch, magic and CRC). */
const ATTRIBUTES_AT = 21;

/** The compression codec a whole record batch (from its base offset on) was written with. */
export function batchCodec(bytes: Buffer): string {
  // Only the attributes' low bits: not the whole header as an object per batch.
  return CODECS[bytes.readInt16BE(ATTRIBUTES_AT) & 0x07] ?? 'none';
}
