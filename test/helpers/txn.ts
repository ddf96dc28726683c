// Helpers for the transaction tests: read a topic back the way an application would (a kafkajs consumer, read_committed
// unless asked otherwise), and ask a partition's leader for its offsets under either isolation level.
import { randomUUID } from 'node:crypto';
import { Partitioners, type Kafka, type Producer } from 'kafkajs';
import type { Sandbox } from '../../src/sandbox/sandbox.js';
import { RawClient } from './raw-client.js';

export interface Consumed {
  value: string;
  offset: number;
}

/**
 * Consumes a one-partition topic from the beginning with a fresh group until the record `last` arrives, and returns
 * everything delivered up to it, in order. Records are delivered in offset order, so anything that should have been
 * hidden and sits before `last` would be in the list.
 */
export async function consumeUntil(kafka: Kafka, topic: string, last: string, opts: { readUncommitted?: boolean } = {}): Promise<Consumed[]> {
  const consumer = kafka.consumer({
    groupId: `reader-${randomUUID()}`,
    readUncommitted: opts.readUncommitted ?? false,
    sessionTimeout: 6000,
    heartbeatInterval: 100,
    maxWaitTimeInMs: 100,
  });
  const seen: Consumed[] = [];
  let arrived!: () => void;
  const done = new Promise<void>((resolve) => (arrived = resolve));
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const value = message.value?.toString() ?? '';
        seen.push({ value, offset: Number(message.offset) });
        if (value === last) arrived();
      },
    });
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`"${last}" never arrived; got ${JSON.stringify(seen)}`)), 20_000);
    });
    await Promise.race([done, bound]).finally(() => clearTimeout(timer));
  } finally {
    await consumer.disconnect();
  }
  return seen;
}

/** A transactional kafkajs producer (idempotent, one request in flight, as kafkajs requires). */
export function transactionalProducer(kafka: Kafka, transactionalId: string, transactionTimeout?: number): Producer {
  return kafka.producer({
    transactionalId,
    idempotent: true,
    maxInFlightRequests: 1,
    transactionTimeout,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
}

export async function rawTo(sandbox: Sandbox, broker: number): Promise<RawClient> {
  return RawClient.connect(sandbox.addresses()[broker - 1]);
}

/** ListOffsets "latest" from the partition's leader: the high watermark, or the last stable offset under read_committed. */
export async function latestOffset(sandbox: Sandbox, topic: string, partition: number, readCommitted: boolean): Promise<number> {
  const leader = sandbox.cluster.partition(topic, partition)!.leader;
  const client = await rawTo(sandbox, leader);
  try {
    const res = await client.call('listOffsets', 2, {
      replicaId: -1,
      isolationLevel: readCommitted ? 1 : 0,
      topics: [{ topic, partitions: [{ partition, timestamp: -1 }] }],
    });
    const p = res.responses[0].partitions[0];
    if (p.errorCode !== 0) throw new Error(`ListOffsets error ${p.errorCode}`);
    return Number(p.offset);
  } finally {
    client.close();
  }
}
