// MESSAGE_TOO_LARGE for a batch of several records (Java's Sender.completeBatch and
// RecordAccumulator.splitAndReenqueue): the batch is split and its records sent again, in order, without counting an
// attempt; the split shows in batch-split-total. A single record too large fails as RecordTooLargeException.
import { describe, expect } from 'vitest';
import { auditDelivery } from '../../../src/kafka/workload/delivery-audit.js';
import { KafkaMetrics } from '../../../src/kafka/producer/metrics/kafka-metrics.js';
import type { ProducerSettings } from '../../../src/kafka/producer/config/settings.js';
import { Workload } from '../../../src/kafka/workload/workload.js';
import { engineTest as it, type EngineFixtures, type SandboxFixtures } from '../../helpers/fixtures.js';

/** The topic takes batches of at most 2000 bytes; the producer builds batches of up to 16384. */
const TOPIC_CONFIGS = { 'max.message.bytes': '2000' };

async function splitRun({ sandbox, startEngine }: Pick<SandboxFixtures & EngineFixtures, 'sandbox' | 'startEngine'>, topic: string, partitions: number, settings: Partial<ProducerSettings>) {
  sandbox.cluster.createTopic(topic, partitions, 3, TOPIC_CONFIGS);
  const engine = await startEngine({ acks: 'all', 'batch.size': 16384, 'linger.ms': 30, ...settings });
  // Random letters: compression shrinks them too little to bring a batch under the topic's limit.
  const created = Workload.create(engine, { topic, key: { kind: 'random', space: 12 }, value: '{"seq": {{seq}}}', format: 'json', recordSize: 150, randomFill: true });
  if (!created.ok) throw new Error(created.errors.join('; '));
  const w = created.workload;
  const reports = await w.sendN(600);
  const audit = await auditDelivery(w.ledger, { brokers: sandbox.addresses() });
  return { engine, reports, audit, metrics: new KafkaMetrics(engine).values() };
}

describe('a batch the topic refuses as too large (MESSAGE_TOO_LARGE)', () => {
  it('is split and sent again: every record written once, in order, no attempt counted, the split in batch-split-total', async ({ sandbox, startEngine }) => {
    const r = await splitRun({ sandbox, startEngine }, 'split', 1, { 'max.in.flight.requests.per.connection': 1 });
    expect(r.audit).toMatchObject({ sent: 600, acked: 600, failed: 0, lost: 0, duplicated: 0, reordered: 0, read: 600 });
    expect(r.reports.filter((x) => x.error)).toEqual([]);
    expect(r.metrics['batch-split-total']).toBeGreaterThan(0);
    expect(r.metrics['batch-split-total']).toBe(r.engine.totals().batchSplits);
    // A split is not a retry: no record counts one, and each record's report says its batch went out once.
    expect(r.metrics['record-retry-total']).toBe(0);
    expect(Math.max(...r.reports.map((x) => x.attempts))).toBe(1);
  });

  it('with idempotence and 5 requests in flight: the parts keep the refused batch sequences, nothing lost, duplicated or reordered', async ({ sandbox, control, startEngine }) => {
    const r = await splitRun({ sandbox, startEngine }, 'split-idem', 3, { 'enable.idempotence': true, 'max.in.flight.requests.per.connection': 5 });
    expect(r.audit).toMatchObject({ sent: 600, acked: 600, failed: 0, lost: 0, duplicated: 0, reordered: 0, read: 600 });
    expect(r.metrics['batch-split-total']).toBeGreaterThan(0);
    // No epoch bump was needed: each partition's sequences run on from 0 over every record written to it.
    expect(r.engine.senderView().epochBumps).toBe(0);
    const perPartition = new Map<number, number>();
    for (const x of r.reports) perPartition.set(x.partition, (perPartition.get(x.partition) ?? 0) + 1);
    for (const q of r.engine.partitionSequences('split-idem')) {
      expect(q).toMatchObject({ nextSequence: perPartition.get(q.partition), lastAckedSequence: perPartition.get(q.partition)! - 1, unacked: 0 });
      // In the broker's log the batches' sequences follow on without a gap or an overlap.
      const stored = control.storedBatches('split-idem', q.partition);
      stored.forEach((b, i) => expect(b.baseSequence).toBe(i === 0 ? 0 : stored[i - 1].baseSequence + stored[i - 1].recordCount));
    }
  });

  it('compressed (gzip): the parts are compressed again, and every record is written once, in order', async ({ sandbox, startEngine }) => {
    const r = await splitRun({ sandbox, startEngine }, 'split-gzip', 2, { 'enable.idempotence': true, 'compression.type': 'gzip' });
    expect(r.audit).toMatchObject({ sent: 600, acked: 600, failed: 0, lost: 0, duplicated: 0, reordered: 0, read: 600 });
    expect(r.metrics['batch-split-total']).toBeGreaterThan(0);
  });

  // The broker has no state for a new producer id, so it takes that producer's first batch at any sequence (Kafka's
  // ProducerStateManager). A full first batch refused as too large, with a small second batch already on its way,
  // leaves the second written first, and the refused sequences can never follow. Before the fix, all 110 records were
  // reported written while the log held only the second batch's 8.
  it('a refused first batch overtaken by the next one: nothing reported written that is not, every record delivered', async ({ sandbox, control, startEngine }) => {
    sandbox.cluster.createTopic('overtaken', 1, 3, TOPIC_CONFIGS);
    const engine = await startEngine({ acks: 'all', 'enable.idempotence': true, 'max.in.flight.requests.per.connection': 5, 'batch.size': 16384, 'linger.ms': 0 });
    await engine.partitionsReady('overtaken');
    // 110 records of 150 B in one go: the first batch fills (about 100, over the topic's 2000 B), the second holds the rest.
    const sent = Array.from({ length: 110 }, (_, i) => engine.send({ topic: 'overtaken', key: null, value: Buffer.from(String(i).padStart(150, '.')), headers: [] }));
    const reports = await Promise.all(sent);
    expect(reports.filter((r) => r.error)).toEqual([]);
    const stored = control.storedBatches('overtaken', 0);
    expect(stored.reduce((n, b) => n + b.recordCount, 0)).toBe(110);
    // Each record acknowledged at its own offset, inside the log.
    const offsets = new Set(reports.map((r) => r.offset));
    expect(offsets.size).toBe(110);
    expect(Math.max(...reports.map((r) => r.offset ?? Infinity))).toBe(109);
    // The refused sequences were given up by an epoch bump (KIP-360), not waited on until delivery.timeout.ms.
    expect(engine.senderView().epochBumps).toBe(1);
  });

  it('fails a single record too large with MESSAGE_TOO_LARGE, not retried and not split', async ({ sandbox, startEngine }) => {
    sandbox.cluster.createTopic('one-big', 1, 3, TOPIC_CONFIGS);
    const engine = await startEngine({ 'linger.ms': 0 });
    const report = await engine.send({ topic: 'one-big', key: null, value: Buffer.alloc(3000, 97), headers: [] });
    expect(report.error).toMatchObject({ code: 'MESSAGE_TOO_LARGE', retriable: false });
    expect(report.attempts).toBe(1);
    expect(engine.totals()).toMatchObject({ batchSplits: 0, retries: 0 });
  });
});
