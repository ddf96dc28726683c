// kafkajs groups a sendBatch call's messages by partition with messages.reduce, copying each partition's list once
// per message. The sender's pre-grouped message array answers that very reduce with its batches' lists; checked
// here against kafkajs's own groupMessagesPerPartition, and any other reduce still runs as usual.
import { createRequire } from 'node:module';
import { Partitioners } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { preGrouped, topicMessages, type Message } from '../../../src/kafka/producer/sender/kafkajs-messages.js';
import { ProducerBatch } from '../../../src/kafka/producer/accumulator/producer-batch.js';

const require = createRequire(import.meta.url);
const groupMessagesPerPartition = require('kafkajs/src/producer/groupMessagesPerPartition') as (args: {
  topic: string;
  partitionMetadata: unknown[];
  messages: Message[];
  partitioner: ReturnType<typeof Partitioners.DefaultPartitioner>;
}) => Record<number, Message[]>;

const msg = (partition: number, i: number): Message => ({ key: null, value: Buffer.from(`v${i}`), headers: {}, partition, timestamp: 1_700_000_000_000 });
const partitionMetadata = [0, 1, 2].map((partitionId) => ({ partitionId, leader: partitionId, replicas: [partitionId], isr: [partitionId] }));

function messages(): { all: Message[]; groups: Map<number, Message[]> } {
  const groups = new Map([2, 0].map((p) => [p, Array.from({ length: p + 3 }, (_, i) => msg(p, i))]));
  return { all: [...groups.values()].flat(), groups };
}

describe('pre-grouped kafkajs messages', () => {
  it("gives kafkajs's grouping the same partitions and messages it computes itself, without copying per message", () => {
    const plain = messages();
    const expected = groupMessagesPerPartition({ topic: 't', partitionMetadata, messages: plain.all, partitioner: Partitioners.DefaultPartitioner() });
    const fast = messages();
    let attempts = 0;
    const arr = preGrouped(fast.all, fast.groups, () => attempts++);
    const got = groupMessagesPerPartition({ topic: 't', partitionMetadata, messages: arr, partitioner: Partitioners.DefaultPartitioner() });
    expect(got).toEqual(expected);
    groupMessagesPerPartition({ topic: 't', partitionMetadata, messages: arr, partitioner: Partitioners.DefaultPartitioner() });
    expect(attempts).toBe(2); // one per grouping: kafkajs groups once per attempt
    expect(Object.keys(got)).toEqual(['0', '2']);
    expect(got[2]).toBe(fast.groups.get(2));
  });

  it('runs any other reduce as an array would, and does not count it as an attempt', () => {
    const { all, groups } = messages();
    const arr = preGrouped(all, groups, () => {
      throw new Error('not a grouping');
    });
    expect(arr.reduce((n, m) => n + m.partition, 0)).toBe(0 * 3 + 2 * 5);
    expect(arr.reduce((acc: Record<string, number>, m) => ({ ...acc, [m.partition]: 1 }), {})).toEqual({ 0: 1, 2: 1 });
    expect(arr.reduce((a) => a)).toBe(all[0]);
    expect(preGrouped([], new Map()).reduce((n: number) => n + 1, 0)).toBe(0);
    expect(Array.isArray(arr) && arr.length === 8 && arr.map((m) => m.partition).join('')).toBe('22222000');
  });
});

describe('topicMessages', () => {
  const batch = (topic: string, partition: number, headers: { key: string; value: string }[] = []) => {
    const b = new ProducerBatch(topic, partition, 0, 16384, 0);
    for (let i = 0; i < 3; i++) b.tryAppend({ topic, partition, key: i === 0 ? null : Buffer.from(`k${i}`), value: Buffer.from(`v${i}`), headers, timestamp: 1_700_000_000_000 + i });
    return b;
  };

  it('hands header-less records to kafkajs as they are, and gives records with headers kafkajs header objects', () => {
    const plain = batch('a', 0);
    const withHeaders = batch('a', 1, [{ key: 'h', value: 'x' }, { key: 'h', value: 'y' }]);
    const other = batch('b', 0);
    const calls = topicMessages([plain, withHeaders, other]);
    expect(calls.map((c) => [c.topic, c.messages.length])).toEqual([['a', 6], ['b', 3]]);
    const [a] = calls;
    expect(a.messages.slice(0, 3)).toEqual(plain.records);
    expect(a.messages[0]).toBe(plain.records[0]);
    expect(a.messages[3]).toEqual({ key: null, value: Buffer.from('v0'), headers: { h: ['x', 'y'] }, partition: 1, timestamp: 1_700_000_000_000 });
    // What kafkajs's grouping gets back: the batches' lists, keyed by partition.
    const grouped = groupMessagesPerPartition({ topic: 'a', partitionMetadata, messages: a.messages, partitioner: Partitioners.DefaultPartitioner() });
    expect(grouped[0]).toBe(plain.records);
    expect(grouped[1].map((m) => m.headers)).toEqual([{ h: ['x', 'y'] }, { h: ['x', 'y'] }, { h: ['x', 'y'] }]);
    // The override lives on the call's own array, never on a batch's records.
    expect(Object.hasOwn(plain.records, 'reduce')).toBe(false);
    expect(Object.hasOwn(a.messages, 'reduce')).toBe(true);
  });
});
