import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { validateJson } from '../../../src/kafka/producer/json-check.js';
import {
  RECORD_BATCH_OVERHEAD,
  batchSizeUpperBound,
  parseBase64,
  parseHex,
  recordV2Size,
  serialize,
  serializeRecord,
  serializedSize,
  sizeOfVarint,
  toKafkaJsHeaders,
  type RecordHeader,
} from '../../../src/kafka/producer/serializers.js';

const require = createRequire(import.meta.url);
type Encoder = { buffer: Buffer };
const KafkaRecord = require('kafkajs/src/protocol/recordBatch/record/v0') as (r: {
  offsetDelta?: number;
  timestampDelta?: number;
  key: Buffer | null;
  value: Buffer | null;
  headers?: Record<string, Buffer[]>;
}) => Encoder;
const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0') as {
  RecordBatch: (args: { records: Encoder[]; lastOffsetDelta: number }) => Promise<Encoder>;
};

const ok = (r: ReturnType<typeof serialize>): Buffer | null => {
  if (!r.ok) throw new Error(`expected success, got: ${r.error.message}`);
  return r.bytes;
};
const err = (r: ReturnType<typeof serialize>) => {
  if (r.ok) throw new Error('expected an error');
  return r.error;
};

describe('null versus empty', () => {
  it('keeps a null key null and an empty key as zero bytes, for every serializer that allows empty', () => {
    for (const kind of ['string', 'json', 'hex', 'base64'] as const) expect(ok(serialize(null, kind))).toBeNull();
    for (const kind of ['string', 'hex', 'base64'] as const) expect(ok(serialize('', kind))).toEqual(Buffer.alloc(0));
    expect(serializedSize({ key: null, value: Buffer.from('v') }).key).toBeNull();
    expect(serializedSize({ key: Buffer.alloc(0), value: Buffer.from('v') }).key).toBe(0);
  });

  it('rejects an empty JSON text: a null value must be asked for explicitly', () => {
    expect(err(serialize('', 'json')).message).toBe(
      'line 1, column 1: unexpected end of input: expected a JSON value (object, array, string, number, true, false or null)',
    );
  });
});

describe('string serializer', () => {
  it('encodes UTF-8', () => {
    expect(ok(serialize('héllo ✓', 'string'))).toEqual(Buffer.from([0x68, 0xc3, 0xa9, 0x6c, 0x6c, 0x6f, 0x20, 0xe2, 0x9c, 0x93]));
  });
});

describe('JSON serializer', () => {
  it('keeps valid JSON exactly as typed', () => {
    const text = '{\n  "id": 7,\n  "tags": ["a", "b"]\n}';
    expect(ok(serialize(text, 'json'))?.toString('utf8')).toBe(text);
  });

  it.each([
    ['{"a": 1,}', 1, 8, "trailing comma before '}'"],
    ['{\n  "a": 1\n  "b": 2\n}', 3, 3, "expected ',' or '}' after a property value, found '\"'"],
    ["{'a': 1}", 1, 2, 'keys need double quotes, not single quotes'],
    ['{a: 1}', 1, 2, 'object keys must be strings in double quotes: "a"'],
    ['[1, 2,]', 1, 6, "trailing comma before ']'"],
    ['{"a": "abc', 1, 7, 'unterminated string: no closing double quote'],
    ['{"a": 01}', 1, 7, 'numbers cannot start with a leading zero'],
    ['{"a": 1.}', 1, 9, "expected a digit after the decimal point, found '}'"],
    ['{"a": NaN}', 1, 7, "'NaN' is not a JSON value (true, false and null are lowercase; strings need quotes)"],
    ['{"a": True}', 1, 7, "'True' is not a JSON value (true, false and null are lowercase; strings need quotes)"],
    ['{"a": "x\\qy"}', 1, 9, "invalid escape '\\q' in a string"],
    ['"tab\there"', 1, 5, 'raw control character U+0009 inside a string: write it as \\t'],
    ['{"a": 1} x', 1, 10, "unexpected 'x' after the end of the JSON value"],
    ['// note\n{}', 1, 1, 'comments are not allowed in JSON'],
    ['{"a" 1}', 1, 6, "expected ':' after the key, found '1'"],
    ['"\\u12"', 1, 2, '\\u must be followed by four hex digits'],
  ])('%j -> line %i, column %i: %s', (text, line, column, what) => {
    const e = err(serialize(text, 'json'));
    expect(e).toMatchObject({ line, column });
    expect(e.message).toBe(`line ${line}, column ${column}: ${what}`);
  });

  it('accepts exactly what JSON.parse accepts', () => {
    const seeds = ['{"a":[1,-2.5e3,true,null,"x\\u00e9\\n"],"b":{}}', '[[],{},0,"",-0.0E+1]', '"\\/\\"\\\\"', ' 12 '];
    const alphabet = ['{', '}', '[', ']', ',', ':', '"', '\\', '-', '0', '1', '.', 'e', '+', ' ', 'n', 't', 'a', "'", '\n'];
    let s = 12345;
    const rnd = (n: number) => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) % n);
    let checked = 0;
    for (const seed of seeds) {
      for (let round = 0; round < 500; round++) {
        const chars = [...seed];
        for (let k = 0; k <= rnd(3); k++) {
          const at = rnd(chars.length + 1);
          const op = rnd(3);
          if (op === 0) chars.splice(at, 1);
          else if (op === 1) chars.splice(at, 0, alphabet[rnd(alphabet.length)]);
          else chars[at] = alphabet[rnd(alphabet.length)];
        }
        const text = chars.join('');
        let parses = true;
        try {
          JSON.parse(text);
        } catch {
          parses = false;
        }
        expect({ text, ok: validateJson(text).ok }).toEqual({ text, ok: parses });
        checked++;
      }
    }
    expect(checked).toBe(2000);
  });
});

describe('hex', () => {
  it('reads bytes with or without 0x and spaces', () => {
    expect(ok(parseHex('de ad BE ef'))).toEqual(Buffer.from([0xde, 0xad, 0xbe, 0xef]));
    expect(ok(parseHex('0xCAFE'))).toEqual(Buffer.from([0xca, 0xfe]));
  });

  it('points at the bad character and explains odd lengths', () => {
    expect(err(parseHex('00 1g'))).toMatchObject({ column: 5, message: "column 5: 'g' is not a hex digit (0-9, a-f)" });
    expect(err(parseHex('abc')).message).toBe('odd number of hex digits (3): every byte needs two, e.g. 0f not f');
    expect(err(parseHex('a bc')).message).toBe('column 2: a space splits a byte; hex bytes are two digits');
  });
});

describe('base64', () => {
  it('reads standard and URL-safe alphabets, padded or not', () => {
    expect(ok(parseBase64('+/8='))).toEqual(Buffer.from([0xfb, 0xff]));
    expect(ok(parseBase64('-_8'))).toEqual(Buffer.from([0xfb, 0xff]));
    expect(ok(parseBase64('aGVs bG8='))).toEqual(Buffer.from('hello'));
  });

  it('rejects what Node would silently skip, and bad lengths or padding', () => {
    expect(err(parseBase64('aGV*bG8='))).toMatchObject({
      column: 4,
      message: "column 4: '*' is not a base64 character (A-Z a-z 0-9 + / - _ =)",
    });
    expect(err(parseBase64('aGVsb')).message).toBe(
      '5 base64 characters leave 1 over: a group of 4 carries 3 bytes, and 1 alone is never valid',
    );
    expect(err(parseBase64('aGVsbG8==')).message).toBe("wrong padding: 2 '=' after 7 characters; expected 1");
    expect(err(parseBase64('aG=VsbG8')).message).toBe("column 3: '=' padding may only appear at the end");
  });
});

describe('serializeRecord', () => {
  it('names the field each error belongs to', () => {
    const r = serializeRecord({ key: { text: 'zz', kind: 'hex' }, value: { text: '{', kind: 'json' } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.field)).toEqual(['key', 'value']);
  });

  it('keeps repeated header keys for kafkajs', () => {
    const headers: RecordHeader[] = [
      { key: 'trace', value: 'a' },
      { key: 'trace', value: 'b' },
    ];
    expect(toKafkaJsHeaders(headers)).toEqual({ trace: [Buffer.from('a'), Buffer.from('b')] });
  });
});

describe('record v2 sizes', () => {
  it('zig-zag varint sizes follow Kafka', () => {
    expect([0, 63, 64, -64, -65, 8191, 8192, 1e12].map(sizeOfVarint)).toEqual([1, 1, 2, 1, 2, 2, 3, 6]);
  });

  it('match the bytes kafkajs encodes for the same record', () => {
    const keys = [null, Buffer.alloc(0), Buffer.from('user-1'), Buffer.alloc(200, 1)];
    const values = [null, Buffer.alloc(0), Buffer.from('{"a":1}'), Buffer.alloc(70_000, 2)];
    const headerSets: RecordHeader[][] = [[], [{ key: 'h', value: 'v' }], [{ key: 'trace', value: 'x'.repeat(300) }, { key: 'trace', value: 'é' }]];
    const deltas: Array<[number, number]> = [[0, 0], [63, 64], [64, -1], [5000, 1_700_000_000_000]];
    for (const key of keys)
      for (const value of values)
        for (const headers of headerSets)
          for (const [offsetDelta, timestampDelta] of deltas) {
            const encoded = KafkaRecord({ offsetDelta, timestampDelta, key, value, headers: toKafkaJsHeaders(headers) });
            expect(recordV2Size({ key, value, headers }, offsetDelta, timestampDelta)).toBe(encoded.buffer.length);
          }
  });

  it('add up with the 61-byte batch header to what kafkajs puts on the wire', async () => {
    const parts = [0, 1, 2].map((i) => ({ key: Buffer.from(`k${i}`), value: Buffer.alloc(100 * i, 7) }));
    const batch = await RecordBatch({
      lastOffsetDelta: 2,
      records: parts.map((p, i) => KafkaRecord({ ...p, offsetDelta: i })),
    });
    const expected = RECORD_BATCH_OVERHEAD + parts.reduce((sum, p, i) => sum + recordV2Size(p, i, 0), 0);
    expect(batch.buffer.length).toBe(expected);
  });

  it('reports key, value and header sizes separately', () => {
    const size = serializedSize({ key: Buffer.from('abc'), value: Buffer.alloc(300), headers: [{ key: 'k', value: 'vv' }] });
    expect(size).toEqual({ key: 3, value: 300, headers: 1 + 2 + 3, record: 2 + 1 + 1 + 1 + 4 + 302 + 6 });
  });

  it("never under-estimates with Java's upper bound", () => {
    const p = { key: Buffer.from('k'), value: Buffer.alloc(1000), headers: [{ key: 'a', value: 'b' }] };
    expect(batchSizeUpperBound(p)).toBeGreaterThanOrEqual(RECORD_BATCH_OVERHEAD + recordV2Size(p, 2 ** 31 - 1, -(2 ** 52)));
  });
});
