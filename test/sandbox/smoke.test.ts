import { describe, expect } from 'vitest';
import { Partitioners } from 'kafkajs';
import { sandboxTest as it } from '../helpers/fixtures.js';

describe('sandbox smoke', () => {
  it('kafkajs produces to an auto-created topic with acks all', async ({ sandbox, kafka }) => {
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const res = await producer.send({ topic: 'smoke', messages: [{ key: 'a', value: 'one' }, { key: 'a', value: 'two' }] });
    expect(res[0].errorCode).toBe(0);
    expect(res[0].baseOffset).toBe('0');
    await producer.disconnect();
    const p = sandbox.cluster.partition('smoke', res[0].partition)!;
    expect(p.highWatermark).toBe(2);
    expect([...p.logs.values()].every((l) => l.endOffset === 2)).toBe(true);
  });
});
