// The messages the sender hands kafkajs's sendBatch: one per record, and, per topic, an array that spares kafkajs
// its quadratic grouping by partition.
import type { BatchRecord, ProducerBatch } from '../accumulator/producer-batch.js';
import type { RecordHeader } from '../serializers.js';

/** Shared by every record without headers: kafkajs only reads it, and most records have none. */
const NO_HEADERS: Record<string, string[]> = Object.freeze({});

/**
 * A kafkajs message. The timestamp is a number, though kafkajs's types say string: kafkajs only sorts the batch's
 * timestamps (as strings, so 13-digit ms sort the same) and subtracts them, which numbers do without parsing.
 */
export interface Message {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Readonly<Record<string, string[]>>;
  readonly partition: number;
  readonly timestamp: number;
}

/** kafkajs's header shape; string values (kafkajs writes them as UTF-8) spare a Buffer per header. */
function kafkaJsHeaders(headers: readonly RecordHeader[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const h of headers) (out[h.key] ??= []).push(h.value);
  return out;
}

/**
 * kafkajs groups a call's messages by partition with `messages.reduce`, copying a partition's list once per
 * message (groupMessagesPerPartition.js: quadratic in records per batch, about a tenth of the engine's CPU at 150
 * records a batch, plus the garbage). The engine's messages come grouped already, one batch per partition, so the
 * array answers that reduce with the batches' own lists, once a probe with the first message has shown the
 * callback to be that grouping ({[partition]: [message]}); any other reduce runs as usual.
 *
 * kafkajs groups once per attempt, in every attempt that goes on to produce (sendMessages.js, after its metadata
 * check): `onGrouped` hears of each, which is how the retry tracker counts a call's attempts.
 */
export function preGrouped(all: Message[], groups: ReadonlyMap<number, Message[]>, onGrouped?: () => void): Message[] {
  const reduce = all.reduce;
  Object.defineProperty(all, 'reduce', {
    value(this: Message[], fn: (acc: unknown, m: Message, i: number, a: Message[]) => unknown, ...init: unknown[]): unknown {
      const first = this[0];
      if (first !== undefined && init.length === 1 && isEmptyObject(init[0])) {
        const probe = fn({}, first, 0, this) as Record<number, Message[]> | null;
        const only = probe?.[first.partition];
        if (probe && Object.keys(probe).length === 1 && Array.isArray(only) && only.length === 1 && only[0] === first) {
          const out: Record<number, Message[]> = {};
          for (const [partition, list] of groups) out[partition] = list;
          onGrouped?.();
          return out;
        }
      }
      return reduce.call(this, fn as never, ...(init as [never]));
    },
  });
  return all;
}

const isEmptyObject = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0;

/**
 * The kafkajs messages of a request, grouped per topic; `onAttempt` hears of each kafkajs attempt at producing them. A batch without headers goes as its own records: kafkajs
 * reads key, value, partition and timestamp, and an empty headers array has no keys, like {}. That spares a
 * message object per record and a pass over records long out of the CPU cache. Records with headers get a
 * message each, with kafkajs's header shape.
 */
export function topicMessages(batches: readonly ProducerBatch[], onAttempt?: () => void): { topic: string; messages: Message[] }[] {
  const byTopic = new Map<string, Map<number, Message[]>>();
  for (const b of batches) {
    let groups = byTopic.get(b.topic);
    if (!groups) byTopic.set(b.topic, (groups = new Map()));
    groups.set(b.partition, b.recordsWithHeaders === 0 ? (b.records as unknown as Message[]) : b.records.map(toMessage));
  }
  return [...byTopic].map(([topic, groups], i) => {
    const lists = [...groups.values()];
    // A new array: the grouped reduce must not land on a batch's own records.
    const all = lists.length === 1 ? lists[0].slice() : ([] as Message[]).concat(...lists);
    // kafkajs groups every topic of the call in each attempt: the first topic's grouping marks the attempt.
    return { topic, messages: preGrouped(all, groups, i === 0 ? onAttempt : undefined) };
  });
}

const toMessage = (r: BatchRecord): Message => ({
  key: r.key,
  value: r.value,
  headers: r.headers.length === 0 ? NO_HEADERS : kafkaJsHeaders(r.headers),
  partition: r.partition,
  timestamp: r.timestamp,
});
