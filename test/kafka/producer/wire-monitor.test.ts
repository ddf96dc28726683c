// The wire monitor reads each Produce frame kafkajs writes as its partitions' record batches, compressed or not;
// kafkajs writes a retried batch with the very same bytes, which is what tells a re-send from a new batch.
import { CompressionTypes, Partitioners } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { registerCodecs } from '../../../src/kafka/producer/compression/compression.js';
import { WireMonitor, type ProducedBatch } from '../../../src/kafka/producer/sender/wire-monitor.js';
import type { Sandbox } from '../../../src/sandbox/sandbox.js';
import { kafkaFor, startSandbox } from '../../helpers/sandbox.js';

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

describe('wire monitor: Produce frames', () => {
  for (const [name, compression] of [['none', CompressionTypes.None], ['gzip', CompressionTypes.GZIP], ['lz4', CompressionTypes.LZ4]] as const) {
    it(`reads every partition's batch of a request and the same bytes again on a retry (${name})`, async () => {
      await registerCodecs();
      sandbox = await startSandbox();
      sandbox.cluster.createTopic('frames', 2, 1);
      const wire = new WireMonitor();
      const frames: ProducedBatch[][] = [];
      wire.on((e) => {
        if (e.t === 'req.start' && e.req.apiKey === 0) frames.push(e.req.produced ?? []);
      });
      const producer = kafkaFor(sandbox, { socketFactory: wire.socketFactory() }).producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true });
      await producer.connect();
      try {
        // Both partitions on one broker (replication 1, so the leader is where the sandbox put it): one frame.
        const leader = sandbox.cluster.topics.get('frames')!.partitions.map((p) => p.leader);
        const parts = leader[0] === leader[1] ? [0, 1] : [0];
        sandbox.state.faults.push({ kind: 'error-before', error: 19, apiKey: 0 });
        const t0 = 1_700_000_000_000;
        await producer.sendBatch({
          acks: -1,
          compression,
          topicMessages: [
            {
              topic: 'frames',
              messages: [
                ...parts.map((p) => ({ partition: p, key: 'k', value: 'first', timestamp: String(t0 + 5) })),
                ...parts.map((p) => ({ partition: p, key: null, value: 'second', timestamp: String(t0 + 9), headers: { h: 'v' } })),
                { partition: 0, value: 'third', timestamp: String(t0 + 7) },
              ],
            },
          ],
        });
        expect(frames).toHaveLength(2);
        const [first, retry] = frames;
        expect(first.map((b) => ({ ...b, bytes: undefined }))).toEqual(
          parts.map((p) => ({ topic: 'frames', partition: p, records: p === 0 ? 3 : 2, firstTimestamp: t0 + 5, maxTimestamp: t0 + 9, bytes: undefined })),
        );
        expect(retry.map((b) => b.bytes.toString('hex'))).toEqual(first.map((b) => b.bytes.toString('hex')));
      } finally {
        await producer.disconnect();
      }
    });
  }
});
