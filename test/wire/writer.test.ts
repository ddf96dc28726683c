// Strings as the wire writes them, against kafkajs's own encoder (an oracle we did not write): the short-ASCII path
// (no Buffer per string) and the general one must give the same bytes, at the boundary between them too.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { Writer } from '../../src/wire/writer.js';

const require = createRequire(import.meta.url);
const KafkajsEncoder = require('kafkajs/src/protocol/encoder') as new () => {
  writeString(s: string | null): unknown;
  writeUVarIntString(s: string | null): unknown;
  buffer: Buffer;
};

const written = (write: (w: Writer) => void): Buffer => {
  const w = new Writer(4); // small, so the writer grows mid-string
  write(w);
  return w.toBuffer();
};

const STRINGS = ['', 'playground', 'kafka-producer-tui', 'x'.repeat(125), 'x'.repeat(126), 'x'.repeat(127), 'x'.repeat(300), 'ünïcødé', `${'x'.repeat(120)}é`, '\u007f\u0080', 'a\u0000b'];

describe('wire strings', () => {
  it.each(STRINGS.map((s) => [s.length > 20 ? `${s.slice(0, 12)}… (${s.length})` : JSON.stringify(s), s]))('%s: as kafkajs writes it, plain and compact', (_, s) => {
    const plain = new KafkajsEncoder();
    plain.writeString(s);
    expect(written((w) => w.string(s)).equals(plain.buffer)).toBe(true);
    const compact = new KafkajsEncoder();
    compact.writeUVarIntString(s);
    expect(written((w) => w.compactString(s)).equals(compact.buffer)).toBe(true);
  });

  it('keeps what was written before and after a string', () => {
    const b = written((w) => w.int32(7).string('topic').compactString('t').int16(-1));
    expect([...b]).toEqual([0, 0, 0, 7, 0, 5, ...Buffer.from('topic'), 2, ...Buffer.from('t'), 0xff, 0xff]);
  });
});
