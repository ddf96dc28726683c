// The producer's record batch v2, built once in place: kafkajs's own RecordBatch decoder reads every field back
// (the oracle), the broker-side validation accepts it (CRC-32C, counts), its size is the one the accumulator
// counted for batch.size, and re-stamping the producer fields keeps it valid.
import { createRequire } from 'node:module';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ProducerBatch } from '../../src/kafka/producer/accumulator/producer-batch.js';
import { batchProducerState, buildRecordBatch, encodeRecords, stampProducerState } from '../../src/wire/record-batch-builder.js';
import { readBatchHeader, validateRecordSet } from '../../src/wire/record-batch.js';

const require = createRequire(import.meta.url);
const Decoder = require('kafkajs/src/protocol/decoder');
const decodeBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder');

const now = 1_765_000_000_000;
const records = [
  { topic: 't', partition: 0, key: null, value: Buffer.from('first'), headers: [], timestamp: now },
  { topic: 't', partition: 0, key: Buffer.from('k2'), value: null, headers: [{ key: 'kpt-run', value: 'abc' }, { key: 'kpt-seq', value: '2' }], timestamp: now + 7 },
  { topic: 't', partition: 0, key: Buffer.from('ключ'), value: Buffer.alloc(300, 120), headers: [{ key: 'ünï', value: 'çødé ✓' }], timestamp: now + 3 },
];

async function kafkajsRead(batch: Buffer) {
  return decodeBatch(new Decoder(batch));
}

describe('record batch builder', () => {
  it('kafkajs decodes every record, header and timestamp, and the broker-side checks pass', async () => {
    const state = { producerId: 4_294_967_301, producerEpoch: 3, baseSequence: 40, transactional: true };
    const batch = buildRecordBatch(records, state);
    const check = validateRecordSet(batch, true);
    expect(check.ok).toBe(true);
    expect(readBatchHeader(batch)).toMatchObject({ recordCount: 3, lastOffsetDelta: 2, baseTimestamp: now, maxTimestamp: now + 7, producerId: 4_294_967_301, producerEpoch: 3, baseSequence: 40, isTransactional: true, codec: 0 });
    const decoded = await kafkajsRead(batch);
    expect(decoded.records.map((r: { key: Buffer | null; value: Buffer | null; timestamp: string; offset: string; headers: Record<string, Buffer> }) => ({
      key: r.key?.toString() ?? null,
      value: r.value?.toString() ?? null,
      timestamp: Number(r.timestamp),
      offset: Number(r.offset),
      headers: Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, v.toString()])),
    }))).toEqual([
      { key: null, value: 'first', timestamp: now, offset: 0, headers: {} },
      { key: 'k2', value: null, timestamp: now + 7, offset: 1, headers: { 'kpt-run': 'abc', 'kpt-seq': '2' } },
      { key: 'ключ', value: 'x'.repeat(300), timestamp: now + 3, offset: 2, headers: { ünï: 'çødé ✓' } },
    ]);
  });

  it('is exactly the size the accumulator counted against batch.size', () => {
    const b = new ProducerBatch('t', 0, now, 16384, 0);
    for (const r of records) expect(b.tryAppend(r)).toBe(true);
    expect(buildRecordBatch(b.records).length).toBe(b.sizeInBytes);
  });

  it('writes runs of consecutive sequences (the copy counted up by one) byte for byte as text, across carries and digit counts', () => {
    const runs = [[0, 12], [95, 105], [1_095, 1_105], [9_990, 10_010], [2_147_483_640, 2_147_483_656], [9_007_199_254_740_980, 9_007_199_254_740_991]];
    const seqs = [...runs.flatMap(([from, to]) => Array.from({ length: to - from + 1 }, (_, i) => from + i)), 200, 202, 201, 201, 203, 0, 1];
    const stamp = { key: 'kpt', prefix: '3f2a9c1b:' };
    const shared = [{ key: 'trace', value: 't' }];
    for (const headers of [[], shared]) {
      const asText = seqs.map((n) => ({ key: null, value: Buffer.from('v'), headers: [...headers, { key: 'kpt', value: `3f2a9c1b:${n}` }], timestamp: now }));
      const asNumber = seqs.map((n) => ({ key: null, value: Buffer.from('v'), headers, sequenceHeader: stamp, sequence: n, timestamp: now }));
      expect(buildRecordBatch(asNumber).equals(buildRecordBatch(asText))).toBe(true);
      expect(encodeRecords(asNumber).equals(encodeRecords(asText))).toBe(true);
    }
  });

  it('writes a sequence header (a prefix and a number on the record) byte for byte as the same header given as text, sized alike', () => {
    const seqs = [0, 7, 10, 99, 9_999, 10_000, 12_345, 99_999, 100_000, 2_147_483_648, 999_999_999_999_999, 1e15, 9_007_199_254_740_991];
    const stamp = { key: 'kpt', prefix: '3f2a9c1b:' };
    const asText = seqs.map((n, i) => ({ key: null, value: Buffer.from('v'), headers: [{ key: 'kpt.run', value: 'r1' }, { key: 'kpt', value: `3f2a9c1b:${n}` }], timestamp: now + i }));
    const asNumber = seqs.map((n, i) => ({ key: null, value: Buffer.from('v'), headers: [{ key: 'kpt.run', value: 'r1' }], sequenceHeader: stamp, sequence: n, timestamp: now + i }));
    expect(buildRecordBatch(asNumber).equals(buildRecordBatch(asText))).toBe(true);
    // Records sharing one headers array (measured once, copied from the record before) write the same bytes.
    const shared = [{ key: 'kpt.run', value: 'r1' }];
    const sharing = asNumber.map((r) => ({ ...r, headers: shared }));
    expect(buildRecordBatch(sharing).equals(buildRecordBatch(asText))).toBe(true);
    expect(encodeRecords(sharing).equals(encodeRecords(asText))).toBe(true);
    // Shared arrays interleaved with others, with and without a sequence header.
    // and with sequence headers of other prefixes: none, and one that is not ASCII.
    const other = [{ key: 'ünï', value: 'çødé' }];
    const stamps = [stamp, { key: 'seq', prefix: '' }, { key: 'ñ', prefix: 'ř-' }];
    const mixed = [shared, [], shared, other, shared, shared, shared, [], shared].map((headers, i) => ({ key: null, value: Buffer.from('v'), headers, timestamp: now, ...(i % 3 === 2 ? {} : { sequenceHeader: stamps[Math.floor(i / 3)], sequence: i * 11 }) }));
    const mixedText = mixed.map((r) => ({ ...r, headers: [...r.headers.map((h) => ({ ...h })), ...(r.sequenceHeader ? [{ key: r.sequenceHeader.key, value: `${r.sequenceHeader.prefix}${r.sequence}` }] : [])], sequenceHeader: undefined }));
    expect(buildRecordBatch(mixed).equals(buildRecordBatch(mixedText))).toBe(true);
    const b = new ProducerBatch('t', 0, now, 16384, 0);
    for (const r of asNumber) expect(b.tryAppend({ topic: 't', partition: 0, ...r })).toBe(true);
    expect(buildRecordBatch(b.records).length).toBe(b.sizeInBytes);
  });

  it('re-stamps producer id, epoch and sequence for a re-send under a new epoch, CRC included', () => {
    const batch = buildRecordBatch(records, { producerId: 9, producerEpoch: 0, baseSequence: 100, transactional: false });
    stampProducerState(batch, { producerId: 9, producerEpoch: 1, baseSequence: 0, transactional: false });
    expect(batchProducerState(batch)).toEqual({ producerId: 9, producerEpoch: 1, baseSequence: 0, transactional: false });
    expect(validateRecordSet(batch, true).ok).toBe(true);
  });

  it('carries a compressed records section that kafkajs decompresses', async () => {
    const bytes = zlib.gzipSync(encodeRecords(records));
    const batch = buildRecordBatch(records, undefined, { codec: 1, bytes });
    expect(validateRecordSet(batch, true).ok).toBe(true);
    const decoded = await kafkajsRead(batch);
    expect(decoded.records.map((r: { value: Buffer | null }) => r.value?.toString() ?? null)).toEqual(['first', null, 'x'.repeat(300)]);
  });
});
