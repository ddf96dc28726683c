import { plural } from './plural.js';
/**
 * Which partition a record goes to: the Partitioner stage of the pipeline.
 *
 * Names follow the Java producer (`Utils.murmur2`, `Utils.toPositive`, `StickyPartitionCache`) so that a key
 * lands on the same partition here, in kafkajs's DefaultPartitioner and in a Java producer: the point of keys
 * is per-key ordering, and mixing clients on one topic must not scatter a key.
 */

/** One partition as metadata describes it: `leader < 0` means no leader right now (unavailable). */
export interface PartitionInfo {
  readonly partition: number;
  readonly leader: number;
}

/** What to do with records that have no key (or whose key is ignored). */
export type NullKeyStrategy = 'sticky' | 'round-robin';

export interface PrefixRule {
  readonly prefix: string;
  readonly partition: number;
}

/**
 * - `default`: keys hash with murmur2 (Java-compatible); null keys follow `nullKey`. `ignoreKeys` is Kafka's
 *   `partitioner.ignore.keys`: keyed records are then spread like null-key ones.
 * - `prefix`: a custom rule ("region router"): the first rule whose prefix starts the key wins, so list longer
 *   prefixes first; unmatched keys hash (`'murmur2'`) or go to a fixed partition.
 */
export type PartitionStrategy =
  | { readonly kind: 'default'; readonly nullKey: NullKeyStrategy; readonly ignoreKeys?: boolean }
  | {
      readonly kind: 'prefix';
      readonly rules: readonly PrefixRule[];
      readonly fallback: 'murmur2' | number;
      readonly nullKey?: NullKeyStrategy;
    };

/** The record fields partitioning looks at. */
export interface PartitionRequest {
  readonly topic: string;
  readonly key: Uint8Array | null;
  /** An explicit partition on the record wins over every strategy, as in Java and kafkajs. */
  readonly partition?: number | null;
  readonly partitions: readonly PartitionInfo[];
}

/** A partition the topic does not have: Java throws the same thing before the record reaches the buffer. */
export class InvalidPartitionError extends Error {
  readonly retriable = false;
  constructor(message: string) {
    super(message);
    this.name = 'InvalidPartitionError';
  }
}

const M = 0x5bd1e995;
const SEED = 0x9747b28c;

/**
 * Kafka's `Utils.murmur2`: MurmurHash2, 32-bit, seed 0x9747b28c, little-endian words. Java's int arithmetic
 * wraps at 32 bits, hence Math.imul and the `| 0`s; the tail uses `if` instead of Java's fall-through switch.
 */
export function murmur2(data: Uint8Array): number {
  const length = data.length;
  let h = (SEED ^ length) | 0;
  const words = length >>> 2;
  for (let i = 0; i < words; i++) {
    const i4 = i * 4;
    let k = data[i4] | (data[i4 + 1] << 8) | (data[i4 + 2] << 16) | (data[i4 + 3] << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }
  const tail = length & ~3;
  const rest = length & 3;
  if (rest === 3) h ^= data[tail + 2] << 16;
  if (rest >= 2) h ^= data[tail + 1] << 8;
  if (rest >= 1) {
    h ^= data[tail];
    h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

/** Java's `Utils.toPositive`: clears the sign bit (not Math.abs, which would break for -2^31). */
export function toPositive(n: number): number {
  return n & 0x7fffffff;
}

function checkPartitionCount(numPartitions: number): void {
  if (!Number.isInteger(numPartitions) || numPartitions < 1) {
    throw new InvalidPartitionError(`a topic has at least 1 partition; got ${numPartitions}`);
  }
}

/** The partition a keyed record gets: `toPositive(murmur2(key)) % numPartitions`, over all partitions. */
export function keyedPartition(keyBytes: Uint8Array, numPartitions: number): number {
  checkPartitionCount(numPartitions);
  return toPositive(murmur2(keyBytes)) % numPartitions;
}

function checkExplicit(partition: number, numPartitions: number): number {
  if (!Number.isInteger(partition) || partition < 0 || partition >= numPartitions) {
    // Java's wording (KafkaProducer.waitOnMetadata).
    throw new InvalidPartitionError(
      `Invalid partition given with record: ${partition} is not in the range [0...${numPartitions}).`,
    );
  }
  return partition;
}

function startsWith(key: Uint8Array, prefix: Uint8Array): boolean {
  if (prefix.length > key.length) return false;
  for (let i = 0; i < prefix.length; i++) if (key[i] !== prefix[i]) return false;
  return true;
}

const encoder = new TextEncoder();
const toBytes = (key: string | Uint8Array): Uint8Array => (typeof key === 'string' ? encoder.encode(key) : key);

type KeyDecision =
  | { readonly kind: 'partition'; readonly partition: number; readonly why: string }
  | { readonly kind: 'null-key'; readonly strategy: NullKeyStrategy };

/** The part of the decision that does not depend on partitioner state (shared by partition and preview). */
function decideForKey(strategy: PartitionStrategy, key: Uint8Array | null, numPartitions: number): KeyDecision {
  if (strategy.kind === 'default') {
    if (key === null || strategy.ignoreKeys) return { kind: 'null-key', strategy: strategy.nullKey };
    const hash = murmur2(key);
    const positive = toPositive(hash);
    const partition = positive % numPartitions;
    return { kind: 'partition', partition, why: `murmur2 = ${hash}, toPositive = ${positive}, % ${numPartitions} = ${partition}` };
  }
  if (key === null) return { kind: 'null-key', strategy: strategy.nullKey ?? 'sticky' };
  for (let i = 0; i < strategy.rules.length; i++) {
    const rule = strategy.rules[i];
    if (!startsWith(key, encoder.encode(rule.prefix))) continue;
    if (rule.partition >= numPartitions) {
      throw new InvalidPartitionError(
        `rule ${i + 1} (prefix "${rule.prefix}") sends to partition ${rule.partition}, but the topic has only ${plural(numPartitions, 'partition')}`,
      );
    }
    return { kind: 'partition', partition: rule.partition, why: `key starts with "${rule.prefix}" (rule ${i + 1})` };
  }
  if (strategy.fallback === 'murmur2') {
    const d = decideForKey({ kind: 'default', nullKey: 'sticky' }, key, numPartitions);
    return d.kind === 'partition' ? { ...d, why: `no prefix matched; ${d.why}` } : d;
  }
  return {
    kind: 'partition',
    partition: checkExplicit(strategy.fallback, numPartitions),
    why: `no prefix matched; fallback partition ${strategy.fallback}`,
  };
}

/**
 * Stateful partitioner for one producer. Null-key state is per topic:
 * - sticky (KIP-480, Java's `StickyPartitionCache`): every null-key record goes to one partition until the
 *   accumulator reports that this partition's batch was closed (`onNewBatch`); then a different available
 *   partition is picked at random. Fewer, fuller batches than round-robin, which is why Java switched in 2.4.
 * - round-robin (kafkajs, Java's RoundRobinPartitioner): the next available partition on every record, from a
 *   random start like kafkajs; with small linger this makes one tiny batch per partition. As a partitioner.class
 *   it ignores keys, as Java's RoundRobinPartitioner does.
 * Sticky is Kafka 3.3+'s default for null keys (KIP-794, uniform sticky): switch partitions per batch, weighing the
 * next partition by how many batches wait for it (adaptive, as Java with partitioner.adaptive.partitioning.enable).
 */
export class Partitioner {
  private readonly sticky = new Map<string, number>();
  private readonly counters = new Map<string, number>();

  constructor(
    private strategy: PartitionStrategy,
    private readonly random: () => number = Math.random,
    /**
     * Batches queued per partition of a topic, for Kafka 3.3+'s adaptive choice (KIP-794, Java's
     * partitioner.adaptive.partitioning.enable, on by default): the next sticky partition is picked with a weight
     * of (longest queue + 1 - its queue), so partitions whose leaders drain slowly get fewer new batches.
     * Without it the pick is uniform.
     */
    private readonly queuedBatches?: (topic: string) => ReadonlyMap<number, number>,
  ) {}

  getStrategy(): PartitionStrategy {
    return this.strategy;
  }

  /** Live change; sticky choices and counters carry over (they only concern null keys). */
  setStrategy(strategy: PartitionStrategy): void {
    this.strategy = strategy;
  }

  partition(req: PartitionRequest): number {
    const numPartitions = req.partitions.length;
    checkPartitionCount(numPartitions);
    if (req.partition !== null && req.partition !== undefined) return checkExplicit(req.partition, numPartitions);
    const decision = decideForKey(this.strategy, req.key, numPartitions);
    if (decision.kind === 'partition') return decision.partition;
    return decision.strategy === 'sticky'
      ? this.stickyPartition(req.topic, req.partitions)
      : this.nextRoundRobin(req.topic, req.partitions);
  }

  /**
   * The accumulator closed `prevPartition`'s batch for a null-key record (Java `Partitioner.onNewBatch`).
   * Only switches when the topic still sticks to `prevPartition`: a batch closing elsewhere changes nothing.
   */
  onNewBatch(topic: string, prevPartition: number, partitions: readonly PartitionInfo[]): void {
    if (this.sticky.get(topic) === prevPartition) this.pickSticky(topic, partitions, prevPartition);
  }

  /** The partition null-key records of `topic` currently stick to (for the UI), if one was chosen. */
  currentStickyPartition(topic: string): number | undefined {
    return this.sticky.get(topic);
  }

  private stickyPartition(topic: string, partitions: readonly PartitionInfo[]): number {
    const current = this.sticky.get(topic);
    const view = partitions.find((p) => p.partition === current);
    // Leave a partition that lost its leader when another one can take the records.
    const usable = view !== undefined && (view.leader >= 0 || !partitions.some((p) => p.leader >= 0));
    return usable ? view.partition : this.pickSticky(topic, partitions, current ?? -1);
  }

  private pickSticky(topic: string, partitions: readonly PartitionInfo[], avoid: number): number {
    const available = partitions.filter((p) => p.leader >= 0).map((p) => p.partition);
    const pool = available.length > 0 ? available : partitions.map((p) => p.partition);
    // Never the same partition again when there is a choice (Java loops until it differs; same outcome).
    const candidates = pool.length > 1 ? pool.filter((p) => p !== avoid) : pool;
    const chosen = this.queuedBatches ? this.weighted(candidates, this.queuedBatches(topic)) : candidates[Math.floor(this.random() * candidates.length) % candidates.length];
    this.sticky.set(topic, chosen);
    return chosen;
  }

  /** Java's BuiltInPartitioner: a cumulative frequency table over (max queue + 1 - queue), then a random point in it. */
  private weighted(candidates: readonly number[], queues: ReadonlyMap<number, number>): number {
    const sizes = candidates.map((p) => queues.get(p) ?? 0);
    const top = Math.max(...sizes) + 1;
    let total = 0;
    const cumulative = sizes.map((q) => (total += top - q));
    const point = Math.floor(this.random() * total);
    const i = cumulative.findIndex((c) => point < c);
    return candidates[i < 0 ? candidates.length - 1 : i];
  }

  private nextRoundRobin(topic: string, partitions: readonly PartitionInfo[]): number {
    const start = this.counters.get(topic) ?? Math.floor(this.random() * 0x1_0000_0000);
    const next = (start + 1) >>> 0;
    this.counters.set(topic, next);
    const available = partitions.filter((p) => p.leader >= 0);
    // No partition has a leader: pick among all; the record waits in the accumulator until one does.
    if (available.length === 0) return toPositive(next) % partitions.length;
    return available[toPositive(next) % available.length].partition;
  }
}

export type PartitionPreview =
  | { readonly ok: true; readonly partition: number | null; readonly explanation: string }
  | { readonly ok: false; readonly error: string };

/**
 * Where a key would go, with the arithmetic spelled out, without touching any partitioner state. Null keys
 * have no fixed answer (`partition: null`): they depend on the sticky choice or the round-robin position.
 */
export function previewPartition(
  key: string | Uint8Array | null,
  numPartitions: number,
  strategy: PartitionStrategy,
): PartitionPreview {
  try {
    checkPartitionCount(numPartitions);
    const decision = decideForKey(strategy, key === null ? null : toBytes(key), numPartitions);
    if (decision.kind === 'partition') {
      return { ok: true, partition: decision.partition, explanation: decision.why };
    }
    const subject = key === null ? 'null key' : decision.strategy === 'round-robin' ? 'key ignored (round-robin, as Java)' : 'key ignored (partitioner.ignore.keys)';
    const explanation =
      decision.strategy === 'sticky'
        ? `${subject}: uniform sticky (KIP-794, 3.3+): one partition per batch, the next one favouring shorter queues`
        : `${subject}: round-robin, each record goes to the next available partition`;
    return { ok: true, partition: null, explanation };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}
