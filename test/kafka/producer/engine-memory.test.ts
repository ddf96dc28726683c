// buffer.memory exhausted by a burst of large null-key records: the records that wait for memory are partitioned
// again as each new batch opens (the sticky partition moves per batch, as a blocked Java producer thread does),
// so they spread over the partitions instead of all landing on the partition that was sticky when they arrived.
import { describe, expect } from 'vitest';
import type { DeliveryReport } from '../../../src/kafka/producer/engine-types.js';
import { engineTest as it } from '../../helpers/fixtures.js';

describe('a burst larger than buffer.memory', () => {
  it('delivers every record, spread over the partitions (before: one partition took more than half)', async ({ sandbox, startEngine }) => {
    sandbox.cluster.createTopic('burst', 6, 3);
    const engine = await startEngine({ acks: 1, 'enable.idempotence': false, 'buffer.memory': 16384 * 8, 'batch.size': 16384 });
    await engine.send({ topic: 'burst', key: null, value: Buffer.from('warm'), headers: [] });
    const value = Buffer.alloc(10_000, 65);
    const reports = await new Promise<DeliveryReport[]>((resolve) => {
      const out: DeliveryReport[] = [];
      for (let i = 0; i < 600; i++) {
        engine.produce({ topic: 'burst', key: null, value, headers: [] }, (r) => {
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
