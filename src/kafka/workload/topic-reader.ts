/**
 * Reads a topic back for the delivery audit, over the Kafka protocol like any consumer: a kafkajs consumer in a
 * fresh group, from the beginning, until every partition reaches the end offset it was given (the high
 * watermarks taken when the audit started). Records stream to a callback in offset order per partition; a
 * record the consumer hands over twice (after a rebalance) is passed on once. read_committed by default, as
 * applications read; read_uncommitted also returns records of aborted and still open transactions.
 */
import type { Admin, IHeaders, Kafka } from 'kafkajs';
import { kafkaClient, type ClientTarget } from '../cluster/clients.js';

export interface ReadBackRecord {
  partition: number;
  offset: number;
  key: Buffer | null;
  headers: IHeaders;
}

export type IsolationLevel = 'read_committed' | 'read_uncommitted';

/** A kafkajs client for reading: no instrumentation, few retries, so an unreachable cluster fails fast. */
export function readerKafka(target: ClientTarget, clientId: string, connectionTimeoutMs = 3000): Kafka {
  return kafkaClient(target, clientId, { connectionTimeout: connectionTimeoutMs, retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1000 } });
}

export function withTimeout<T>(p: Promise<T>, ms: number, message: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message())), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** The high watermark of every partition of `topic`. */
export async function highWatermarks(admin: Admin, topic: string): Promise<Map<number, number>> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return new Map(offsets.map((o) => [o.partition, Number(o.high)]));
}

/**
 * Streams every record of `topic` below `ends` to `onRecord`. Rejects with a message naming the partitions
 * still short when `timeoutMs` passes. Also gives the high watermark each partition's last fetch reported
 * (Fetch answers it under either isolation level, so it is the way to see it next to the last stable offset).
 */
export async function readTopicUntil(
  kafka: Kafka,
  topic: string,
  ends: ReadonlyMap<number, number>,
  onRecord: (r: ReadBackRecord) => void,
  opts: { timeoutMs: number; groupPrefix?: string; isolation?: IsolationLevel },
): Promise<{ records: number; highWatermarks: Map<number, number> }> {
  const highWatermarks = new Map<number, number>();
  const remaining = new Set([...ends].filter(([, end]) => end > 0).map(([p]) => p));
  if (remaining.size === 0) return { records: 0, highWatermarks };
  const nextOffset = new Map<number, number>();
  let records = 0;
  const groupId = `${opts.groupPrefix ?? 'kpt-read'}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  // A short long-poll: disconnect waits for the fetch in flight.
  const consumer = kafka.consumer({
    groupId,
    maxWaitTimeInMs: 100,
    retry: { retries: 2, initialRetryTime: 100 },
    readUncommitted: opts.isolation === 'read_uncommitted',
  });
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    let timer: NodeJS.Timeout | undefined;
    const done = new Promise<void>((resolve, reject) => {
      timer = setTimeout(() => {
        const short = [...remaining].sort((a, b) => a - b).map((p) => `${p} (at ${nextOffset.get(p) ?? 0} of ${ends.get(p)})`);
        reject(new Error(`reading ${topic} back timed out after ${opts.timeoutMs} ms; partitions short of their high watermark: ${short.join(', ')}`));
      }, opts.timeoutMs);
      consumer.on(consumer.events.CRASH, (e) => reject(new Error(`the audit's consumer failed: ${(e.payload as { error: Error }).error.message}`)));
      void consumer
        .run({
          autoCommit: false,
          eachBatch: async ({ batch }) => {
            const p = batch.partition;
            highWatermarks.set(p, Number(batch.highWatermark));
            const end = ends.get(p) ?? 0;
            for (const m of batch.messages) {
              const offset = Number(m.offset);
              if (offset >= end || offset < (nextOffset.get(p) ?? 0)) continue;
              nextOffset.set(p, offset + 1);
              records++;
              onRecord({ partition: p, offset, key: m.key, headers: m.headers ?? {} });
            }
            // Compacted or aborted records leave gaps: the batch's last offset says where the partition is.
            const last = Number(batch.lastOffset());
            if (last >= end - 1 || (nextOffset.get(p) ?? 0) >= end) remaining.delete(p);
            if (remaining.size === 0) resolve();
          },
        })
        .catch(reject);
    });
    await done.finally(() => clearTimeout(timer));
  } finally {
    await consumer.disconnect().catch(() => {});
  }
  return { records, highWatermarks };
}
