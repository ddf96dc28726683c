// Delivery reports as the TUI shows them: previews of the key and value (made only when read), the same in JSON.
import { describe, expect, it } from 'vitest';
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
    const rec = { topic: 't', key: null, value: Buffer.from('v'), headers: [{ key: 'kpt.run', value: 'r1' }], sequenceHeader: 'kpt.seq', sequence: 42 };
    log.add(deliveryReport(rec, 1, 0, 0, null, 1, { message: 'no', code: 'X', retriable: false }), rec);
    expect(log.deadLetters()[0].headers).toEqual([{ key: 'kpt.run', value: 'r1' }, { key: 'kpt.seq', value: '42' }]);
  });
});
