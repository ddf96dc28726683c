// A batch's codec read from its attributes (the engine counts bytes after compression per codec with it).
import { describe, expect, it } from 'vitest';
import { batchCodec } from '../../../src/kafka/producer/metrics/batch-codec.js';

describe('batch codec', () => {
  it('reads the codec from a record batch v2 header', () => {
    const b = Buffer.alloc(61);
    expect(batchCodec(b)).toBe('none');
    b.writeInt16BE(1, 21);
    expect(batchCodec(b)).toBe('gzip');
    b.writeInt16BE(4 | 16, 21); // zstd, transactional
    expect(batchCodec(b)).toBe('zstd');
  });
});
