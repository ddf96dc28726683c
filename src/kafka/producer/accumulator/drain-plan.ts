// The two halves of the accumulator's drain (Java `RecordAccumulator.drain`): which partitions each leader broker
// would carry, and the head batches one request to a broker takes.
import type { PartitionQueue } from './partition-queue.js';
import type { ProducerBatch } from './producer-batch.js';

/** Partitions with queued batches grouped by leader (brokers in id order), and topics whose leader is unknown. */
export function queuesByLeader(
  queues: Iterable<PartitionQueue>,
  leaderOf: (topic: string, partition: number) => number,
): { byBroker: [number, PartitionQueue[]][]; unknownLeaderTopics: string[] } {
  const byBroker = new Map<number, PartitionQueue[]>();
  const unknown = new Set<string>();
  for (const q of queues) {
    if (q.batches.length === 0) continue;
    const leader = leaderOf(q.topic, q.partition);
    if (leader < 0) unknown.add(q.topic);
    else if (byBroker.has(leader)) byBroker.get(leader)!.push(q);
    else byBroker.set(leader, [q]);
  }
  return { byBroker: [...byBroker].sort(([a], [b]) => a - b), unknownLeaderTopics: [...unknown] };
}

/**
 * One request's head batches from `qs`, rotating from `start`, up to max.request.size; each leaves its queue as in
 * flight. Skipped: muted partitions, heads in retry backoff, heads `mayDrain` refuses. `mute`: one batch in flight
 * per partition (Java mutes only when max.in.flight is 1; with idempotence sequence numbers keep the order).
 */
export function takeHeads(
  qs: readonly PartitionQueue[],
  start: number,
  now: number,
  maxRequestSize: number,
  mute: boolean,
  mayDrain?: (batch: ProducerBatch) => boolean,
): ProducerBatch[] {
  const batches: ProducerBatch[] = [];
  let bytes = 0;
  for (let k = 0; k < qs.length; k++) {
    const q = qs[(start + k) % qs.length];
    const head = q.batches[0];
    if (q.muted || (head.attempts > 0 && now < head.retryAfterMs) || (mayDrain && !mayDrain(head))) continue;
    // Fairness: stop rather than skip, so the rotation gives the next partition its turn first next time.
    if (batches.length > 0 && bytes + head.sizeInBytes > maxRequestSize) break;
    q.batches.shift();
    head.closedForAppends = true;
    head.drainedMs = now;
    q.inFlight++;
    if (mute) q.muted = true;
    batches.push(head);
    bytes += head.sizeInBytes;
  }
  return batches;
}
