import { describe, expect, it } from 'vitest';
import type { BatchDelivery, DeliveryReport, OutgoingRecord } from '../../../src/kafka/producer/engine-types.js';
import { recordHeaders } from '../../../src/kafka/producer/delivery-log.js';
import { STAMP_HEADER } from '../../../src/kafka/workload/audit-stamp.js';
import { TokenBucket } from '../../../src/kafka/workload/token-bucket.js';
import { Workload, type RecordSpec, type WorkloadEngine } from '../../../src/kafka/workload/workload.js';
import { FakeClock, settle } from '../../helpers/fake-clock.js';

/** An engine whose sends complete only when the test says so. */
class FakeEngine implements WorkloadEngine {
  readonly sent: { rec: OutgoingRecord; resolve: (error?: string) => void }[] = [];
  waitingAppends = 0;
  private nextId = 1;
  private pending = 0;
  maxPending = 0;

  send(rec: OutgoingRecord): Promise<DeliveryReport> {
    const id = this.nextId++;
    this.pending++;
    this.maxPending = Math.max(this.maxPending, this.pending);
    return new Promise((resolve) => {
      this.sent.push({
        rec,
        resolve: (error) => {
          this.pending--;
          resolve({
            id, topic: rec.topic, partition: 0, offset: error ? null : id - 1, keyPreview: null, valuePreview: '',
            bytes: rec.value?.length ?? 0, latencyMs: 1, attempts: 1, at: 0,
            error: error ? { message: error, code: error, retriable: false } : null,
          });
        },
      });
    });
  }

  totals() {
    return { waitingAppends: this.waitingAppends };
  }

  /** Completes every send not yet completed. */
  async completeAll(error?: string): Promise<void> {
    for (const s of this.sent.splice(0)) s.resolve(error);
    await settle();
  }
}

const spec = (over: Partial<RecordSpec> = {}): RecordSpec => ({ topic: 't', key: { kind: 'fixed', key: 'a' }, value: 'v{{seq}}', format: 'string', ...over });

function make(engine: FakeEngine, over: Partial<RecordSpec> = {}, opts: { maxOutstanding?: number; clock?: FakeClock } = {}) {
  const w = Workload.create(engine, spec(over), { clock: opts.clock ?? new FakeClock(), maxOutstanding: opts.maxOutstanding, tickMs: 10, runId: 'run1' });
  if (!w.ok) throw new Error(w.errors.join('; '));
  return w.workload;
}

// Every header as the batch carries it: the sequence header is a number on the record, written in decimal.
const header = (r: OutgoingRecord, k: string) => recordHeaders(r).find((h) => h.key === k)?.value;
/** The run id and the sequence in a record's audit stamp ("run:seq"). */
const runOf = (r: OutgoingRecord) => header(r, STAMP_HEADER)?.split(':')[0];
const seqOf = (r: OutgoingRecord) => header(r, STAMP_HEADER)?.split(':')[1];

describe('token bucket', () => {
  it('gives R tokens per second whatever the tick size, carrying fractions', () => {
    const b = new TokenBucket(7, 0);
    let total = b.take(0); // the starting token
    for (let t = 10; t <= 1000; t += 10) total += b.take(t);
    expect(total).toBe(8);
    b.setRate(1000, 1000);
    expect(b.take(1003)).toBe(3);
  });

  it('accrues time before a rate change at the old rate', () => {
    const b = new TokenBucket(100, 0);
    b.take(0);
    b.setRate(0, 500); // 50 tokens earned before the pause
    expect(b.take(2000)).toBe(50);
    expect(() => b.setRate(-1, 2000)).toThrow(/rate must be/);
  });
});

describe('workload', () => {
  it('stamps every record with the run id and a per-key sequence, null keys under one sequence', async () => {
    const engine = new FakeEngine();
    const distinct = make(engine, { key: { kind: 'template', template: 'user-{{seq}}' } });
    const sending = distinct.sendN(3);
    await settle();
    // Every key is new, so every record is sequence 0 of its key.
    expect(engine.sent.map((s) => [s.rec.key?.toString(), seqOf(s.rec)])).toEqual([['user-0', '0'], ['user-1', '0'], ['user-2', '0']]);
    await engine.completeAll();
    await sending;
    const w = make(engine, { key: { kind: 'null' } });
    for (const k of ['a', null, 'a', null, 'b']) {
      w.respec({ key: k === null ? { kind: 'null' } : { kind: 'fixed', key: k } });
      void w.sendN(1);
      await settle();
    }
    expect(engine.sent.map((s) => [s.rec.key?.toString() ?? null, seqOf(s.rec), runOf(s.rec)])).toEqual([
      ['a', '0', 'run1'],
      [null, '0', 'run1'],
      ['a', '1', 'run1'],
      [null, '1', 'run1'],
      ['b', '0', 'run1'],
    ]);
    // One header, as kcat shows it: the stamp and the spec's own headers, nothing else.
    expect(recordHeaders(engine.sent.at(-1)!.rec)).toEqual([{ key: 'kpt', value: 'run1:0' }]);
  });

  it('sendN resolves with every report in issue order, never more than maxOutstanding at once', async () => {
    const engine = new FakeEngine();
    const w = make(engine, {}, { maxOutstanding: 3 });
    const done = w.sendN(10);
    await settle();
    for (let i = 0; i < 10 && engine.sent.length > 0; i++) {
      expect(engine.sent.length).toBeLessThanOrEqual(3);
      engine.sent.shift()!.resolve(i === 4 ? 'BOOM' : undefined);
      await settle();
    }
    await engine.completeAll();
    const reports = await done;
    expect(reports).toHaveLength(10);
    expect(reports.map((r) => r.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(engine.maxPending).toBe(3);
    expect(w.stats()).toMatchObject({ issued: 10, acked: 9, failed: 1, outstanding: 0 });
    expect(w.ledger).toMatchObject({ sent: 10, acked: 9, failed: 1 });
  });

  it('stops issuing while the engine has appends waiting for memory, and resumes on the next report', async () => {
    const engine = new FakeEngine();
    const clock = new FakeClock();
    const w = make(engine, {}, { maxOutstanding: 100, clock });
    const done = w.sendN(5);
    await settle();
    expect(engine.sent).toHaveLength(5);
    await engine.completeAll();
    await done;
    engine.waitingAppends = 2;
    await clock.advance(1); // the workload re-reads the engine's totals once per clock millisecond
    const more = w.sendN(5);
    await settle();
    expect(engine.sent).toHaveLength(1); // one may go: nothing of ours is outstanding yet
    engine.waitingAppends = 0;
    await clock.advance(1);
    await engine.completeAll();
    await engine.completeAll();
    expect(await more).toHaveLength(5);
  });

  it('sendN at a rate issues on schedule and skips nothing', async () => {
    const engine = new FakeEngine();
    const clock = new FakeClock();
    const w = make(engine, {}, { clock });
    const done = w.sendN(25, { ratePerSec: 100 });
    await settle();
    expect(engine.sent).toHaveLength(1);
    await clock.advance(100);
    expect(engine.sent).toHaveLength(11);
    await clock.advance(1000);
    await engine.completeAll();
    expect(await done).toHaveLength(25);
    expect(w.stats().behindSchedule).toBe(0);
    expect(clock.pendingTimers).toBe(0);
  });

  it('produces continuously at R/s, changes R live, stops, and counts what it could not issue as behind schedule', async () => {
    const engine = new FakeEngine();
    const clock = new FakeClock();
    const w = make(engine, {}, { clock, maxOutstanding: 50 });
    w.startRate(200);
    await settle();
    await clock.advance(1000);
    expect(engine.sent.length).toBe(50); // 201 due, 50 allowed outstanding
    expect(w.stats().behindSchedule).toBe(151);
    await engine.completeAll();
    w.setRate(20);
    const before = w.stats().issued;
    await clock.advance(1000);
    expect(w.stats().issued - before).toBe(20);
    expect(w.stats()).toMatchObject({ ratePerSec: 20, behindSchedule: 151 });
    w.stop();
    await engine.completeAll();
    const stopped = w.stats().issued;
    await clock.advance(1000);
    expect(w.stats().issued).toBe(stopped);
    expect(w.stats().ratePerSec).toBeNull();
    expect(clock.pendingTimers).toBe(0);
    await w.idle();
  });

  it('hands a rate over in bursts 25 ms apart, one record per tick when slow, and a raised rate applies at once', async () => {
    const engine = new FakeEngine();
    const clock = new FakeClock();
    const created = Workload.create(engine, spec(), { clock, runId: 'run1' }); // the default period, not the tests' 10 ms
    if (!created.ok) throw new Error(created.errors.join('; '));
    const w = created.workload;
    const burstsIn = async (ms: number, step: number) => {
      const sizes: number[] = [];
      for (let t = 0; t < ms; t += step) {
        const before = engine.sent.length;
        await clock.advance(step);
        if (engine.sent.length > before) sizes.push(engine.sent.length - before);
        await engine.completeAll();
      }
      return sizes;
    };
    w.startRate(1000);
    await settle();
    await engine.completeAll();
    // 1,000 records a second: a burst of 25 every 25 ms, 40 a second, none in between.
    expect(await burstsIn(1000, 5)).toEqual(Array(40).fill(25));
    // 10 a second: one record per 100 ms tick, not a tick every 25 ms with nothing to send.
    w.setRate(10);
    await burstsIn(100, 100); // the tick armed at the old period
    expect(await burstsIn(1000, 10)).toEqual(Array(10).fill(1));
    // Raised again: the new rate does not wait out the 100 ms tick.
    w.setRate(1000);
    expect(await burstsIn(50, 5)).toEqual([25, 25]);
    w.stop();
    expect(clock.pendingTimers).toBe(0);
  });

  it('stop ends a sendN early with the reports of what was issued', async () => {
    const engine = new FakeEngine();
    const clock = new FakeClock();
    const w = make(engine, {}, { clock });
    const done = w.sendN(100, { ratePerSec: 10 });
    await settle();
    await clock.advance(500);
    w.stop();
    await engine.completeAll();
    const reports = await done;
    expect(reports.length).toBeGreaterThan(0);
    expect(reports.length).toBe(w.stats().issued);
    expect(reports.every((r) => r !== null)).toBe(true);
  });

  it('skips records whose JSON breaks after templating, says why, and sends the rest', async () => {
    const engine = new FakeEngine();
    // {{uuid}} outside quotes: the sample record gets "1" (valid), then "2", "oops", "3".
    const uuids = ['1', '2', 'oops', '3'];
    const created = Workload.create(engine, spec({ format: 'json', value: '{"k": {{uuid}}}' }), { uuid: () => uuids.shift()! });
    if (!created.ok) throw new Error(created.errors.join('; '));
    const w = created.workload;
    const done = w.sendN(3);
    await settle();
    await engine.completeAll();
    expect((await done).map((r) => r.id)).toEqual([1, 2]);
    expect(engine.sent).toHaveLength(0);
    expect(w.stats()).toMatchObject({ issued: 2, invalid: 1, lastInvalid: expect.stringMatching(/^value of record 1 is not valid JSON: line 1, column 7: .oops. is not a JSON value/) });
    expect(w.ledger.sent).toBe(2);
    expect(w.respec({ value: '{"k": "{{key}}"} x' })).toMatchObject({ ok: false, errors: [expect.stringMatching(/^value of record 0 is not valid JSON: line 1, column 12: unexpected 'x'/)] });
  });

  it('rejects a bad spec or count with a message, creating nothing', async () => {
    const engine = new FakeEngine();
    expect(Workload.create(engine, spec({ value: '{{oops}}' }))).toMatchObject({ ok: false, errors: [expect.stringContaining('unknown placeholder {{oops}}')] });
    const w = make(engine);
    await expect(w.sendN(-1)).rejects.toThrow(/whole number/);
    expect(() => w.startRate(Number.NaN)).toThrow(/rate must be/);
    expect(engine.sent).toHaveLength(0);
  });
});

describe('workload over an engine with produce()', () => {
  /** FakeEngine's sends, through the callback API: reports in issue order, no promise per record. */
  class CallbackEngine extends FakeEngine {
    promises = 0;
    override send(rec: OutgoingRecord): Promise<DeliveryReport> {
      this.promises++;
      return super.send(rec);
    }
    produce(rec: OutgoingRecord, onReport: (r: DeliveryReport, rec: OutgoingRecord) => void): void {
      void FakeEngine.prototype.send.call(this, rec).then((r) => onReport(r, rec));
    }
  }

  it('sends through produce() when the engine has it, with the same reports, ledger and limits', async () => {
    const engine = new CallbackEngine();
    const w = make(engine, {}, { maxOutstanding: 5 });
    const done = w.sendN(12);
    await settle();
    expect(engine.sent.map((s) => seqOf(s.rec))).toEqual(['0', '1', '2', '3', '4']);
    while (engine.sent.length > 0) await engine.completeAll();
    const reports = await done;
    expect(reports.map((r) => r.offset)).toEqual(Array.from({ length: 12 }, (_, i) => i));
    expect(engine.promises).toBe(0);
    expect(engine.maxPending).toBe(5);
    expect(w.stats()).toMatchObject({ issued: 12, acked: 12, failed: 0, outstanding: 0 });
    expect(w.ledger.runId).toBe('run1');
  });

  it('gives each record its own key, sequence and report while record objects are reused after their reports', async () => {
    const engine = new CallbackEngine();
    const w = make(engine, { key: { kind: 'fixed', key: 'k' }, value: 'v{{seq}}' }, { maxOutstanding: 3 });
    const seen: string[] = [];
    w.onReport((r, key, seq) => seen.push(`${key}/${seq}/${r.offset}`));
    const sent: string[] = [];
    const done = w.sendN(9);
    for (let wave = 0; wave < 3; wave++) {
      await settle();
      // What the engine was handed, read when handed (the objects are reused once reported).
      for (const s of engine.sent) sent.push(`${s.rec.key?.toString()}=${s.rec.value?.toString()}#${seqOf(s.rec)}`);
      await engine.completeAll();
    }
    await done;
    expect(sent).toEqual(Array.from({ length: 9 }, (_, i) => `k=v${i}#${i}`));
    expect(seen).toEqual(Array.from({ length: 9 }, (_, i) => `k/${i}/${i}`));
    expect(w.ledger.acked).toBe(9);
    expect(w.ledger.pending).toBe(0);
  });
});

describe('workload over an engine with produceBatched()', () => {
  /** FakeEngine's records, reported a batch of up to 4 at a time (a failed batch fails all its records). */
  class BatchEngine extends FakeEngine {
    readonly queued: { rec: OutgoingRecord; onBatch: (d: BatchDelivery) => void }[] = [];
    private nextOffset = 0;
    produceBatched(rec: OutgoingRecord, onBatch: (d: BatchDelivery) => void): void {
      this.queued.push({ rec, onBatch });
    }
    /** Reports what is queued now (not what is issued meanwhile), in batches of up to 4, in order. */
    async completeBatches(error?: string): Promise<void> {
      for (let left = this.queued.length; left > 0; ) {
        const batch = this.queued.splice(0, Math.min(4, left));
        left -= batch.length;
        const base = error ? null : this.nextOffset;
        if (!error) this.nextOffset += batch.length;
        const reports = batch.map(({ rec }, i): DeliveryReport => ({
          id: 0, topic: rec.topic, partition: 1, offset: base === null ? null : base + i, keyPreview: null, valuePreview: '',
          bytes: rec.value?.length ?? 0, latencyMs: 2, attempts: 1, at: 0, error: error ? { message: error, code: error, retriable: false } : null,
        }));
        batch[0].onBatch({
          topic: 't', partition: 1, count: batch.length, baseOffset: base, error: reports[0].error, attempts: 1,
          record: (i) => batch[i].rec, latencyMs: () => 2, bytes: (i) => reports[i].bytes, report: (i) => reports[i],
        });
        await settle();
      }
    }
  }

  it('settles the ledger, counts, collected reports and listeners from batch reports, reusing record objects', async () => {
    const engine = new BatchEngine();
    const w = make(engine, { key: { kind: 'fixed', key: 'k' } }, { maxOutstanding: 6 });
    const seen: string[] = [];
    w.onReport((r, key, seq) => seen.push(`${key}/${seq}/${r.offset}`));
    let batched = 0;
    w.onBatch((d) => (batched += d.count));
    const sent: string[] = [];
    const done = w.sendN(10);
    for (let wave = 0; wave < 2; wave++) {
      await settle();
      expect(engine.queued.length).toBeLessThanOrEqual(6);
      for (const q of engine.queued) sent.push(`${q.rec.value?.toString()}#${seqOf(q.rec)}`);
      await engine.completeBatches();
    }
    const reports = await done;
    expect(sent).toEqual(Array.from({ length: 10 }, (_, i) => `v${i}#${i}`));
    expect(reports.map((r) => r.offset)).toEqual(Array.from({ length: 10 }, (_, i) => i));
    expect(seen).toEqual(Array.from({ length: 10 }, (_, i) => `k/${i}/${i}`));
    expect(batched).toBe(10);
    expect(w.stats()).toMatchObject({ issued: 10, acked: 10, failed: 0, outstanding: 0 });
    expect([w.ledger.acked, w.ledger.failed, w.ledger.pending]).toEqual([10, 0, 0]);
    expect([...w.ledger.maxAckedOffset]).toEqual([[1, 9]]);
  });

  it('settles two sendN calls whose records share batches: each resolves with its own reports, keys keep their sequences', async () => {
    const engine = new BatchEngine();
    const w = make(engine, { key: { kind: 'template', template: 'k{{seq}}' } }, { maxOutstanding: 100 });
    const a = w.sendN(3);
    await settle();
    w.respec({ key: { kind: 'random', space: 2 } });
    const b = w.sendN(5);
    await settle();
    // 8 records reported in batches of 4: the second batch holds a's last record and b's first three.
    expect(engine.queued.length).toBe(8);
    const keys = engine.queued.map((q) => `${q.rec.key?.toString()}#${seqOf(q.rec)}`);
    await engine.completeBatches();
    const [ra, rb] = await Promise.all([a, b]);
    expect(ra.map((r) => r.offset)).toEqual([0, 1, 2]);
    expect(rb.map((r) => r.offset)).toEqual([3, 4, 5, 6, 7]);
    expect(keys.slice(0, 3)).toEqual(['k0#0', 'k1#0', 'k2#0']);
    // Random keys key-0/key-1: each key's sequence counts up from 0 in issue order, whatever the order of keys.
    const perKey = new Map<string, number[]>();
    for (const k of keys.slice(3)) {
      const [key, seq] = k.split('#');
      perKey.set(key, [...(perKey.get(key) ?? []), Number(seq)]);
    }
    for (const seqs of perKey.values()) expect(seqs).toEqual(seqs.map((_, i) => i));
    expect(w.stats()).toMatchObject({ issued: 8, acked: 8, outstanding: 0, activeSends: 0 });
    expect([w.ledger.acked, w.ledger.pending]).toEqual([8, 0]);
  });

  it('gives records issued in one turn the same {{now}} and each its own {{seq}}', async () => {
    const engine = new BatchEngine();
    // A clock that moves on every look: records each reading it would each get another time.
    class TickingClock extends FakeClock {
      looks = 0;
      override now(): number {
        return super.now() + this.looks++;
      }
    }
    const clock = new TickingClock();
    const w = make(engine, { value: '{{seq}}@{{ts}}' }, { clock });
    const done = w.sendN(3, { collect: false });
    await settle();
    const times = engine.queued.map((q) => q.rec.value?.toString().split('@')[1]);
    expect(engine.queued.map((q) => q.rec.value?.toString().split('@')[0])).toEqual(['0', '1', '2']);
    expect(new Set(times).size).toBe(1);
    await engine.completeBatches();
    await done;
  });

  it('counts a failed batch as failed records, and moves no acknowledged offset', async () => {
    const engine = new BatchEngine();
    const w = make(engine, {}, { maxOutstanding: 10 });
    const done = w.sendN(3, { collect: false });
    await settle();
    await engine.completeBatches('NOT_ENOUGH_REPLICAS');
    await done;
    expect(w.stats()).toMatchObject({ issued: 3, acked: 0, failed: 3, outstanding: 0 });
    expect([w.ledger.acked, w.ledger.failed]).toEqual([0, 3]);
    expect(w.ledger.maxAckedOffset.size).toBe(0);
  });
});
