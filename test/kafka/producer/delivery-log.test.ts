// Delivery reports as the TUI shows them: previews of the key and value (made only when read), the same in JSON.
import { describe, expect, it } from 'vitest';
import { BatchReports } from '../../../src/kafka/producer/batch-delivery.js';
import { deliveryReport, DeliveryLog } from '../../../src/kafka/producer/delivery-log.js';

describe('delivery reports', () => {
  it('preview the first 60 characters of key and value, whole characters only, and say (null) for a null value', () => {
    const value = Buffer.from('é'.repeat(100));
    const r = deliveryReport({ topic: 't', key: Buffer.from('user-1'), value, headers: [] }, 1, 0, 2, 40, 1, null, 5, 1000);
    expect(r.keyPreview).toBe('user-1');
    expect(r.valuePreview).toBe('é'.repeat(60));
    expect(r).toMatchObject({ id: 1, topic: 't', partition: 2, offset: 40, bytes: 6 + 200, latencyMs: 5, attempts: 1, at: 1000 });
    const tombstone = deliveryReport({ topic: 't', key: null, value: null, headers: [] }, 2, 0, 0, 1, 1, null);
    expect([tombstone.keyPreview, tombstone.valuePreview]).toEqual([null, '(null)']);
  });

  it('uses previews given with the record, and carries them in JSON', () => {
    const r = deliveryReport({ topic: 't', key: Buffer.from('k'), value: Buffer.from('v'), headers: [], keyPreview: 'K!', valuePreview: 'V!' }, 3, 0, 0, null, 1, null, 1, 7);
    expect(JSON.parse(JSON.stringify(r))).toEqual({ id: 3, topic: 't', partition: 0, offset: null, keyPreview: 'K!', valuePreview: 'V!', bytes: 2, latencyMs: 1, attempts: 1, error: null, at: 7 });
  });

  it('keeps a failed record with every header as text, the sequence header included', () => {
    const log = new DeliveryLog();
    const rec = { topic: 't', key: null, value: Buffer.from('v'), headers: [{ key: 'trace', value: 't1' }], sequenceHeader: { key: 'kpt', prefix: 'r1:' }, sequence: 42 };
    log.add(deliveryReport(rec, 1, 0, 0, null, 1, { message: 'no', code: 'X', retriable: false }), rec);
    expect(log.deadLetters()[0].headers).toEqual([{ key: 'trace', value: 't1' }, { key: 'kpt', value: 'r1:42' }]);
  });
});

describe('the delivery log with batch reports', () => {
  const rec = (i: number) => ({ topic: 't', key: null, value: Buffer.from(`v${i}`), headers: [], id: i, started: 0, source: { topic: 't', key: null, value: null, headers: [] } });

  it('keeps the latest reports in order across single reports and batches, each made once', () => {
    const log = new DeliveryLog(4);
    const records = Array.from({ length: 10 }, (_, i) => rec(i));
    log.add(deliveryReport(records[0], 0, 0, 0, 100, 1, null), records[0]);
    log.addBatch(new BatchReports(records, 1, 6, 't', 0, 101, 1, null, 5, 1000));
    log.add(deliveryReport(records[7], 7, 0, 0, 107, 1, null), records[7]);
    log.addBatch(new BatchReports(records, 8, 2, 't', 0, 108, 1, null, 5, 1000));
    expect(log.latest(5).map((r) => [r.id, r.offset, r.valuePreview])).toEqual([
      [5, 105, 'v5'],
      [6, 106, 'v6'],
      [7, 107, 'v7'],
      [8, 108, 'v8'],
      [9, 109, 'v9'],
    ]);
    expect(log.latest(2)[0]).toBe(log.latest(3)[1]);
    // Older batches are dropped once more than twice the capacity is held, never below the capacity.
    for (let i = 0; i < 5; i++) log.addBatch(new BatchReports(records, 0, 3, 't', 0, 200 + 3 * i, 1, null, 5, 1000));
    expect(log.latest(100).length).toBeGreaterThanOrEqual(4);
    expect(log.latest(100).length).toBeLessThanOrEqual(8 + 3);
    expect(log.latest(1)[0].offset).toBe(214);
  });

  it('answers the same newest reports as new ones arrive, and the same list while none do', () => {
    const log = new DeliveryLog(8);
    const records = Array.from({ length: 40 }, (_, i) => rec(i));
    const ids = (n: number) => log.latest(n).map((r) => r.id);
    const expected = (upTo: number, n: number) => Array.from({ length: Math.min(n, upTo) }, (_, i) => upTo - Math.min(n, upTo) + i);
    let next = 0;
    for (const size of [1, 3, 2, 1, 7, 1, 1, 12, 1, 4]) {
      if (size === 1) log.add(deliveryReport(records[next], next, 0, 0, next, 1, null), records[next]);
      else log.addBatch(new BatchReports(records, next, size, 't', 0, next, 1, null, 5, 1000));
      next += size;
      expect(ids(5)).toEqual(expected(next, 5));
      expect(log.latest(5)).toBe(log.latest(5));
    }
    expect(ids(3)).toEqual(expected(next, 3));
    expect(ids(5)).toEqual(expected(next, 5));
  });
});
