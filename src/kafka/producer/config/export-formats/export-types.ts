/**
 * What every export format shares: which settings to write (those given explicitly, and those whose value differs
 * from the target client's default, or all with --all), and the value as Kafka writes it in a properties file.
 */
import type { ClientVersion } from '../client-defaults.js';
import { SETTINGS, SETTING_NAMES, type ProducerSettings, type SettingName } from '../settings.js';

export const EXPORT_FORMATS = ['properties', 'spring-yaml', 'spring-java', 'kafkajs', 'librdkafka'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const FORMAT_TITLES: Record<ExportFormat, string> = {
  properties: 'Java producer.properties',
  'spring-yaml': 'Spring Boot application.yml',
  'spring-java': 'Spring ProducerFactory bean (Java)',
  kafkajs: 'kafkajs producer and send options (JavaScript)',
  librdkafka: 'librdkafka / confluent-kafka properties',
};

/** A file name to save each format under (the TUI's x writes there by default). */
export const FORMAT_FILES: Record<ExportFormat, string> = {
  properties: 'producer.properties',
  'spring-yaml': 'application.yml',
  'spring-java': 'KafkaProducerConfig.java',
  kafkajs: 'producer.kafkajs.js',
  librdkafka: 'librdkafka.properties',
};

export interface ExportInput {
  /** The settings given explicitly (flags, the app's edits): always written. */
  readonly user: Partial<ProducerSettings>;
  /** The configuration the producer runs with (effectiveConfig(user).settings). */
  readonly effective: ProducerSettings;
  /** Write every setting, not only the ones that matter for the target client. */
  readonly all: boolean;
  readonly version: ClientVersion;
}

export const sameValue = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** The settings to write, in the catalog's order, given the target client's defaults (in Java's terms). */
export function settingsToWrite(input: ExportInput, clientDefaults: Readonly<Partial<ProducerSettings>>): SettingName[] {
  return SETTING_NAMES.filter((n) => {
    if (n === 'transactional.id' && input.effective[n] === null) return false;
    if (input.all || input.user[n] !== undefined) return true;
    return n in clientDefaults && !sameValue(input.effective[n], clientDefaults[n]);
  });
}

/** Java's value for partitioner.class, or null where Java's built-in partitioner already does it. */
export function javaPartitioner(value: ProducerSettings['partitioner.class']): { className: string } | { none: string } | null {
  if (value === 'round-robin') return { className: 'org.apache.kafka.clients.producer.RoundRobinPartitioner' };
  if (typeof value === 'object') return { none: `partitioner.class=${SETTINGS['partitioner.class'].format(value)}: this app's prefix partitioner; Java needs a Partitioner class of your own for it` };
  return null;
}

/** A value as text in Kafka's own spelling (acks "all", booleans "true"). */
export function kafkaText<N extends SettingName>(name: N, value: ProducerSettings[N]): string {
  return SETTINGS[name].format(value as never);
}

export function header(what: string, input: ExportInput, count: number): string {
  const which = input.all ? 'every setting' : 'the settings given and those that differ from this client\'s defaults';
  return `${what}, written by kafka-producer-tui for kafka-clients ${input.version} semantics: ${count} setting${count === 1 ? '' : 's'} (${which}).`;
}
