// The broker's request log keeps the newest `capacity` requests, in order, however many arrive.
import { describe, expect, it } from 'vitest';
import { RequestLog } from '../../src/sandbox/server/request-log.js';


describe('RequestLog', () => {
  it('keeps the newest requests up to its capacity, oldest first', () => {
    const log = new RequestLog(4);
    for (let i = 1; i <= 11; i++) {
      log.add(i, 1, i % 2 === 0 ? 0 : 1, 9, 0, null, undefined, 0);
      const seqs = log.all().map((e) => e.seq);
      expect(seqs).toEqual(Array.from({ length: Math.min(i, 4) }, (_, k) => Math.max(1, i - 3) + k));
    }
    expect(log.recent(2).map((e) => e.seq)).toEqual([10, 11]);
    expect(log.recent(10).map((e) => e.seq)).toEqual([8, 9, 10, 11]);
    expect(log.find({ api: 'Produce' }).map((e) => e.broker)).toEqual([8, 10]);
    log.clear();
    log.add(2, 1, 0, 9, 0, null, undefined, 0);
    expect(log.all().map((e) => e.broker)).toEqual([2]);
  });
});
