// Reads a topic's records below the high watermark, for the delivery audit (test/helpers/audit.ts).
// Two ways: a kafkajs consumer over TCP (fromBeginning, until every partition's high watermark is reached) once the
// sandbox serves Fetch and the consumer-group APIs; otherwise by decoding the leader's stored batches with kafkajs's
// own record batch decoder. 'auto' picks the consumer when every API it needs is served.
import { createRequire } from 'node:module';
import type { Kafka } from 'kafkajs';
import { ApiKey } from '../../src/wire/api-keys.js';
import type { Sandbox } from '../../src/sandbox/sandbox.js';
import { waitUntil } from './cluster-events.js';

const require = createRequire(import.meta.url);
const Decoder = require('kafkajs/src/protocol/decoder');
const decodeRecordBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder') as (d: unknown) => Promise<DecodedBatch>;

interface DecodedBatch {
  isControlBatch: boolean;
  records: { offset: string; key: Buffer | null; value: Buffer | null; headers: Record<string, Buffer | Buffer[]> }[];
}

export interface ReadRecord {
  partition: number;
  offset: number;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
}

export type ReadBackMode = 'auto' | 'consumer' | 'log';

/** APIs a kafkajs consumer group needs end to end. */
const CONSUMER_APIS = [
  ApiKey.Fetch,
  ApiKey.ListOffsets,
  ApiKey.FindCoordinator,
  ApiKey.JoinGroup,
  ApiKey.SyncGroup,
  ApiKey.Heartbeat,
  ApiKey.LeaveGroup,
  ApiKey.OffsetFetch,
  ApiKey.OffsetCommit,
];

export function consumerSupported(sandbox: Sandbox): boolean {
  const apis = [...sandbox.servers.values()][0]?.apis;
  return !!apis && CONSUMER_APIS.every((k) => apis.has(k));
}

export function resolveMode(sandbox: Sandbox, mode: ReadBackMode = 'auto'): 'consumer' | 'log' {
  if (mode !== 'auto') return mode;
  return consumerSupported(sandbox) ? 'consumer' : 'log';
}

/**
 * Waits until every partition of `topic` has a leader and a high watermark equal to the leader's log end offset
 * (replication caught up), so that records acknowledged with acks=1 are not mistaken for lost ones.
 */
export async function waitForReplication(sandbox: Sandbox, topic: string, timeoutMs = 10_000): Promise<void> {
  const pending = () => {
    const t = sandbox.cluster.topics.get(topic);
    if (!t) throw new Error(`no topic ${topic}`);
    return t.partitions.filter((p) => p.leader < 0 || p.highWatermark < p.logEndOffset());
  };
  await waitUntil(
    () => pending().length === 0,
    () => `replication to catch up: ${pending().map((p) => `${topic}-${p.index}: leader ${p.leader}, hw ${p.highWatermark}, leo ${p.logEndOffset()}`).join('; ')}`,
    timeoutMs,
    20,
  );
}

/** Every record of `topic` below the high watermark, in partition then offset order. */
export async function readBack(sandbox: Sandbox, kafka: Kafka, topic: string, mode: ReadBackMode = 'auto'): Promise<ReadRecord[]> {
  return resolveMode(sandbox, mode) === 'consumer' ? readWithConsumer(kafka, topic) : readFromLog(sandbox, topic);
}

function toText(b: Buffer | null | undefined): string | null {
  return b === null || b === undefined ? null : b.toString('utf8');
}

function headerText(headers: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    const one = Array.isArray(v) ? v[0] : v;
    out[k] = Buffer.isBuffer(one) ? one.toString('utf8') : String(one);
  }
  return out;
}

/** Decodes the current leader's stored batches below the high watermark. */
export async function readFromLog(sandbox: Sandbox, topic: string): Promise<ReadRecord[]> {
  const t = sandbox.cluster.topics.get(topic);
  if (!t) throw new Error(`no topic ${topic}`);
  const out: ReadRecord[] = [];
  for (const p of t.partitions) {
    const log = p.leaderLog();
    if (!log) throw new Error(`${topic}-${p.index} has no leader: cannot read it back`);
    const hw = p.highWatermark;
    for (const stored of log.read(log.logStartOffset, hw, Number.MAX_SAFE_INTEGER)) {
      const batch = await decodeRecordBatch(new Decoder(stored.bytes));
      if (batch.isControlBatch) continue;
      for (const r of batch.records) {
        const offset = Number(r.offset);
        if (offset >= hw) continue;
        out.push({ partition: p.index, offset, key: toText(r.key), value: toText(r.value), headers: headerText(r.headers) });
      }
    }
  }
  return out;
}

/** A kafkajs consumer in a fresh group, from the beginning, until each partition's high watermark is reached. */
export async function readWithConsumer(kafka: Kafka, topic: string, timeoutMs = 20_000): Promise<ReadRecord[]> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map<number, number>();
  try {
    for (const o of await admin.fetchTopicOffsets(topic)) ends.set(o.partition, Number(o.high));
  } finally {
    await admin.disconnect();
  }
  const remaining = new Set([...ends].filter(([, end]) => end > 0).map(([p]) => p));
  const out: ReadRecord[] = [];
  if (remaining.size === 0) return out;
  // A short long-poll: disconnect waits for the fetch in flight.
  const consumer = kafka.consumer({ groupId: `read-back-${topic}-${Date.now()}-${Math.random().toString(36).slice(2)}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    const done = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`read-back of ${topic} timed out with partitions ${[...remaining].join(',')} short of their high watermark`));
      }, timeoutMs);
      void consumer.run({
        eachBatch: async ({ batch }) => {
          const end = ends.get(batch.partition) ?? 0;
          for (const m of batch.messages) {
            const offset = Number(m.offset);
            if (offset >= end) continue;
            out.push({ partition: batch.partition, offset, key: toText(m.key), value: toText(m.value), headers: headerText(m.headers) });
            if (offset === end - 1) remaining.delete(batch.partition);
          }
          if (remaining.size === 0) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
    await done;
  } finally {
    await consumer.disconnect();
  }
  // The consumer may re-deliver after a rebalance: keep one copy per (partition, offset), in log order.
  const unique = new Map<string, ReadRecord>();
  for (const r of out) unique.set(`${r.partition}:${r.offset}`, r);
  return [...unique.values()].sort((a, b) => a.partition - b.partition || a.offset - b.offset);
}
