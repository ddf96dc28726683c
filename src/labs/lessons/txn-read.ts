// What a transaction lab reads back: its topic as an application reads it, under read_committed or
// read_uncommitted, with the copies of this run's records counted by audit id; and the last stable offset, which
// is what a read_committed ListOffsets answers (kafkajs's fetchTopicOffsets always asks read_committed).
import type { IHeaders } from 'kafkajs';
import { registerCodecs } from '../../kafka/producer/compression/compression.js';
import { STAMP_HEADER, stampSequence } from '../../kafka/workload/audit-stamp.js';
import { readerKafka, readTopicUntil, type IsolationLevel } from '../../kafka/workload/topic-reader.js';
import type { LabContext } from '../lab-types.js';
import { auditId } from './txn-records.js';

export interface RunRead {
  isolation: IsolationLevel;
  /** Copies read of each of this run's records, by audit id. */
  copies: Map<string, number>;
  /** This run's records read, every copy. */
  records: number;
  /** The high watermark each partition's last fetch reported. */
  highWatermarks: Map<number, number>;
}

const header = (h: IHeaders, name: string): string | null => {
  const v = h[name];
  const one = Array.isArray(v) ? v[0] : v;
  return one === undefined ? null : Buffer.isBuffer(one) ? one.toString('utf8') : String(one);
};

/** The last stable offset of every partition: below it, every transaction has ended. */
export async function lastStableOffsets(ctx: LabContext, topic = ctx.topic): Promise<Map<number, number>> {
  const admin = readerKafka(ctx.client, 'kafka-producer-tui-lab').admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return new Map(offsets.map((o) => [o.partition, Number(o.offset)]));
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

/** Reads `topic` below `ends` with a fresh consumer at the given isolation level. */
export async function readRun(
  ctx: LabContext,
  opts: { isolation: IsolationLevel; ends: ReadonlyMap<number, number>; topic?: string; timeoutMs?: number },
): Promise<RunRead> {
  await registerCodecs();
  const topic = opts.topic ?? ctx.topic;
  const runId = ctx.workload.runId;
  const copies = new Map<string, number>();
  let records = 0;
  const kafka = readerKafka(ctx.client, `kafka-producer-tui-lab-${opts.isolation}`);
  const { highWatermarks } = await readTopicUntil(
    kafka,
    topic,
    opts.ends,
    (r) => {
      const seq = stampSequence(header(r.headers, STAMP_HEADER), runId);
      if (seq === -1 || r.key === null) return;
      const id = auditId(r.key.toString('utf8'), seq);
      copies.set(id, (copies.get(id) ?? 0) + 1);
      records++;
    },
    { timeoutMs: opts.timeoutMs ?? 15_000, groupPrefix: `kpt-lab-${runId}`, isolation: opts.isolation },
  );
  return { isolation: opts.isolation, copies, records, highWatermarks };
}

/** How many of `ids` a read got at least once. */
export function seen(read: RunRead, ids: Iterable<string>): number {
  let n = 0;
  for (const id of ids) if ((read.copies.get(id) ?? 0) > 0) n++;
  return n;
}
