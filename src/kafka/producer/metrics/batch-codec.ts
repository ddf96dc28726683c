// The compression codec of a record batch the Sender writes, read from its attributes: bytes after compression
// are counted per codec.
import { readBatchHeader } from '../../../wire/record-batch.js';

const CODECS = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

/** The compression codec a whole record batch (from its base offset on) was written with. */
export function batchCodec(bytes: Buffer): string {
  return CODECS[readBatchHeader(bytes).codec] ?? 'none';
}
