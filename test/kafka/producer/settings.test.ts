import { describe, expect, it } from 'vitest';
import {
  DEFAULTS,
  SETTINGS,
  SETTING_NAMES,
  accumulatorConfig,
  changesNeedingSwap,
  effectiveConfig,
  formatPartitioner,
  parseSettingValue,
  parseSettings,
  partitionStrategy,
  type ConfigProblem,
  type ProducerSettings,
} from '../../../src/kafka/producer/config/settings.js';

const error = (name: string, text: string): string => {
  const r = parseSettingValue(name, text);
  if (r.ok) throw new Error(`expected an error for ${name}=${text}`);
  return r.error;
};
const value = (name: string, text: string): unknown => {
  const r = parseSettingValue(name, text);
  if (!r.ok) throw new Error(r.error);
  return r.value;
};
const byLevel = (problems: readonly ConfigProblem[], level: ConfigProblem['level']) =>
  problems.filter((p) => p.level === level).map((p) => p.message);

describe('catalog', () => {
  it('uses Kafka 3.x/4.x defaults', () => {
    expect(DEFAULTS).toMatchObject({
      acks: 'all',
      'enable.idempotence': true,
      retries: 2147483647,
      'retry.backoff.ms': 100,
      'max.in.flight.requests.per.connection': 5,
      'linger.ms': 5,
      'batch.size': 16384,
      'buffer.memory': 33554432,
      'max.request.size': 1048576,
      'compression.type': 'none',
      'request.timeout.ms': 30000,
      'delivery.timeout.ms': 120000,
      'partitioner.class': 'default',
      'transactional.id': null,
    });
    expect(SETTINGS['linger.ms'].explain).toContain('Kafka 4.0');
  });

  it('every default survives formatting and parsing back', () => {
    for (const name of SETTING_NAMES) {
      const spec = SETTINGS[name];
      expect(spec.explain.length, name).toBeGreaterThan(20);
      expect(spec.parse(spec.format(spec.default as never)), name).toEqual({ ok: true, value: spec.default });
    }
  });

  it('carries the command-line flags of the design', () => {
    const flags = Object.fromEntries(SETTING_NAMES.filter((n) => SETTINGS[n].flag).map((n) => [SETTINGS[n].flag, n]));
    expect(flags).toEqual({
      '--acks': 'acks',
      '--idempotent': 'enable.idempotence',
      '--max-in-flight': 'max.in.flight.requests.per.connection',
      '--retries': 'retries',
      '--retry-backoff-ms': 'retry.backoff.ms',
      '--linger-ms': 'linger.ms',
      '--batch-size': 'batch.size',
      '--buffer-memory': 'buffer.memory',
      '--compression': 'compression.type',
      '--request-timeout-ms': 'request.timeout.ms',
      '--delivery-timeout-ms': 'delivery.timeout.ms',
      '--partitioner': 'partitioner.class',
      '--transactional-id': 'transactional.id',
    });
  });

  it('says which settings apply live and which need a new producer', () => {
    const live = SETTING_NAMES.filter((n) => SETTINGS[n].applies === 'live');
    expect(live).toEqual([
      'acks', 'linger.ms', 'batch.size', 'buffer.memory', 'max.block.ms', 'max.request.size', 'compression.type',
      'delivery.timeout.ms', 'metadata.max.age.ms', 'partitioner.class', 'partitioner.ignore.keys',
    ]);
  });
});

describe('parseSettingValue', () => {
  it('reads acks as Kafka does', () => {
    expect(['all', 'ALL', '-1', '1', '0'].map((t) => value('acks', t))).toEqual(['all', 'all', 'all', 1, 0]);
    expect(error('acks', '2')).toBe('acks must be 0, 1 or all (-1 also means all); got "2"');
  });

  it('explains bad numbers precisely', () => {
    expect(error('linger.ms', '5.5')).toBe('linger.ms must be a whole number of milliseconds; got "5.5"');
    expect(error('linger.ms', '-1')).toBe('linger.ms must be at least 0 ms; got -1');
    expect(error('linger.ms', ' ')).toBe('linger.ms needs a value: 0 to 2147483647 ms');
    expect(error('linger.ms', '5k')).toBe('linger.ms must be a whole number of milliseconds; got "5k"');
    expect(error('max.in.flight.requests.per.connection', '0')).toBe('max.in.flight.requests.per.connection must be at least 1; got 0');
    expect(error('retries', 'lots')).toBe('retries must be a whole number; got "lots"');
  });

  it('accepts byte sizes with binary suffixes and underscores', () => {
    expect(value('batch.size', '16KiB')).toBe(16384);
    expect(value('batch.size', '64k')).toBe(65536);
    expect(value('max.request.size', '1MB')).toBe(1048576);
    expect(value('buffer.memory', '33_554_432')).toBe(33554432);
    expect(error('batch.size', '3000MiB')).toBe('batch.size must be at most 2147483647 bytes; got 3145728000');
    expect(error('batch.size', '16 GB')).toBe('batch.size must be a whole number of bytes (or with KiB/MiB, e.g. 16KiB); got "16 GB"');
  });

  it('reads booleans, codecs and transactional ids', () => {
    expect(value('enable.idempotence', 'TRUE')).toBe(true);
    expect(error('enable.idempotence', 'yes')).toBe('enable.idempotence must be true or false; got "yes"');
    expect(value('compression.type', 'ZSTD')).toBe('zstd');
    expect(error('compression.type', 'brotli')).toBe('compression.type must be one of none, gzip, snappy, lz4, zstd; got "brotli"');
    expect(value('transactional.id', '  ')).toBeNull();
    expect(value('transactional.id', 'orders-tx')).toBe('orders-tx');
  });

  it('reads partitioner names and prefix rules', () => {
    expect(value('partitioner.class', 'round-robin')).toBe('round-robin');
    const rules = value('partitioner.class', 'prefix:eu-=0, us-=1,*=3');
    expect(rules).toEqual({ kind: 'prefix', rules: [{ prefix: 'eu-', partition: 0 }, { prefix: 'us-', partition: 1 }], fallback: 3 });
    expect(formatPartitioner(rules as ProducerSettings['partitioner.class'])).toBe('prefix:eu-=0,us-=1,*=3');
    expect(value('partitioner.class', 'prefix:eu-=0')).toMatchObject({ fallback: 'murmur2' });
    expect(error('partitioner.class', 'hash')).toBe(
      'partitioner.class must be default, sticky, round-robin or prefix:<prefix>=<partition>,...; got "hash"',
    );
    expect(error('partitioner.class', 'prefix:eu-')).toBe('prefix rule 1 ("eu-") needs the form <prefix>=<partition>, e.g. eu-=0');
    expect(error('partitioner.class', 'prefix:eu-=0,us-=x')).toBe('prefix rule 2 ("us-=x"): the partition must be a whole number 0 or more; got "x"');
    expect(error('partitioner.class', 'prefix:eu-=0,eu-=1')).toBe('prefix rule 2 ("eu-=1") repeats the prefix "eu-"');
    expect(error('partitioner.class', 'prefix:*=murmur2')).toBe('prefix rules need at least one <prefix>=<partition>, e.g. prefix:eu-=0,us-=1');
  });

  it('suggests the setting a user probably meant', () => {
    expect(error('linger', '5')).toBe('unknown producer setting "linger"; did you mean linger.ms?');
    expect(error('batch.sise', '5')).toBe('unknown producer setting "batch.sise"; did you mean batch.size?');
    expect(error('colour', '5')).toBe('unknown producer setting "colour"');
  });

  it('parseSettings reports every error, not just the first', () => {
    const r = parseSettings({ acks: '1', 'linger.ms': 'soon', 'batch.size': '-5' });
    expect(r.settings).toEqual({ acks: 1 });
    expect(r.errors).toEqual(['linger.ms must be a whole number of milliseconds; got "soon"', 'batch.size must be at least 0 bytes; got -5']);
  });
});

describe('effectiveConfig', () => {
  it('runs the defaults without errors or warnings, every value from its default', () => {
    const eff = effectiveConfig({});
    expect(eff.ok).toBe(true);
    expect(eff.settings).toEqual(DEFAULTS);
    expect(SETTING_NAMES.every((n) => eff.values[n].source === 'default')).toBe(true);
    expect(byLevel(eff.problems, 'error')).toEqual([]);
    expect(byLevel(eff.problems, 'warning')).toEqual([]);
    expect(byLevel(eff.problems, 'note')).toEqual([
      'Idempotence with max.in.flight.requests.per.connection=5: up to 5 Produce requests per broker in flight, kept in order by sequence numbers (kafkajs would send one at a time).',
    ]);
  });

  it('turns default idempotence off, with a warning, when acks=1 is asked for', () => {
    const eff = effectiveConfig({ acks: 1 });
    expect(eff.ok).toBe(true);
    expect(eff.values['enable.idempotence']).toEqual({ value: false, source: 'disabled by conflicting settings' });
    expect(eff.values.acks).toEqual({ value: 1, source: 'user' });
    expect(byLevel(eff.problems, 'warning')).toEqual([
      'Idempotence is off because acks is 1, not all: idempotence is on by default only while acks=all, retries > 0 and max.in.flight <= 5. Retries may now write duplicates.',
      'Records can be reordered: without idempotence, a batch retried after a later batch succeeded lands behind it. Use max.in.flight.requests.per.connection=1 or enable idempotence to keep order.',
    ]);
  });

  it('refuses explicit idempotence with acks=1, max.in.flight>5 or retries=0, as Kafka does', () => {
    const eff = effectiveConfig({ 'enable.idempotence': true, acks: 1, 'max.in.flight.requests.per.connection': 6, retries: 0 });
    expect(eff.ok).toBe(false);
    const errors = byLevel(eff.problems, 'error');
    expect(errors).toHaveLength(3);
    expect(errors[2]).toBe(
      'Must set acks to all in order to use the idempotent producer. Otherwise we cannot guarantee idempotence. Kafka refuses to create this producer: enable.idempotence=true was set explicitly, and acks is 1, not all. Change one of the two.',
    );
    expect(errors[0]).toContain('Must set max.in.flight.requests.per.connection to at most 5 to use the idempotent producer.');
    expect(errors[1]).toContain('Must set retries to non-zero when using the idempotent producer.');
  });

  it('marks what explicit idempotence and transactions pin', () => {
    expect(effectiveConfig({ 'enable.idempotence': true }).values.acks.source).toBe('forced by idempotence');
    const tx = effectiveConfig({ 'transactional.id': 'tx' });
    expect(tx.ok).toBe(true);
    expect(tx.values['enable.idempotence']).toEqual({ value: true, source: 'forced by transactions' });
    expect(tx.values.acks).toEqual({ value: 'all', source: 'forced by transactions' });
  });

  it('refuses transactions without idempotence, saying what turned it off', () => {
    expect(byLevel(effectiveConfig({ 'transactional.id': 'tx', acks: 0 }).problems, 'error')).toEqual([
      'Cannot set a transactional.id without also enabling idempotence: idempotence is off because acks is 0, not all.',
    ]);
    expect(byLevel(effectiveConfig({ 'transactional.id': 'tx', 'enable.idempotence': false }).problems, 'error')).toEqual([
      'Cannot set a transactional.id without also enabling idempotence: enable.idempotence is false.',
    ]);
  });

  it('raises a default delivery.timeout.ms to linger + request timeout, but refuses an explicit one that is too small', () => {
    const raised = effectiveConfig({ 'linger.ms': 100000 });
    expect(raised.values['delivery.timeout.ms']).toEqual({ value: 130000, source: 'raised to linger.ms + request.timeout.ms' });
    expect(raised.ok).toBe(true);
    const refused = effectiveConfig({ 'delivery.timeout.ms': 20000 });
    expect(refused.ok).toBe(false);
    expect(byLevel(refused.problems, 'error')).toEqual([
      'delivery.timeout.ms should be equal to or larger than linger.ms + request.timeout.ms: 20000 < 5 + 30000. A record could time out before its first answer could arrive.',
    ]);
  });

  it('warns about sizes that do not fit together', () => {
    const eff = effectiveConfig({ 'batch.size': 2 * 1048576, 'buffer.memory': 1048576, 'max.request.size': 1048576 + 1 });
    expect(eff.ok).toBe(true);
    const warnings = byLevel(eff.problems, 'warning');
    expect(warnings.some((w) => w.startsWith('batch.size (2097152) is larger than max.request.size (1048577)'))).toBe(true);
    expect(warnings).toContain('buffer.memory (1048576) cannot hold one full batch (batch.size 2097152): every new batch waits for memory.');
    expect(warnings).toContain('Records larger than buffer.memory (1048576) are rejected even though max.request.size allows 1048577.');
  });

  it('notes acks=0, short request timeouts, flat backoff, big transaction timeouts and batching off', () => {
    const eff = effectiveConfig({
      acks: 0, 'request.timeout.ms': 10000, 'retry.backoff.ms': 2000, 'batch.size': 0,
      'transactional.id': null, 'transaction.timeout.ms': 1_000_000,
    });
    const all = eff.problems.map((p) => p.message);
    expect(all.some((m) => m.startsWith('acks=0: brokers do not answer'))).toBe(true);
    expect(all.some((m) => m.startsWith('request.timeout.ms is below'))).toBe(true);
    expect(all).toContain('retry.backoff.ms (2000) is above retry.backoff.max.ms (1000): every retry waits 1000 ms, without growing.');
    expect(all).toContain('batch.size=0 turns batching off: every record is a batch, and a request, of its own.');
    expect(all.some((m) => m.includes('transaction.max.timeout.ms'))).toBe(false); // only with transactions
    const tx = effectiveConfig({ 'transactional.id': 'tx', 'transaction.timeout.ms': 1_000_000 });
    expect(byLevel(tx.problems, 'warning')[0]).toContain('INVALID_TRANSACTION_TIMEOUT');
  });
});

describe('what a change needs', () => {
  it('lists only the changes that need a new producer', () => {
    const before = DEFAULTS;
    expect(changesNeedingSwap(before, { ...before, 'linger.ms': 50, acks: 1, 'compression.type': 'lz4' })).toEqual([]);
    expect(changesNeedingSwap(before, { ...before, 'enable.idempotence': false, retries: 3 })).toEqual(['enable.idempotence', 'retries']);
  });

  it('maps settings onto the accumulator and the partitioner', () => {
    expect(accumulatorConfig(DEFAULTS)).toEqual({
      batchSize: 16384, lingerMs: 5, bufferMemory: 33554432, maxBlockMs: 60000, maxRequestSize: 1048576,
      deliveryTimeoutMs: 120000, maxInFlightPerBroker: 5, idempotent: true, retryBackoffMs: 100, retryBackoffMaxMs: 1000,
    });
    expect(partitionStrategy('default', false)).toEqual({ kind: 'default', nullKey: 'sticky', ignoreKeys: false });
    expect(partitionStrategy('round-robin', true)).toEqual({ kind: 'default', nullKey: 'round-robin', ignoreKeys: true });
    expect(partitionStrategy('round-robin', false)).toEqual({ kind: 'default', nullKey: 'round-robin', ignoreKeys: true });
  });
});
