/**
 * The settings model: parse what a user typed, and work out the configuration a producer really runs with,
 * where each value came from, and what Kafka would say about the combination (the same rules as Java's
 * ProducerConfig and KafkaProducer, so a lesson learned here holds for a Java producer too).
 */
import type { AccumulatorConfig } from '../accumulator/record-accumulator.js';
import type { PartitionStrategy } from '../partitioner.js';
import {
  DEFAULTS,
  SETTINGS,
  SETTING_NAMES,
  type Parsed,
  type PartitionerSetting,
  type ProducerSettings,
  type SettingName,
} from './settings-catalog.js';

export * from './settings-catalog.js';

/**
 * Where an effective value comes from. The "forced" ones keep their value but are pinned: changing them would
 * make Kafka refuse the producer (idempotence needs acks=all; transactions need idempotence). The last two
 * are values Kafka changes by itself instead of failing, because the user did not set them explicitly.
 */
export type SettingSource =
  | 'default'
  | 'user'
  | 'forced by idempotence'
  | 'forced by transactions'
  | 'disabled by conflicting settings'
  | 'raised to linger.ms + request.timeout.ms';

export interface EffectiveSetting<T> {
  readonly value: T;
  readonly source: SettingSource;
}

/** error: Kafka would refuse to create the producer (ConfigException). warning: works, probably not as meant. */
export interface ConfigProblem {
  readonly level: 'error' | 'warning' | 'note';
  readonly settings: readonly SettingName[];
  readonly message: string;
}

export interface EffectiveConfig {
  readonly values: { readonly [N in SettingName]: EffectiveSetting<ProducerSettings[N]> };
  /** The values alone, ready to hand to the engine. */
  readonly settings: ProducerSettings;
  readonly problems: readonly ConfigProblem[];
  /** False when any problem is an error: the producer cannot be created as configured. */
  readonly ok: boolean;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length];
}

export function isSettingName(name: string): name is SettingName {
  return Object.hasOwn(SETTINGS, name);
}

/** Closest setting names to a misspelt one, for "did you mean ...?". */
export function suggestSettingNames(name: string): SettingName[] {
  const n = name.trim().toLowerCase();
  return SETTING_NAMES.map((s) => ({ s, d: s.startsWith(n) || s.includes(n) ? 0 : editDistance(n, s) }))
    .filter(({ d }) => d <= 3)
    .sort((x, y) => x.d - y.d)
    .slice(0, 3)
    .map(({ s }) => s);
}

export function parseSettingValue<N extends SettingName>(name: N, text: string): Parsed<ProducerSettings[N]>;
export function parseSettingValue(name: string, text: string): Parsed<ProducerSettings[SettingName]>;
export function parseSettingValue(name: string, text: string): Parsed<ProducerSettings[SettingName]> {
  if (!isSettingName(name)) {
    const near = suggestSettingNames(name);
    const hint = near.length > 0 ? `; did you mean ${near.join(' or ')}?` : '';
    return { ok: false, error: `unknown producer setting "${name}"${hint}` };
  }
  return SETTINGS[name].parse(text) as Parsed<ProducerSettings[SettingName]>;
}

/** Many settings at once (flags, a saved profile): every error is reported, not just the first. */
export function parseSettings(texts: Readonly<Record<string, string>>): {
  readonly settings: Partial<ProducerSettings>;
  readonly errors: readonly string[];
} {
  const settings: Partial<Record<SettingName, unknown>> = {};
  const errors: string[] = [];
  for (const [name, text] of Object.entries(texts)) {
    const parsed = parseSettingValue(name, text);
    if (parsed.ok) settings[name as SettingName] = parsed.value;
    else errors.push(parsed.error);
  }
  return { settings: settings as Partial<ProducerSettings>, errors };
}

const and = (parts: string[]): string =>
  parts.length <= 1 ? parts.join('') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;

export function effectiveConfig(user: Partial<ProducerSettings>): EffectiveConfig {
  const has = (n: SettingName) => user[n] !== undefined;
  const v: ProducerSettings = { ...DEFAULTS };
  const source = {} as Record<SettingName, SettingSource>;
  for (const name of SETTING_NAMES) {
    if (has(name)) (v as unknown as Record<string, unknown>)[name] = user[name];
    source[name] = has(name) ? 'user' : 'default';
  }
  const problems: ConfigProblem[] = [];
  const add = (level: ConfigProblem['level'], settings: SettingName[], message: string) =>
    problems.push({ level, settings, message });

  // Idempotence (ProducerConfig.postProcessAndValidateIdempotenceConfigs): asked for explicitly, a conflict is
  // an error; on by default only, Kafka quietly turns idempotence off instead.
  const maxInFlight = v['max.in.flight.requests.per.connection'];
  const userIdempotence = has('enable.idempotence');
  const conflicts: Array<{ setting: SettingName; because: string; kafka: string }> = [];
  if (v['enable.idempotence']) {
    if (maxInFlight > 5) {
      conflicts.push({
        setting: 'max.in.flight.requests.per.connection',
        because: `max.in.flight.requests.per.connection is ${maxInFlight} (above 5)`,
        kafka: 'Must set max.in.flight.requests.per.connection to at most 5 to use the idempotent producer.',
      });
    }
    if (v.retries === 0) {
      conflicts.push({ setting: 'retries', because: 'retries is 0', kafka: 'Must set retries to non-zero when using the idempotent producer.' });
    }
    if (v.acks !== 'all') {
      conflicts.push({
        setting: 'acks',
        because: `acks is ${v.acks}, not all`,
        kafka: 'Must set acks to all in order to use the idempotent producer. Otherwise we cannot guarantee idempotence.',
      });
    }
  }
  const reasons = and(conflicts.map((c) => c.because));
  if (conflicts.length > 0 && userIdempotence) {
    for (const c of conflicts) {
      add('error', ['enable.idempotence', c.setting],
        `${c.kafka} Kafka refuses to create this producer: enable.idempotence=true was set explicitly, and ${c.because}. Change one of the two.`);
    }
  } else if (conflicts.length > 0) {
    v['enable.idempotence'] = false;
    source['enable.idempotence'] = 'disabled by conflicting settings';
    add('warning', ['enable.idempotence', ...conflicts.map((c) => c.setting)],
      `Idempotence is off because ${reasons}: idempotence is on by default only while acks=all, retries > 0 and max.in.flight <= 5. Retries may now write duplicates.`);
  }

  // Transactions need idempotence; Kafka checks after the step above may have turned it off.
  if (v['transactional.id'] !== null) {
    if (!v['enable.idempotence']) {
      const why = userIdempotence && user['enable.idempotence'] === false ? 'enable.idempotence is false' : `idempotence is off because ${reasons}`;
      add('error', ['transactional.id', 'enable.idempotence', ...conflicts.map((c) => c.setting)],
        `Cannot set a transactional.id without also enabling idempotence: ${why}.`);
    } else {
      if (!userIdempotence) source['enable.idempotence'] = 'forced by transactions';
      if (!has('acks')) source.acks = 'forced by transactions';
    }
  } else if (v['enable.idempotence'] && userIdempotence && !has('acks')) {
    source.acks = 'forced by idempotence';
  }

  // KafkaProducer.configureDeliveryTimeout.
  const lingerPlusRequest = Math.min(v['linger.ms'] + v['request.timeout.ms'], 2147483647);
  if (v['delivery.timeout.ms'] < lingerPlusRequest) {
    if (has('delivery.timeout.ms')) {
      add('error', ['delivery.timeout.ms', 'linger.ms', 'request.timeout.ms'],
        `delivery.timeout.ms should be equal to or larger than linger.ms + request.timeout.ms: ${v['delivery.timeout.ms']} < ${v['linger.ms']} + ${v['request.timeout.ms']}. A record could time out before its first answer could arrive.`);
    } else {
      v['delivery.timeout.ms'] = lingerPlusRequest;
      source['delivery.timeout.ms'] = 'raised to linger.ms + request.timeout.ms';
      add('warning', ['delivery.timeout.ms', 'linger.ms', 'request.timeout.ms'],
        `delivery.timeout.ms was raised from its default to ${lingerPlusRequest} (linger.ms + request.timeout.ms), as Kafka does, so a record can get at least one answer.`);
    }
  }

  const batch = v['batch.size'];
  const maxRequest = v['max.request.size'];
  const buffer = v['buffer.memory'];
  if (batch > maxRequest) {
    add('warning', ['batch.size', 'max.request.size'],
      `batch.size (${batch}) is larger than max.request.size (${maxRequest}): a batch can grow past what one request may carry; such a batch is sent alone, and brokers reject batches over their message.max.bytes (about 1 MB).`);
  }
  if (batch > buffer) {
    add('warning', ['batch.size', 'buffer.memory'],
      `buffer.memory (${buffer}) cannot hold one full batch (batch.size ${batch}): every new batch waits for memory.`);
  }
  if (maxRequest > buffer) {
    add('warning', ['max.request.size', 'buffer.memory'],
      `Records larger than buffer.memory (${buffer}) are rejected even though max.request.size allows ${maxRequest}.`);
  }
  if (batch === 0) add('note', ['batch.size'], 'batch.size=0 turns batching off: every record is a batch, and a request, of its own.');
  if (v['retry.backoff.ms'] > v['retry.backoff.max.ms']) {
    add('warning', ['retry.backoff.ms', 'retry.backoff.max.ms'],
      `retry.backoff.ms (${v['retry.backoff.ms']}) is above retry.backoff.max.ms (${v['retry.backoff.max.ms']}): every retry waits ${v['retry.backoff.max.ms']} ms, without growing.`);
  }
  if (!v['enable.idempotence'] && v.retries > 0 && maxInFlight > 1 && v.acks !== 0) {
    add('warning', ['max.in.flight.requests.per.connection', 'retries', 'enable.idempotence'],
      `Records can be reordered: without idempotence, a batch retried after a later batch succeeded lands behind it. Use max.in.flight.requests.per.connection=1 or enable idempotence to keep order.`);
  }
  if (v.acks === 0) {
    add('note', ['acks'], 'acks=0: brokers do not answer, so offsets are unknown (-1) and failed writes are never noticed or retried.');
  }
  if (v['enable.idempotence'] && maxInFlight > 1) {
    add('note', ['max.in.flight.requests.per.connection', 'enable.idempotence'],
      `Idempotence with max.in.flight.requests.per.connection=${maxInFlight}: up to ${maxInFlight} Produce requests per broker in flight, kept in order by sequence numbers (kafkajs would send one at a time).`);
  }
  if (v['transactional.id'] !== null && v['transaction.timeout.ms'] > 900000) {
    add('warning', ['transaction.timeout.ms'],
      `transaction.timeout.ms (${v['transaction.timeout.ms']}) is above the brokers' default transaction.max.timeout.ms (900000): InitProducerId will fail with INVALID_TRANSACTION_TIMEOUT unless the brokers allow it.`);
  }
  if (has('request.timeout.ms') && v['request.timeout.ms'] < 30000) {
    add('note', ['request.timeout.ms'],
      'request.timeout.ms is below the brokers\' replica.lag.time.max.ms (30000 by default): a slow follower can make requests time out and retry, which without idempotence duplicates records.');
  }
  if (typeof v['partitioner.class'] === 'object' && v['partitioner.ignore.keys']) {
    add('note', ['partitioner.ignore.keys', 'partitioner.class'], 'partitioner.ignore.keys has no effect on prefix rules: they route by key.');
  }

  const values = Object.fromEntries(
    SETTING_NAMES.map((name) => [name, { value: v[name], source: source[name] }]),
  ) as unknown as EffectiveConfig['values'];
  return { values, settings: v, problems, ok: !problems.some((p) => p.level === 'error') };
}

/** The partitioner strategy a setting stands for. */
export function partitionStrategy(setting: PartitionerSetting, ignoreKeys: boolean): PartitionStrategy {
  if (typeof setting === 'object') return setting;
  // Java's RoundRobinPartitioner ignores keys: every record, keyed or not, goes to the next partition.
  if (setting === 'round-robin') return { kind: 'default', nullKey: 'round-robin', ignoreKeys: true };
  return { kind: 'default', nullKey: 'sticky', ignoreKeys };
}

/** The accumulator's share of the settings (call with effectiveConfig(...).settings). */
export function accumulatorConfig(s: ProducerSettings): AccumulatorConfig {
  return {
    batchSize: s['batch.size'],
    lingerMs: s['linger.ms'],
    bufferMemory: s['buffer.memory'],
    maxBlockMs: s['max.block.ms'],
    maxRequestSize: s['max.request.size'],
    deliveryTimeoutMs: s['delivery.timeout.ms'],
    maxInFlightPerBroker: s['max.in.flight.requests.per.connection'],
    idempotent: s['enable.idempotence'],
    retryBackoffMs: s['retry.backoff.ms'],
    retryBackoffMaxMs: s['retry.backoff.max.ms'],
  };
}

/** The settings whose change pauses the Sender until requests in flight are done (and may need a new producer id). */
export function changesNeedingSwap(before: ProducerSettings, after: ProducerSettings): SettingName[] {
  return SETTING_NAMES.filter(
    (n) => SETTINGS[n].applies === 'producer-swap' && SETTINGS[n].format(before[n] as never) !== SETTINGS[n].format(after[n] as never),
  );
}
