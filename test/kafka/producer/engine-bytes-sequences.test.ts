// What the engine reads off its own batches on the wire: bytes before and after compression per codec (the ratio
// the Live and Pipeline screens show), and an idempotent producer's id, epoch and sequences per partition.
import { describe, expect } from 'vitest';
import { ProducerEngine } from '../../../src/kafka/producer/producer-engine.js';
import { engineTest as it } from '../../helpers/fixtures.js';

const json = (i: number) => Buffer.from(JSON.stringify({ orderId: i, customer: `customer-${i % 10}`, status: 'CREATED', amount: 12.5, currency: 'EUR' }));

async function sendMany(e: ProducerEngine, topic: string, n: number) {
  await Promise.all(Array.from({ length: n }, (_, i) => e.send({ topic, key: Buffer.from(`k${i % 3}`), value: json(i), headers: [] })));
}

describe('bytes and sequences from the wire', () => {
  it('counts batch bytes before and after compression: the same with none, fewer after gzip', async ({ sandbox, startEngine }) => {
    sandbox.cluster.createTopic('bytes', 1, 3);
    const engine = await startEngine({ 'linger.ms': 20 });
    await sendMany(engine, 'bytes', 200);
    const none = engine.totals().compressionByCodec.none;
    expect(none.before).toBeGreaterThan(200 * 60);
    expect(none.after).toBe(none.before);
    expect(engine.totals().compressionRate).toBe(1);
    await engine.applySettings({ 'compression.type': 'gzip' });
    await sendMany(engine, 'bytes', 400);
    const gzip = engine.totals().compressionByCodec.gzip;
    expect(gzip.after / gzip.before).toBeLessThan(0.5);
    expect(engine.totals().compressionType).toBe('gzip');
  });

  it('shows the producer id, epoch, next and last acknowledged sequence per partition of an idempotent producer', async ({ sandbox, startEngine }) => {
    sandbox.cluster.createTopic('seqs', 2, 3);
    const engine = await startEngine({ 'enable.idempotence': true, 'linger.ms': 5 });
    await Promise.all(Array.from({ length: 30 }, (_, i) => engine.send({ topic: 'seqs', key: null, value: json(i), headers: [], partition: i % 2 })));
    const view = engine.partitionSequences('seqs');
    expect(view.map((p) => p.partition)).toEqual([0, 1]);
    for (const p of view) {
      expect(p.producerId).toBe(engine.status.producerId);
      expect(p.epoch).toBe(engine.status.producerEpoch);
      expect(p.nextSequence).toBe(15);
      expect(p.lastAckedSequence).toBe(14);
      expect(p.unacked).toBe(0);
    }
    // One source of truth: the Pipeline's rows are the Sender's own sequences.
    expect(engine.senderView().sequences.filter((q) => q.topic === 'seqs').map((q) => q.nextSequence)).toEqual(view.map((p) => p.nextSequence));
  });
});
