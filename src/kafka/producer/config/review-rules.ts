/**
 * The findings behind the configuration review: what Java refuses at startup (with ProducerConfig's and
 * KafkaProducer's ConfigException messages), what Kafka does silently instead, and settings that only repeat a
 * default. Each finding names the settings it is about; config-review.ts turns them into table rows.
 */
import { defaultNote, javaDefaults, type ClientVersion } from './client-defaults.js';
import { SETTINGS, type ProducerSettings, type SettingName } from './settings.js';

export type ReviewVerdict = 'ok' | 'review' | 'redundant' | 'conflict';

export interface Finding {
  readonly settings: readonly SettingName[];
  readonly verdict: ReviewVerdict;
  readonly why: string;
  /** For conflicts: the ConfigException message Java gives at new KafkaProducer(...). */
  readonly exception?: string;
}

const INT_MAX = 2147483647;
const fmt = <N extends SettingName>(n: N, v: ProducerSettings[N]) => SETTINGS[n].format(v as never);

/** Java's startup checks (ProducerConfig.postProcessAndValidateIdempotenceConfigs, KafkaProducer.configureDeliveryTimeout). */
function conflicts(user: Partial<ProducerSettings>, v: ProducerSettings, version: ClientVersion): { findings: Finding[]; idempotenceOff: string | null } {
  const findings: Finding[] = [];
  const explicit = user['enable.idempotence'] !== undefined;
  // What was asked for: the effective value may already be Kafka's silent "off".
  const on = user['enable.idempotence'] ?? javaDefaults(version)['enable.idempotence'];
  let idempotenceOff: string | null = null;
  const conflict = (settings: SettingName[], exception: string, why: string) => findings.push({ settings, verdict: 'conflict', exception, why });
  if (on && v.retries === 0) {
    if (explicit) conflict(['retries', 'enable.idempotence'], 'Must set retries to non-zero when using the idempotent producer.', 'idempotence needs retries > 0');
    else idempotenceOff = 'retries=0';
  }
  if (on && v.acks !== 'all') {
    if (explicit) {
      conflict(['acks', 'enable.idempotence'], 'Must set acks to all in order to use the idempotent producer. Otherwise we cannot guarantee idempotence.', `idempotence needs acks=all; acks is ${v.acks}`);
    } else idempotenceOff = idempotenceOff ?? `acks=${v.acks}`;
  }
  const inFlight = v['max.in.flight.requests.per.connection'];
  if (on && inFlight > 5) {
    // 3.x turned default idempotence off here with a warning; 4.0 made it an error either way.
    if (explicit || version !== '3.9') {
      conflict(['max.in.flight.requests.per.connection', 'enable.idempotence'],
        `To use the idempotent producer, max.in.flight.requests.per.connection must be set to at most 5. Current value is ${inFlight}.`,
        explicit ? 'idempotence allows at most 5 requests in flight' : `idempotence is on by default and kafka-clients ${version} refuses more than 5 in flight (3.x only disabled idempotence)`);
    } else idempotenceOff = idempotenceOff ?? `max.in.flight.requests.per.connection=${inFlight}`;
  }
  const effectiveOn = on && idempotenceOff === null;
  if (v['transactional.id'] !== null && !effectiveOn && !findings.some((f) => f.settings.includes('enable.idempotence'))) {
    conflict(['transactional.id', 'enable.idempotence'], 'Cannot set a transactional.id without also enabling idempotence.',
      idempotenceOff ? `idempotence is off because ${idempotenceOff}` : 'enable.idempotence is false');
  }
  const floor = v['linger.ms'] + v['request.timeout.ms'];
  if (user['delivery.timeout.ms'] !== undefined && v['delivery.timeout.ms'] < floor) {
    conflict(['delivery.timeout.ms', 'linger.ms', 'request.timeout.ms'], 'delivery.timeout.ms should be equal to or larger than linger.ms + request.timeout.ms',
      `${v['delivery.timeout.ms']} < ${v['linger.ms']} + ${v['request.timeout.ms']}: a record could expire before its first answer`);
  }
  return { findings, idempotenceOff };
}

const defaults0 = (version: ClientVersion) => javaDefaults(version)['enable.idempotence'];

export function reviewFindings(user: Partial<ProducerSettings>, v: ProducerSettings, version: ClientVersion): Finding[] {
  const { findings, idempotenceOff } = conflicts(user, v, version);
  const requested = user['enable.idempotence'] ?? defaults0(version);
  const given = (n: SettingName) => user[n] !== undefined;
  const defaults = javaDefaults(version);
  const add = (settings: SettingName[], verdict: ReviewVerdict, why: string) => findings.push({ settings, verdict, why });
  const idempotent = requested && idempotenceOff === null;

  // Durability.
  if (idempotenceOff) add(['enable.idempotence'], 'review', `Kafka turns idempotence off without an error because ${idempotenceOff}: a retry can now write a record twice`);
  else if (given('enable.idempotence') && !requested) add(['enable.idempotence'], 'review', 'without idempotence a retried batch can be written twice; it costs little and is the default since 3.0 (KIP-679)');
  else if (requested) add(['enable.idempotence'], 'ok', given('enable.idempotence') ? `${defaultNote('enable.idempotence', version)}; stating it keeps older clients safe` : 'on (the default since 3.0, KIP-679): retries are not duplicated');
  if (v.acks === 1) add(['acks'], 'review', 'the leader answers before any follower has the record; a leader failure loses acknowledged records');
  else if (v.acks === 0) add(['acks'], 'review', 'no answer at all; failed writes are never seen or retried and offsets are unknown');
  else add(['acks'], 'ok', given('acks') ? 'every in-sync replica has the record before the answer (the default since 3.0, KIP-679)' : 'all (the default since 3.0, KIP-679)');
  if (given('retries') && idempotent) {
    add(['retries'], 'redundant', v.retries === INT_MAX
      ? 'the default already'
      : `with idempotence retries are safe; Kafka's default (${INT_MAX}) lets delivery.timeout.ms (${v['delivery.timeout.ms']} ms) bound them, while retries=${v.retries} can give up sooner`);
  } else if (v.retries > 0 && !idempotent && v.acks !== 0) {
    add(['retries'], 'review', 'retries without idempotence: a batch whose answer was lost is written again (duplicates)');
  } else if (!given('retries')) add(['retries'], 'ok', `the default: retried until delivery.timeout.ms (${v['delivery.timeout.ms']} ms)`);

  // Ordering.
  const inFlight = v['max.in.flight.requests.per.connection'];
  if (!idempotent && v.retries > 0 && inFlight > 1 && v.acks !== 0) {
    add(['max.in.flight.requests.per.connection'], 'review', `${inFlight} requests in flight without idempotence: a retried batch can land behind later ones (reordering); use 1, or idempotence`);
  } else if (idempotent && inFlight <= 5) add(['max.in.flight.requests.per.connection'], 'ok', 'idempotence keeps the order per partition with up to 5 in flight');

  // Throughput and latency.
  if (!given('linger.ms')) add(['linger.ms'], 'review', `left at the default${version === '3.9' ? ' of 3.x clients' : ''}: set it for your throughput and latency; a few ms fill batches at high send rates`);
  else if (v['linger.ms'] === 0) add(['linger.ms'], 'review', 'at a high send rate every record goes in a small batch of its own request; a few ms fill batches');
  else if (v['linger.ms'] !== defaults['linger.ms']) add(['linger.ms'], 'ok', `a batch waits up to ${v['linger.ms']} ms to fill (kafka-clients ${version}'s default is ${defaults['linger.ms']})`);
  if (given('compression.type') && v['compression.type'] !== 'none') add(['compression.type'], 'ok', `${v['compression.type']}: each batch is compressed, so requests and the log are smaller`);
  if (!given('batch.size')) add(['batch.size'], 'review', 'left at the default: size it for your records and send rate');
  if (v['batch.size'] > v['max.request.size']) add(['batch.size', 'max.request.size'], 'review', `batch.size (${v['batch.size']}) is above max.request.size (${v['max.request.size']}): a full batch cannot travel in one request`);
  if (v['batch.size'] > v['buffer.memory']) add(['batch.size', 'buffer.memory'], 'review', `buffer.memory (${v['buffer.memory']}) cannot hold one full batch`);
  if (v['compression.type'] === 'none') add(['compression.type'], 'review', 'no compression: large text values (JSON) shrink several-fold with lz4, zstd or snappy, for a little CPU');

  // Timeouts.
  const floor = v['linger.ms'] + v['request.timeout.ms'];
  if (!given('delivery.timeout.ms') && defaults['delivery.timeout.ms'] < floor) {
    add(['delivery.timeout.ms'], 'review', `Kafka raises it without an error to linger.ms + request.timeout.ms = ${floor}`);
  } else if (given('delivery.timeout.ms')) add(['delivery.timeout.ms'], 'ok', `bounds send() to ${v['delivery.timeout.ms']} ms, retries included (at least linger.ms + request.timeout.ms = ${floor})`);
  if (v['request.timeout.ms'] < 30000) {
    add(['request.timeout.ms'], 'review', "below the brokers' replica.lag.time.max.ms (30000): a slow follower makes requests time out and retry");
  }
  if (v['retry.backoff.ms'] > v['retry.backoff.max.ms']) add(['retry.backoff.ms', 'retry.backoff.max.ms'], 'review', 'retry.backoff.ms is above retry.backoff.max.ms: every retry waits the maximum');
  const age = v['metadata.max.age.ms'];
  if (given('metadata.max.age.ms') && age !== defaults['metadata.max.age.ms']) {
    add(['metadata.max.age.ms'], 'ok', age < defaults['metadata.max.age.ms']
      ? `metadata read every ${age} ms: partitions added to a topic are used sooner; a moved leader is found from the first refused send either way`
      : `metadata read every ${age} ms: partitions added to a topic wait that long to be used; a moved leader is still found from the first refused send`);
  }
  if (v['transactional.id'] !== null && v['transaction.timeout.ms'] > 900000) {
    add(['transaction.timeout.ms'], 'review', "above the brokers' default transaction.max.timeout.ms (900000): InitProducerId fails unless the brokers allow it");
  }

  // A given value equal to the client's default, where nothing above said more.
  for (const n of Object.keys(user) as SettingName[]) {
    if (!(n in defaults) || findings.some((f) => f.settings[0] === n && f.verdict !== 'ok')) continue;
    if (n === 'acks' || n === 'enable.idempotence' || user[n] === undefined) continue;
    if (fmt(n, user[n] as never) === fmt(n, defaults[n] as never)) add([n], 'redundant', `the default of kafka-clients ${version} already`);
  }
  return findings;
}
