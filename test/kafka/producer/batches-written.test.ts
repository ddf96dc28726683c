// Sequences per partition from the batches the Sender writes: next and last acknowledged sequence, an epoch bump
// or a sequence reset told as an event; and a batch's codec read from its attributes.
import { describe, expect, it } from 'vitest';
import { batchCodec, ProducerSequences, type SequenceEvent } from '../../../src/kafka/producer/metrics/batches-written.js';

describe('producer sequences', () => {
  it('tracks next and last acknowledged sequence per partition', () => {
    const seqs = new ProducerSequences();
    seqs.written('t', 0, 7, 0, 0, 5);
    seqs.written('t', 0, 7, 0, 5, 3);
    seqs.answered('t', 0, 7, 0, 4);
    expect(seqs.view('t')).toEqual([{ topic: 't', partition: 0, producerId: 7, epoch: 0, nextSequence: 8, lastAckedSequence: 4 }]);
    seqs.answered('t', 0, 7, 0, 7);
    expect(seqs.view('t')[0].lastAckedSequence).toBe(7);
  });

  it('tells an epoch bump and a sequence reset', () => {
    const seqs = new ProducerSequences();
    const events: SequenceEvent[] = [];
    seqs.on((e) => events.push(e));
    seqs.written('t', 0, 7, 0, 0, 5);
    seqs.written('t', 0, 7, 1, 0, 5);
    seqs.written('t', 0, 8, 0, 0, 5);
    expect(events.map((e) => e.t)).toEqual(['epoch-bump', 'sequence-reset', 'sequence-reset']);
    expect(events[0]).toMatchObject({ from: 0, to: 1, producerId: 7 });
  });

  it('reads the codec from a record batch v2 header', () => {
    const b = Buffer.alloc(61);
    expect(batchCodec(b)).toBe('none');
    b.writeInt16BE(1, 21);
    expect(batchCodec(b)).toBe('gzip');
    b.writeInt16BE(4 | 16, 21); // zstd, transactional
    expect(batchCodec(b)).toBe('zstd');
  });
});
