// The retry tracker without AsyncLocalStorage: a call's attempts are counted where kafkajs groups its messages
// (every attempt after the first retries the call's records), and its Produce frames, matched to batches by record
// count and timestamps (first send) or bytes (re-send), say when it is on the wire and why an attempt failed:
// kafkajs's Connection error line, its request_timeout event, or the connection closing. Hand-made frames here.
import { logLevel } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { ProducerBatch } from '../../../src/kafka/producer/accumulator/producer-batch.js';
import { RetryTracker } from '../../../src/kafka/producer/sender/retry-tracker.js';
import type { ProducedBatch, WireEvent, WireMonitor, WireRequest } from '../../../src/kafka/producer/sender/wire-monitor.js';

const BROKER = '127.0.0.1:9092';

function batch(partition: number, values: string[], timestamp = 1_700_000_000_000, topic = 't'): ProducerBatch {
  const b = new ProducerBatch(topic, partition, timestamp, 16384, 0);
  for (const v of values) b.tryAppend({ topic, partition, key: null, value: Buffer.from(v), headers: [], timestamp });
  return b;
}

/** The frame entry kafkajs would write for a batch; `bytes` stands for the encoded batch (same batch, same bytes). */
function produced(b: ProducerBatch, bytes = Buffer.from(`${b.topic}/${b.partition}/${b.records.map((r) => r.value).join(',')}`)): ProducedBatch {
  return { topic: b.topic, partition: b.partition, records: b.recordCount, firstTimestamp: b.firstTimestamp, maxTimestamp: b.maxTimestamp, bytes };
}

function setup() {
  const listeners: ((e: WireEvent) => void)[] = [];
  const wire = { on: (fn: (e: WireEvent) => void) => (listeners.push(fn), () => {}) } as unknown as WireMonitor;
  const tracker = new RetryTracker();
  tracker.watch(wire);
  let correlationId = 0;
  const write = (...batches: ProducedBatch[]): WireRequest => {
    const req: WireRequest = { broker: BROKER, apiKey: 0, apiVersion: 7, correlationId: correlationId++, bytes: 100, sentAt: 0, produced: batches };
    for (const l of listeners) l({ t: 'req.start', req, inFlight: 1 });
    return req;
  };
  const lose = (req: WireRequest) => listeners.forEach((l) => l({ t: 'req.lost', req, inFlight: 0 }));
  const log = tracker.logCreator()(logLevel.WARN);
  const connectionError = (req: WireRequest, error: string) =>
    log({ namespace: 'Connection', level: logLevel.ERROR, label: 'ERROR', log: { timestamp: '', message: 'Response Produce(key: 0, version: 7)', broker: req.broker, correlationId: req.correlationId, error } });
  return { tracker, write, lose, connectionError };
}

describe('retry tracker', () => {
  it("counts a call's attempts, retrying its records from the second on, with the failure its frame got", () => {
    const { tracker, write, connectionError } = setup();
    const a = batch(0, ['a1', 'a2', 'a3']);
    const b = batch(1, ['b1', 'b2']);
    const retries: [number, string][] = [];
    const r = tracker.track([a, b], (n, e) => retries.push([n, e]));
    tracker.attempted(r);
    const first = write(produced(a), produced(b));
    expect([r.attempts, a.sendAttempts, b.sendAttempts]).toEqual([1, 1, 1]);
    expect(retries).toEqual([]);
    connectionError(first, 'Messages are rejected since there are fewer in-sync replicas than required');
    tracker.attempted(r);
    write(produced(a), produced(b));
    expect(retries).toEqual([[5, 'Messages are rejected since there are fewer in-sync replicas than required']]);
    expect([r.attempts, a.sendAttempts, b.sendAttempts]).toEqual([2, 2, 2]);
    // No frame went out in this attempt and nothing answered: the failure came before any broker did.
    tracker.attempted(r);
    expect(retries[1]).toEqual([5, 'the attempt failed before a broker answered (connection or metadata)']);
    tracker.end(r);
    tracker.attempted(r);
    expect(r.attempts).toBe(3);
  });

  it('tells concurrent calls apart when both fail at once, whatever order their retries come in', () => {
    const { tracker, write, lose } = setup();
    const a = batch(0, ['a1', 'a2']);
    const b = batch(1, ['b1', 'b2', 'b3', 'b4', 'b5', 'b6', 'b7']);
    const retries: [string, number, string][] = [];
    const ra = tracker.track([a], (n, e) => retries.push(['a', n, e]));
    const rb = tracker.track([b], (n, e) => retries.push(['b', n, e]));
    tracker.attempted(ra);
    tracker.attempted(rb);
    const fa = write(produced(a));
    write(produced(b));
    lose(fa); // only a's frame was in flight when its connection closed
    tracker.attempted(rb);
    tracker.attempted(ra);
    expect(retries).toEqual([
      ['b', 7, 'the attempt failed before a broker answered (connection or metadata)'],
      ['a', 2, `connection to ${BROKER} closed before the answer`],
    ]);
  });

  it('attributes a request timeout to its frame only, and a re-sent frame to its batch by its bytes', () => {
    const { tracker, write } = setup();
    const a = batch(0, ['a']);
    const b = batch(0, ['b']); // the same partition, count and timestamp: told apart by bytes once out
    const errors: [string, string][] = [];
    const ra = tracker.track([a], (_n, e) => errors.push(['a', e]));
    tracker.attempted(ra);
    const fa = write(produced(a));
    const rb = tracker.track([b], (_n, e) => errors.push(['b', e]));
    tracker.attempted(rb);
    const fb = write(produced(b));
    const again = write(produced(a)); // a's second attempt reaches the wire: a frame of a, not of b
    tracker.noteTimeout(BROKER, fb.correlationId);
    tracker.attempted(rb);
    tracker.noteTimeout(BROKER, again.correlationId);
    tracker.attempted(ra);
    expect(errors).toEqual([
      ['b', 'no answer within request.timeout.ms'],
      ['a', 'no answer within request.timeout.ms'],
    ]);
    expect(fa.correlationId).toBe(0);
  });

  it('resolves written once every batch of a request is on the wire', async () => {
    const { tracker, write } = setup();
    const a = batch(0, ['a']);
    const b = batch(1, ['b']);
    const r = tracker.track([a, b], () => {});
    let written = false;
    void r.written.then(() => (written = true));
    write(produced(a));
    await Promise.resolve();
    expect(written).toBe(false);
    write(produced(b));
    await Promise.resolve();
    expect(written).toBe(true);
  });

  it('makes a request wait for a same-looking unsent batch to go out, and for identical records to be done', () => {
    const { tracker, write } = setup();
    const first = batch(0, ['x', 'y']);
    const sameShape = batch(0, ['p', 'q']);
    const sameRecords = batch(0, ['x', 'y']);
    const other = batch(0, ['x', 'y', 'z']);
    const r1 = tracker.track([first], () => {});
    expect(tracker.blockers([other])).toEqual([]);
    expect(tracker.blockers([sameShape])).toEqual([r1.written]);
    write(produced(first));
    expect(tracker.blockers([sameShape])).toEqual([]);
    expect(tracker.blockers([sameRecords])).toEqual([r1.settled]);
    tracker.end(r1);
    expect(tracker.blockers([sameRecords])).toEqual([]);
  });

  it('ignores frames of batches it does not track, and a late error for a finished request', () => {
    const { tracker, write, connectionError } = setup();
    const a = batch(0, ['a']);
    const r = tracker.track([a], () => {
      throw new Error('no retry expected');
    });
    tracker.attempted(r);
    const f = write(produced(a));
    write(produced(batch(5, ['elsewhere'])));
    tracker.end(r);
    connectionError(f, 'late');
    expect(r.lastError).toBeNull();
  });
});
