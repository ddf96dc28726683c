import { afterEach, describe, expect, it } from 'vitest';
import { ProducerEngine } from '../../src/kafka/producer-engine.js';
import type { Sandbox } from '../../src/sandbox/sandbox.js';
import { startSandbox } from '../helpers/sandbox.js';

let sandbox: Sandbox | undefined;
let engine: ProducerEngine | undefined;
afterEach(async () => {
  await engine?.close(2000);
  await sandbox?.close();
  engine = sandbox = undefined;
});

const rec = (topic: string, i: number, key: string | null = `k${i % 10}`) => ({
  topic,
  key: key === null ? null : Buffer.from(key),
  value: Buffer.from(`value-${i}`),
  headers: [],
});

describe('producer engine on the sandbox', () => {
  it('delivers every record with offsets, and linger batches records into fewer requests', async () => {
    sandbox = await startSandbox();
    sandbox.cluster.createTopic('eng', 3, 3);
    engine = await ProducerEngine.start({ brokers: sandbox.addresses(), settings: { 'linger.ms': 20 } });
    const reports = await Promise.all(Array.from({ length: 1000 }, (_, i) => engine!.send(rec('eng', i))));
    expect(reports.filter((r) => r.error).map((r) => r.error)).toEqual([]);
    expect(reports.every((r) => r.offset !== null)).toBe(true);
    const hw = sandbox.cluster.topics.get('eng')!.partitions.reduce((n, p) => n + p.highWatermark, 0);
    expect(hw).toBe(1000);
    expect(engine.counters.recordsPerRequest()).toBeGreaterThan(20);
  });

  it('reports a record above max.message.bytes as a non-retriable failure in the dead-letter list', async () => {
    sandbox = await startSandbox();
    sandbox.cluster.createTopic('small', 1, 3, { 'max.message.bytes': '1000' });
    engine = await ProducerEngine.start({ brokers: sandbox.addresses(), settings: { 'linger.ms': 0 } });
    const r = await engine.send({ topic: 'small', key: null, value: Buffer.alloc(5000, 97), headers: [] });
    expect(r.error?.code).toBe('MESSAGE_TOO_LARGE');
    expect(r.error?.retriable).toBe(false);
    expect(engine.deliveries.deadLetters().map((d) => d.report.id)).toEqual([r.id]);
  });
});

describe('producer engine status and retries', () => {
  it('shows the idempotent producer id taken off the wire, and counts a retried attempt once', async () => {
    sandbox = await startSandbox();
    sandbox.cluster.createTopic('ids', 1, 3);
    engine = await ProducerEngine.start({ brokers: sandbox.addresses(), settings: { 'linger.ms': 0, 'retry.backoff.ms': 20 } });
    expect(engine.status.producerId).toBeGreaterThanOrEqual(0);
    expect(engine.status.producerEpoch).toBe(0);
    sandbox.state.faults.push({ kind: 'error-before', error: 19, apiKey: 0 }); // NOT_ENOUGH_REPLICAS, retriable
    const r = await engine.send(rec('ids', 1));
    expect(r.error).toBeNull();
    expect(r.attempts).toBe(2);
    expect(engine.counters.retries).toBe(1);
  });

  it('does not count the final failed attempt of a non-retriable error as a retry', async () => {
    sandbox = await startSandbox();
    sandbox.cluster.createTopic('tiny', 1, 3, { 'max.message.bytes': '500' });
    engine = await ProducerEngine.start({ brokers: sandbox.addresses(), settings: { 'linger.ms': 0 } });
    const r = await engine.send({ topic: 'tiny', key: null, value: Buffer.alloc(2000, 120), headers: [] });
    expect(r.error?.code).toBe('MESSAGE_TOO_LARGE');
    expect(engine.counters.retries).toBe(0);
  });
});
