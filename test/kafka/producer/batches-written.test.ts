// Sequences per partition from the batches on the wire: next and last acknowledged sequence, retries not counted
// twice, and an epoch bump or a sequence reset told as an event.
import { describe, expect, it } from 'vitest';
import { BatchesWritten, ProducerSequences, type SequenceEvent } from '../../../src/kafka/producer/metrics/batches-written.js';
import { EngineCounters } from '../../../src/kafka/producer/metrics/engine-counters.js';

/** A v2 batch header from the magic byte on (the wire monitor's ProducedBatch.bytes), with `body` bytes of records. */
function batch(producerId: number, epoch: number, baseSequence: number, records: number, codec = 0, crc = baseSequence, body = 10) {
  const b = Buffer.alloc(45 + body);
  b.writeInt8(2, 0);
  b.writeUInt32BE(crc, 1);
  b.writeInt16BE(codec, 5);
  b.writeBigInt64BE(BigInt(producerId), 27);
  b.writeInt16BE(epoch, 35);
  b.writeInt32BE(baseSequence, 37);
  b.writeInt32BE(records, 41);
  return { topic: 't', partition: 0, records, firstTimestamp: 0, maxTimestamp: 0, bytes: b };
}

describe('batches written', () => {
  it('tracks next and last acknowledged sequence, and counts a retried batch once', () => {
    const seqs = new ProducerSequences();
    const counters = new EngineCounters();
    const w = new BatchesWritten();
    const first = batch(7, 0, 0, 5);
    w.add(first, counters, seqs);
    w.add(first, counters, seqs); // the retry: same bytes
    w.add(batch(7, 0, 5, 3), counters, seqs);
    w.answered(first, seqs);
    expect(seqs.view('t')).toEqual([{ topic: 't', partition: 0, producerId: 7, epoch: 0, nextSequence: 8, lastAckedSequence: 4 }]);
    expect(counters.compression.get('none')?.after).toBe(2 * (55 + 16));
  });

  it('tells an epoch bump and a sequence reset', () => {
    const seqs = new ProducerSequences();
    const events: SequenceEvent[] = [];
    seqs.on((e) => events.push(e));
    const w = new BatchesWritten();
    const c = new EngineCounters();
    w.add(batch(7, 0, 0, 5), c, seqs);
    w.add(batch(7, 1, 0, 5, 0, 99), c, seqs);
    w.add(batch(8, 0, 0, 5, 1, 100), c, seqs);
    expect(events.map((e) => e.t)).toEqual(['epoch-bump', 'sequence-reset', 'sequence-reset']);
    expect(events[0]).toMatchObject({ from: 0, to: 1, producerId: 7 });
    expect(c.compression.get('gzip')?.after).toBe(71);
  });
});
