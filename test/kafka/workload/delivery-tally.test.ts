// The audit's counting rules on hand-made read-backs (no cluster): which records count as lost, duplicated,
// reordered and failed-but-written, and that only this run's records count.
import { describe, expect, it } from 'vitest';
import { auditSummary, DeliveryTally } from '../../../src/kafka/workload/delivery-audit.js';
import type { DeliveryReport } from '../../../src/kafka/producer/engine-types.js';
import { STAMP_HEADER, stampText } from '../../../src/kafka/workload/audit-stamp.js';
import { RunLedger } from '../../../src/kafka/workload/run-ledger.js';
import type { ReadBackRecord } from '../../../src/kafka/workload/topic-reader.js';

const report = (partition: number, offset: number | null, error = false): DeliveryReport => ({
  id: 0, topic: 't', partition, offset, keyPreview: null, valuePreview: '', bytes: 0, latencyMs: 0, attempts: 1, at: 0,
  error: error ? { message: 'timed out', code: 'REQUEST_TIMED_OUT', retriable: true } : null,
});

/** Sends `keys` in order; returns the (key, seq) of each. */
function send(ledger: RunLedger, keys: (string | null)[], outcome: (i: number) => 'ack' | 'fail' | 'pending' = () => 'ack') {
  return keys.map((key, i) => {
    const seq = ledger.take(key);
    const o = outcome(i);
    if (o !== 'pending') ledger.settle(key, seq, report(0, i, o === 'fail'));
    return { key, seq };
  });
}

let offset = 0;
const read = (key: string | null, seq: number, partition = 0, run = 'r1'): ReadBackRecord => ({
  partition,
  offset: offset++,
  key: key === null ? null : Buffer.from(key),
  headers: { [STAMP_HEADER]: Buffer.from(stampText(run, seq)) },
});

describe('delivery tally', () => {
  it('a clean read-back counts 0 lost, 0 duplicated, 0 reordered', () => {
    const ledger = new RunLedger('t', 'r1');
    const sent = send(ledger, ['a', 'b', 'a', null, null]);
    const tally = new DeliveryTally(ledger);
    for (const s of sent) tally.add(read(s.key, s.seq));
    tally.add(read('a', 0, 0, 'other-run')); // another run's record: ignored
    const r = tally.result(new Map([[0, 6]]));
    expect(auditSummary(r)).toEqual({ sent: 5, acked: 5, failed: 0, lost: 0, duplicated: 0, reordered: 0 });
    expect(r).toMatchObject({ read: 5, failedButWritten: 0, unknown: 0, pending: 0, endOffsets: { 0: 6 } });
    expect(Object.keys(r.perKey).sort()).toEqual(['(null)', 'a', 'b']);
  });

  it('counts acknowledged records never read as lost, and pending ones not', () => {
    const ledger = new RunLedger('t', 'r1');
    send(ledger, ['a', 'a', 'a', 'a'], (i) => (i === 3 ? 'pending' : 'ack'));
    const tally = new DeliveryTally(ledger);
    tally.add(read('a', 0));
    const r = tally.result(new Map());
    expect(r).toMatchObject({ acked: 3, lost: 2, pending: 1, examples: { lost: [{ key: 'a', seq: 1 }, { key: 'a', seq: 2 }] } });
  });

  it('counts every extra copy as a duplicate, and a late copy as a duplicate, not a reordering', () => {
    const ledger = new RunLedger('t', 'r1');
    send(ledger, ['a', 'a', 'a']);
    const tally = new DeliveryTally(ledger);
    for (const seq of [0, 1, 1, 2, 1, 0]) tally.add(read('a', seq));
    const r = tally.result(new Map());
    expect(r).toMatchObject({ duplicated: 3, reordered: 0, lost: 0, read: 6 });
    expect(r.examples.duplicated).toEqual([{ key: 'a', seq: 0, copies: 2 }, { key: 'a', seq: 1, copies: 3 }]);
  });

  it('counts each record read after a higher sequence of its key once, per partition', () => {
    const ledger = new RunLedger('t', 'r1');
    send(ledger, ['a', 'a', 'a', 'a', 'a', 'b', 'b', null, null]);
    const tally = new DeliveryTally(ledger);
    // a: 2, 3, 4 written before the retried 0, 1 -> 2 reordered; b in order; null key on two partitions each in order.
    for (const seq of [2, 3, 4, 0, 1]) tally.add(read('a', seq));
    tally.add(read('b', 0));
    tally.add(read('b', 1));
    tally.add(read(null, 1, 1));
    tally.add(read(null, 0, 2));
    const r = tally.result(new Map());
    expect(r).toMatchObject({ reordered: 2, lost: 0, duplicated: 0 });
    expect(r.perKey.a).toMatchObject({ reordered: 2, sent: 5 });
    expect(r.perKey['(null)']).toMatchObject({ reordered: 0 });
    expect(r.examples.reordered[0]).toMatchObject({ key: 'a', seq: 0, afterSeq: 4 });
  });

  it('finds records reported failed that were written anyway, and ignores sequences it never handed out', () => {
    const ledger = new RunLedger('t', 'r1');
    send(ledger, ['a', 'a'], (i) => (i === 1 ? 'fail' : 'ack'));
    const tally = new DeliveryTally(ledger);
    tally.add(read('a', 0));
    tally.add(read('a', 1));
    tally.add(read('a', 7));
    tally.add(read('zzz', 0));
    const r = tally.result(new Map());
    expect(r).toMatchObject({ failed: 1, failedButWritten: 1, lost: 0, unknown: 2, examples: { failedButWritten: [{ key: 'a', seq: 1 }] } });
  });

  it('keeps a null key apart from a key that reads "(null)"', () => {
    const ledger = new RunLedger('t', 'r1');
    send(ledger, [null, '(null)']);
    const tally = new DeliveryTally(ledger);
    tally.add(read(null, 0));
    const r = tally.result(new Map());
    expect(r.lost).toBe(1);
  });

  it('lists keys with problems first and says how many were left out', () => {
    const ledger = new RunLedger('t', 'r1');
    send(ledger, ['k1', 'k2', 'k3', 'k4']);
    const tally = new DeliveryTally(ledger);
    for (const k of ['k1', 'k2', 'k3']) tally.add(read(k, 0));
    const r = tally.result(new Map(), 2);
    expect(Object.keys(r.perKey)[0]).toBe('k4');
    expect(r.perKeyOmitted).toBe(2);
  });

  it('counts records read from one reused buffer (a fetch answer) by key, whatever key came before', () => {
    const ledger = new RunLedger('t', 'r1');
    send(ledger, ['ab', 'ab', 'cd', 'ab', 'cd']);
    const tally = new DeliveryTally(ledger);
    // The reader hands keys as views into its answer: the same bytes are overwritten by the next record's key.
    const answer = Buffer.alloc(2);
    const copies = [['ab', 0], ['ab', 1], ['cd', 0], ['ab', 2], ['cd', 1], ['ab', 1]].map(([key, seq]) => {
      answer.write(key as string);
      return tally.count(0, offset++, answer, stampText('r1', seq as number));
    });
    expect(copies).toEqual([1, 1, 1, 1, 1, 2]);
    expect(tally.count(0, offset++, null, 'r1:0')).toBe(0); // no null-key record was sent
    expect(tally.count(0, offset++, answer, 'other-run:0')).toBe(0);
    expect(tally.count(0, offset++, answer, 'r10:0')).toBe(0); // a run whose id starts with this one's
    expect(tally.count(0, offset++, answer, null)).toBe(0); // no stamp: not the app's record
    expect(tally.count(0, offset++, answer, 'r1:1x')).toBe(0); // this run's, but no sequence: read, unknown
    const r = tally.result(new Map());
    expect(r).toMatchObject({ read: 8, unknown: 2, duplicated: 1, lost: 0, reordered: 0 });
    expect(r.perKey.ab).toMatchObject({ sent: 3, duplicated: 1, lost: 0 });
    expect(r.perKey.cd).toMatchObject({ sent: 2, lost: 0 });
  });
});
