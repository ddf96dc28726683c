/**
 * Every producer setting under its Kafka name: default, allowed values, a one-line explanation, whether a
 * change applies live or needs a producer swap, and the parser that turns typed text into a value with a
 * message that says exactly what is wrong.
 *
 * Defaults are Kafka 3.x/4.x's (acks=all and idempotence on since 3.0; linger.ms=5 since 4.0). Settings of the
 * accumulator (linger, batch, buffer, timeouts, partitioner) or of each request (acks, compression) apply live; the
 * rest pause the Sender until its requests in flight are answered, and idempotence or the transactional.id get a
 * new producer id.
 */
import { COMPRESSION_TYPES, type CompressionType } from '../compression/compression.js';
import type { PartitionStrategy } from '../partitioner.js';

export type Acks = 0 | 1 | 'all';
export type PrefixPartitioner = Extract<PartitionStrategy, { kind: 'prefix' }>;
/** default and sticky are the same thing (Java's default is sticky for null keys since 2.4, KIP-480). */
export type PartitionerSetting = 'default' | 'sticky' | 'round-robin' | PrefixPartitioner;

export interface ProducerSettings {
  acks: Acks;
  'enable.idempotence': boolean;
  retries: number;
  'retry.backoff.ms': number;
  'retry.backoff.max.ms': number;
  'max.in.flight.requests.per.connection': number;
  'linger.ms': number;
  'batch.size': number;
  'buffer.memory': number;
  'max.block.ms': number;
  'max.request.size': number;
  'compression.type': CompressionType;
  'request.timeout.ms': number;
  'delivery.timeout.ms': number;
  'metadata.max.age.ms': number;
  'partitioner.class': PartitionerSetting;
  'partitioner.ignore.keys': boolean;
  'transactional.id': string | null;
  'transaction.timeout.ms': number;
}
export type SettingName = keyof ProducerSettings;

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

export interface SettingSpec<T> {
  readonly name: SettingName;
  /** The command-line flag of the command-line contract (README), where there is one. */
  readonly flag?: string;
  readonly default: T;
  /** Allowed values in words, e.g. "0 to 2147483647 ms" or "none, gzip, snappy, lz4 or zstd". */
  readonly allowed: string;
  readonly choices?: readonly string[];
  readonly explain: string;
  /** live: the next send or drain uses it. producer-swap: the Sender pauses for it (queued records are kept). */
  readonly applies: 'live' | 'producer-swap';
  /** What kafkajs does differently, when it matters. */
  readonly kafkajs?: string;
  parse(text: string): Parsed<T>;
  format(value: T): string;
}

const INT_MAX = 2147483647;
const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = <T>(error: string): Parsed<T> => ({ ok: false, error });

const SIZE_SUFFIX: Record<string, number> = { '': 1, k: 1024, kb: 1024, kib: 1024, m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2 };
const UNIT_WORD = { ms: 'milliseconds', bytes: 'bytes', count: '' } as const;

function integer(name: SettingName, unit: keyof typeof UNIT_WORD, min: number, max: number) {
  const shown = (n: number) => (n === Number.MAX_SAFE_INTEGER ? 'no upper limit' : String(n));
  const unitText = unit === 'count' ? '' : ` ${unit}`;
  const allowed = max === Number.MAX_SAFE_INTEGER ? `${min} or more${unitText}` : `${min} to ${shown(max)}${unitText}`;
  const parse = (text: string): Parsed<number> => {
    const t = text.trim();
    const what = unit === 'count' ? 'a whole number' : `a whole number of ${UNIT_WORD[unit]}`;
    const suffixes = unit === 'bytes' ? ' (or with KiB/MiB, e.g. 16KiB)' : '';
    const m = /^(-?)(\d[\d_]*)\s*([a-z]*)$/i.exec(t);
    const factor = m ? SIZE_SUFFIX[m[3].toLowerCase()] : undefined;
    if (!m || factor === undefined || (unit !== 'bytes' && factor !== 1) || m[2].endsWith('_')) {
      return bad(t === '' ? `${name} needs a value: ${allowed}` : `${name} must be ${what}${suffixes}; got "${t}"`);
    }
    const value = (m[1] ? -1 : 1) * Number(m[2].replaceAll('_', '')) * factor;
    if (value < min) return bad(`${name} must be at least ${min}${unitText}; got ${value}`);
    if (value > max) return bad(`${name} must be at most ${max}${unitText}; got ${value}`);
    return ok(value);
  };
  return { allowed, parse, format: (v: number) => String(v) };
}

function boolean(name: SettingName) {
  return {
    allowed: 'true or false',
    choices: ['true', 'false'],
    parse: (text: string): Parsed<boolean> => {
      const t = text.trim().toLowerCase();
      if (t === 'true' || t === 'false') return ok(t === 'true');
      return bad(`${name} must be true or false; got "${text.trim()}"`);
    },
    format: (v: boolean) => String(v),
  };
}

function parseAcks(text: string): Parsed<Acks> {
  const t = text.trim().toLowerCase();
  if (t === 'all' || t === '-1') return ok('all');
  if (t === '0' || t === '1') return ok(Number(t) as 0 | 1);
  return bad(`acks must be 0, 1 or all (-1 also means all); got "${text.trim()}"`);
}

function parseCompression(text: string): Parsed<CompressionType> {
  const t = text.trim().toLowerCase();
  return (COMPRESSION_TYPES as readonly string[]).includes(t)
    ? ok(t as CompressionType)
    : bad(`compression.type must be one of none, gzip, snappy, lz4, zstd; got "${text.trim()}"`);
}

/** `default`, `sticky`, `round-robin`, or prefix rules: `prefix:eu-=0,us-=1,*=murmur2` (`*` = unmatched keys). */
export function parsePartitioner(text: string): Parsed<PartitionerSetting> {
  const t = text.trim();
  if (t === 'default' || t === 'sticky' || t === 'round-robin') return ok(t);
  if (!t.startsWith('prefix:')) {
    return bad(`partitioner.class must be default, sticky, round-robin or prefix:<prefix>=<partition>,...; got "${t}"`);
  }
  const rules: Array<{ prefix: string; partition: number }> = [];
  let fallback: 'murmur2' | number = 'murmur2';
  const entries = t.slice('prefix:'.length).split(',').map((e) => e.trim());
  for (const [i, entry] of entries.entries()) {
    const eq = entry.lastIndexOf('=');
    const where = `prefix rule ${i + 1} ("${entry}")`;
    if (eq < 0) return bad(`${where} needs the form <prefix>=<partition>, e.g. eu-=0`);
    const prefix = entry.slice(0, eq);
    const target = entry.slice(eq + 1).trim();
    if (prefix === '') return bad(`${where} has an empty prefix; use *=<partition> or *=murmur2 for unmatched keys`);
    if (prefix === '*' && target === 'murmur2') {
      fallback = 'murmur2';
      continue;
    }
    if (!/^\d+$/.test(target)) {
      return bad(`${where}: the partition must be a whole number 0 or more${prefix === '*' ? ' or murmur2' : ''}; got "${target}"`);
    }
    if (prefix === '*') fallback = Number(target);
    else if (rules.some((r) => r.prefix === prefix)) return bad(`${where} repeats the prefix "${prefix}"`);
    else rules.push({ prefix, partition: Number(target) });
  }
  if (rules.length === 0) return bad('prefix rules need at least one <prefix>=<partition>, e.g. prefix:eu-=0,us-=1');
  return ok({ kind: 'prefix', rules, fallback });
}

export function formatPartitioner(value: PartitionerSetting): string {
  if (typeof value === 'string') return value;
  return `prefix:${[...value.rules.map((r) => `${r.prefix}=${r.partition}`), `*=${value.fallback}`].join(',')}`;
}

type Catalog = { readonly [N in SettingName]: SettingSpec<ProducerSettings[N]> };

export const SETTINGS: Catalog = {
  acks: {
    name: 'acks', flag: '--acks', default: 'all', allowed: '0, 1 or all', choices: ['0', '1', 'all'], applies: 'live',
    explain: 'Replicas that must have the record before the broker answers: 0 none (no answer), 1 the leader, all every in-sync replica.',
    parse: parseAcks, format: (v) => String(v),
  },
  'enable.idempotence': {
    name: 'enable.idempotence', flag: '--idempotent', default: true, applies: 'producer-swap', ...boolean('enable.idempotence'),
    explain: 'The broker drops duplicate retries using a producer id and per-partition sequence numbers; needs acks=all.',
    kafkajs: 'kafkajs never repairs sequence errors: after OUT_OF_ORDER_SEQUENCE_NUMBER the producer must be recreated.',
  },
  retries: {
    name: 'retries', flag: '--retries', default: INT_MAX, applies: 'producer-swap', ...integer('retries', 'count', 0, INT_MAX),
    explain: 'How often a failed send is retried; with the default, delivery.timeout.ms is what ends retrying.',
    kafkajs: 'kafkajs defaults to 5 retries when idempotent (a bug); this app always passes retries explicitly.',
  },
  'retry.backoff.ms': {
    name: 'retry.backoff.ms', flag: '--retry-backoff-ms', default: 100, applies: 'producer-swap',
    ...integer('retry.backoff.ms', 'ms', 0, INT_MAX),
    explain: 'Wait before the first retry; it doubles per attempt up to retry.backoff.max.ms.',
  },
  'retry.backoff.max.ms': {
    name: 'retry.backoff.max.ms', default: 1000, applies: 'producer-swap', ...integer('retry.backoff.max.ms', 'ms', 0, INT_MAX),
    explain: 'Ceiling for the growing wait between retries (Kafka 3.7+).',
  },
  'max.in.flight.requests.per.connection': {
    name: 'max.in.flight.requests.per.connection', flag: '--max-in-flight', default: 5, applies: 'producer-swap',
    ...integer('max.in.flight.requests.per.connection', 'count', 1, INT_MAX),
    explain: 'Requests to one broker that may await an answer at once: more throughput, and without idempotence, reordering on retry.',
    kafkajs: 'kafkajs sends one Produce at a time per broker when idempotent, whatever this says.',
  },
  'linger.ms': {
    name: 'linger.ms', flag: '--linger-ms', default: 5, applies: 'live', ...integer('linger.ms', 'ms', 0, INT_MAX),
    explain: 'How long a batch waits for more records (5 since Kafka 4.0, KIP-1030; 0 before). Rate p: a burst per 25 ms, 1+ per batch.',
    kafkajs: 'kafkajs has no linger: this app batches records itself.',
  },
  'batch.size': {
    name: 'batch.size', flag: '--batch-size', default: 16384, applies: 'live', ...integer('batch.size', 'bytes', 0, INT_MAX),
    explain: "Most bytes in one partition's batch; a full batch is sent at once, a bigger record gets its own batch.",
    kafkajs: 'kafkajs has no batch.size: this app batches records itself.',
  },
  'buffer.memory': {
    name: 'buffer.memory', flag: '--buffer-memory', default: 33554432, applies: 'live',
    ...integer('buffer.memory', 'bytes', 0, Number.MAX_SAFE_INTEGER),
    explain: 'Bytes held for unsent records; each new batch takes batch.size of it; when full, sends wait up to max.block.ms.',
  },
  'max.block.ms': {
    name: 'max.block.ms', default: 60000, applies: 'live', ...integer('max.block.ms', 'ms', 0, INT_MAX),
    explain: 'How long a send may wait for buffer space before it fails.',
  },
  'max.request.size': {
    name: 'max.request.size', default: 1048576, applies: 'live', ...integer('max.request.size', 'bytes', 0, INT_MAX),
    explain: 'Largest request the producer sends, and so the largest record it accepts.',
  },
  'compression.type': {
    name: 'compression.type', flag: '--compression', default: 'none', applies: 'live',
    allowed: 'none, gzip, snappy, lz4 or zstd', choices: COMPRESSION_TYPES,
    explain: 'Codec applied to each batch; brokers store the batch compressed, consumers decompress it.',
    parse: parseCompression, format: (v) => v,
  },
  'request.timeout.ms': {
    name: 'request.timeout.ms', flag: '--request-timeout-ms', default: 30000, applies: 'producer-swap',
    ...integer('request.timeout.ms', 'ms', 0, INT_MAX),
    explain: "How long to wait for a broker's answer before retrying; also how long the broker may wait for acks.",
  },
  'delivery.timeout.ms': {
    name: 'delivery.timeout.ms', flag: '--delivery-timeout-ms', default: 120000, applies: 'live',
    ...integer('delivery.timeout.ms', 'ms', 0, INT_MAX),
    explain: 'Longest time from send() to success or failure, retries included; at least linger.ms + request.timeout.ms.',
    kafkajs: 'kafkajs has no delivery timeout: this app fails queued batches itself; a write already sent may still land.',
  },
  'metadata.max.age.ms': {
    name: 'metadata.max.age.ms', default: 300000, applies: 'live', ...integer('metadata.max.age.ms', 'ms', 0, INT_MAX),
    explain: 'How often the producer reads metadata unasked; in between, a moved leader is learned from an error or a timeout.',
  },
  'partitioner.class': {
    name: 'partitioner.class', flag: '--partitioner', default: 'default', applies: 'live',
    allowed: 'default, sticky, round-robin or prefix:<prefix>=<partition>,...[,*=murmur2|<partition>]',
    choices: ['default', 'sticky', 'round-robin'],
    explain: "Keys: murmur2, as Java. Null keys: uniform sticky (KIP-794), one partition per batch. round-robin ignores keys, as Java's does.",
    kafkajs: "kafkajs's own partitioner is round-robin for null keys; this app chooses partitions itself.",
    parse: parsePartitioner, format: formatPartitioner,
  },
  'partitioner.ignore.keys': {
    name: 'partitioner.ignore.keys', default: false, applies: 'live', ...boolean('partitioner.ignore.keys'),
    explain: 'Spread keyed records like null-key ones: fuller batches, but a key no longer keeps to one partition (3.3+).',
  },
  'transactional.id': {
    name: 'transactional.id', flag: '--transactional-id', default: null, applies: 'producer-swap',
    allowed: 'any name, or empty for none',
    explain: 'Names the producer for transactions (atomic writes across partitions, zombie fencing); needs idempotence.',
    parse: (text) => {
      const t = text.trim();
      return ok(t === '' || t.toLowerCase() === 'null' ? null : t);
    },
    format: (v) => v ?? '',
  },
  'transaction.timeout.ms': {
    name: 'transaction.timeout.ms', default: 60000, applies: 'producer-swap', ...integer('transaction.timeout.ms', 'ms', 1, INT_MAX),
    explain: 'How long a transaction may stay open before the coordinator aborts it.',
  },
};

/** Display order: delivery guarantees, then batching, then request handling, partitioning, transactions. */
export const SETTING_NAMES = Object.keys(SETTINGS) as SettingName[];

export const DEFAULTS: ProducerSettings = Object.fromEntries(
  SETTING_NAMES.map((name) => [name, SETTINGS[name].default]),
) as unknown as ProducerSettings;
