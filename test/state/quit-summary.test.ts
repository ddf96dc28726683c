// The summary printed after quitting: its explanation lines fit an 80-column terminal (one long line was wrapped by
// the terminal in the middle of a word), and the count line reads "1 record", not "1 record(s)".
import { describe, expect, it } from 'vitest';
import type { EngineTotals } from '../../src/kafka/producer/engine-types.js';
import { DeliveryTally, flushText, summaryLines } from '../../src/state/quit-summary.js';

describe('summaryLines', () => {
  for (const how of ['flushed', 'forced', 'crashed'] as const) {
    it(`explains abandoned records in lines of at most 80 columns (${how})`, () => {
      const lines = summaryLines({ sent: 12_345, acknowledged: 10_000, failed: 0, abandoned: 2_345, unconfirmed: false }, how, 5000);
      expect(lines.slice(0, 2)).toEqual(['kafka-producer-tui:', 'sent 12,345 · acknowledged 10,000 · failed 0 · abandoned at quit 2,345']);
      expect(lines[2]).toMatch(/^2,345 records abandoned: /);
      for (const l of lines) expect(l.length, l).toBeLessThanOrEqual(80);
    });
  }

  it('keeps one line when it fits 80 columns, else puts the name on its own line', () => {
    expect(summaryLines({ sent: 120, acknowledged: 120, failed: 0, abandoned: 0, unconfirmed: false }, 'flushed', 5000)).toEqual([
      'kafka-producer-tui: sent 120 · acknowledged 120 · failed 0 · abandoned at quit 0',
    ]);
    const lines = summaryLines({ sent: 663_471, acknowledged: 663_000, failed: 0, abandoned: 471, unconfirmed: false }, 'flushed', 5000);
    expect(lines.slice(0, 2)).toEqual(['kafka-producer-tui:', 'sent 663,471 · acknowledged 663,000 · failed 0 · abandoned at quit 471']);
    for (const l of lines) expect(l.length, l).toBeLessThanOrEqual(80);
  });

  it('says "1 record abandoned"', () => {
    expect(summaryLines({ sent: 1, acknowledged: 0, failed: 0, abandoned: 1, unconfirmed: false }, 'forced', 5000)[1]).toMatch(/^1 record abandoned: /);
  });
});

describe('DeliveryTally', () => {
  const error = (code: string) => ({ code, message: code, retriable: false });

  it('counts every record of a batch report once, by its outcome, and the counts add up to what was sent', () => {
    let now = 1_000;
    const tally = new DeliveryTally(() => now);
    tally.onDelivered({ count: 15, error: null });
    tally.onDelivered({ count: 4, error: error('MESSAGE_TOO_LARGE') });
    tally.onDelivered({ count: 3, error: error('PRODUCER_CLOSED') });
    tally.quitting(500);
    now += 600; // past the flush time: what fails now is the quit's doing
    tally.onDelivered({ count: 2, error: error('REQUEST_TIMED_OUT') });
    const c = tally.counts(30, false);
    expect(c).toEqual({ sent: 30, acknowledged: 15, failed: 4, abandoned: 11, unconfirmed: false });
    expect(c.acknowledged + c.failed + c.abandoned).toBe(c.sent);
  });
});

describe('flushText', () => {
  const totals = (t: Partial<EngineTotals>) => ({ handed: 0, appended: 0, acked: 0, failed: 0, queuedRecords: 0, waitingAppends: 0, ...t }) as EngineTotals;

  it('names every record without an answer, queued and in flight, and those add up', () => {
    // 3,253 handed, 1,746 acknowledged: 1,507 waiting, of which 1,469 still in the accumulator.
    expect(flushText(totals({ handed: 3253, acked: 1746, queuedRecords: 1469 }), 5000)).toBe(
      'flushing 1,507 unacknowledged records (1,469 queued, 38 in flight; up to 5 s)...',
    );
  });

  it('names records still waiting for buffer.memory apart from those in flight', () => {
    expect(flushText(totals({ handed: 100, acked: 10, queuedRecords: 50, waitingAppends: 30 }), 5000)).toBe(
      'flushing 90 unacknowledged records (50 queued, 10 in flight, 30 waiting for buffer.memory; up to 5 s)...',
    );
  });

  it('counts failed records as answered, and says "closing" when nothing waits', () => {
    expect(flushText(totals({ handed: 10, acked: 7, failed: 3 }), 5000)).toBe('closing...');
    expect(flushText(totals({ handed: 10, acked: 7, failed: 2 }), 2000)).toBe('flushing 1 unacknowledged record (0 queued, 1 in flight; up to 2 s)...');
  });
});
