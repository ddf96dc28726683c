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
