// buffer.memory exhausted by a burst of large null-key records: the records that wait for memory are partitioned
// again as each new batch opens (the sticky partition moves per batch, as a blocked Java producer thread does),
// so they spread over the partitions instead of all landing on the partition that was sticky when they arrived.
import { afterEach, describe, expect, it } from 'vitest';
import type { DeliveryReport } from '../../../src/kafka/producer/engine-types.js';
import { ProducerEngine } from '../../../src/kafka/producer/producer-engine.js';
import type { Sandbox } from '../../../src/sandbox/sandbox.js';
import { startSandbox } from '../../helpers/sandbox.js';

let sandbox: Sandbox | undefined;
let engine: ProducerEngine | undefined;
afterEach(async () => {
  await engine?.close(2000);
  await sandbox?.close();
  engine = sandbox = undefined;
});

describe('a burst larger than buffer.memory', () => {
  it('delivers every record, spread over the partitions (before: one partition took more than half)', async () => {
    sandbox = await startSandbox();
    sandbox.cluster.createTopic('burst', 6, 3);
    engine = await ProducerEngine.start({
      brokers: sandbox.addresses(),
      settings: { acks: 1, 'enable.idempotence': false, 'buffer.memory': 16384 * 8, 'batch.size': 16384 },
    });
    await engine.send({ topic: 'burst', key: null, value: Buffer.from('warm'), headers: [] });
    const value = Buffer.alloc(10_000, 65);
    const reports = await new Promise<DeliveryReport[]>((resolve) => {
      const out: DeliveryReport[] = [];
      for (let i = 0; i < 600; i++) {
        engine!.produce({ topic: 'burst', key: null, value, headers: [] }, (r) => {
          out.push(r);
          if (out.length === 600) resolve(out);
        });
      }
    });
    expect(reports.filter((r) => r.error)).toEqual([]);
    const perPartition = [0, 1, 2, 3, 4, 5].map((p) => reports.filter((r) => r.partition === p).length);
    expect(Math.max(...perPartition)).toBeLessThan(600 * 0.4);
    expect(Math.min(...perPartition)).toBeGreaterThan(0);
  });
});
