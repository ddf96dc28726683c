// kafkajs producers against the sandbox over TCP: acks 0, 1 and all, plain and idempotent, gzip. After each run the
// leader's log of every partition holds exactly the records sent there, in order, once.
import { createRequire } from 'node:module';
import { describe, expect } from 'vitest';
import { CompressionTypes, type ProducerConfig } from 'kafkajs';
import type { Partition } from '../../src/sandbox/cluster/partition.js';
import { kafkaFor } from '../helpers/sandbox.js';
import { waitUntil } from '../helpers/cluster-events.js';
import { sandboxTest as it } from '../helpers/fixtures.js';

const require = createRequire(import.meta.url);
const Decoder = require('kafkajs/src/protocol/decoder');
const decodeRecordBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder');


interface LoggedRecord {
  offset: number;
  value: string;
}

/** The leader log's records, decoded by kafkajs's own record batch decoder (so gzip is decompressed too). */
async function leaderRecords(p: Partition): Promise<LoggedRecord[]> {
  const out: LoggedRecord[] = [];
  for (const b of p.leaderLog()!.batches) {
    const batch = await decodeRecordBatch(new Decoder(b.bytes));
    for (const r of batch.records) out.push({ offset: Number(r.offset), value: r.value.toString() });
  }
  return out;
}

const PARTITIONS = 3;
const SENDS = 4;
const PER_SEND = 9;

interface Case {
  name: string;
  acks: 0 | 1 | -1;
  producer: ProducerConfig;
  compression?: CompressionTypes;
}

const cases: Case[] = [
  { name: 'plain, acks 0', acks: 0, producer: {} },
  { name: 'plain, acks 1', acks: 1, producer: {} },
  { name: 'plain, acks all', acks: -1, producer: {} },
  { name: 'idempotent, acks all', acks: -1, producer: { idempotent: true, maxInFlightRequests: 1, retry: { retries: 3 } } },
  { name: 'plain, acks all, gzip', acks: -1, producer: {}, compression: CompressionTypes.GZIP },
  { name: 'idempotent, gzip', acks: -1, producer: { idempotent: true, maxInFlightRequests: 1, retry: { retries: 3 } }, compression: CompressionTypes.GZIP },
];

describe('kafkajs producers', () => {
  for (const c of cases) {
    it(`${c.name}: each partition's leader log holds exactly the records sent to it`, async ({ sandbox }) => {
      const s = sandbox;
      const topic = 'records';
      expect(s.cluster.createTopic(topic, PARTITIONS, 3)).toEqual({ error: 0 });
      const producer = kafkaFor(s).producer(c.producer);
      await producer.connect();
      const expected: string[][] = Array.from({ length: PARTITIONS }, () => []);
      try {
        for (let send = 0; send < SENDS; send++) {
          const messages = Array.from({ length: PER_SEND }, (_, i) => {
            const n = send * PER_SEND + i;
            const value = `record-${n}`;
            expected[n % PARTITIONS].push(value);
            return { partition: n % PARTITIONS, value };
          });
          await producer.send({ topic, acks: c.acks, compression: c.compression, messages });
        }
      } finally {
        await producer.disconnect();
      }

      const partitions = s.cluster.topics.get(topic)!.partitions;
      // acks 0 and 1 return before the followers have the records: wait until the high watermarks cover them.
      await waitUntil(() => partitions.every((p) => p.highWatermark === expected[p.index].length), 'high watermarks');
      for (const p of partitions) {
        const records = await leaderRecords(p);
        expect(records.map((r) => r.value)).toEqual(expected[p.index]);
        expect(records.map((r) => r.offset)).toEqual(expected[p.index].map((_, i) => i));
        // Every replica ends up with the same log.
        await waitUntil(() => [...p.logs.values()].every((l) => l.endOffset === expected[p.index].length), 'followers');
      }

      const batches = partitions.flatMap((p) => p.leaderLog()!.batches);
      expect(batches.every((b) => ((b.bytes.readInt16BE(21) & 0x07) === (c.compression ?? 0)))).toBe(true);
      const produces = s.state.requestLog.find({ api: 'Produce' });
      expect(produces.length).toBeGreaterThanOrEqual(SENDS);
      expect(produces.every((e) => e.outcome === (c.acks === 0 ? 'no-response' : 'answered'))).toBe(true);

      if (c.producer.idempotent) {
        const inits = s.state.requestLog.find({ api: 'InitProducerId' });
        expect(inits).toHaveLength(1);
        const pids = new Set(batches.map((b) => b.producerId));
        expect(pids.size).toBe(1);
        expect([...pids][0]).toBeGreaterThanOrEqual(0);
        // Sequences run on per partition from 0 without gaps: what the broker's duplicate detection keys on.
        for (const p of partitions) {
          let next = 0;
          for (const b of p.leaderLog()!.batches) {
            expect(b.baseSequence).toBe(next);
            next += b.recordCount;
          }
        }
      } else {
        expect(batches.every((b) => b.producerId === -1)).toBe(true);
      }
    });
  }

  it('a batch above the topic\'s max.message.bytes is refused with MESSAGE_TOO_LARGE and not appended', async ({ sandbox }) => {
    expect(sandbox.cluster.createTopic('small', 1, 3, { 'max.message.bytes': '1000' })).toEqual({ error: 0 });
    const producer = kafkaFor(sandbox).producer();
    await producer.connect();
    try {
      await producer.send({ topic: 'small', messages: [{ value: 'fits' }] });
      await expect(producer.send({ topic: 'small', messages: [{ value: 'x'.repeat(2000) }] })).rejects.toMatchObject({
        type: 'MESSAGE_TOO_LARGE',
      });
    } finally {
      await producer.disconnect();
    }
    const p = sandbox.cluster.partition('small', 0)!;
    expect((await leaderRecords(p)).map((r) => r.value)).toEqual(['fits']);
  });
});
