/**
 * librdkafka / confluent-kafka properties (CONFIGURATION.md names). Most producer names are Java's; where librdkafka
 * names or measures a setting differently the export uses its name, and settings are written where librdkafka's
 * default differs from Java's too (idempotence off, batch.size 1000000, a different partitioner), so the client
 * behaves as the Java configuration means.
 */
import { escapeKey, escapeValue } from 'properties-file/escape';
import { javaDefaults } from '../client-defaults.js';
import type { ProducerSettings, SettingName } from '../settings.js';
import { header, kafkaText, settingsToWrite, type ExportInput } from './export-types.js';

/** librdkafka's defaults in Java's terms, where they differ from Java's. */
export const LIBRDKAFKA_DEFAULTS: Partial<ProducerSettings> = {
  'enable.idempotence': false,
  'batch.size': 1000000,
  'max.in.flight.requests.per.connection': 1000000,
  'buffer.memory': 1048576 * 1024,
  'max.request.size': 1000000,
  'delivery.timeout.ms': 300000,
};

/** Java name -> librdkafka name and how the value converts, where they differ. */
export const LIBRDKAFKA_NAMES: Partial<Record<SettingName, { name: string; toLib?: (v: number) => number; fromLib?: (v: number) => number }>> = {
  'buffer.memory': { name: 'queue.buffering.max.kbytes', toLib: (v) => Math.ceil(v / 1024), fromLib: (v) => v * 1024 },
  'max.request.size': { name: 'message.max.bytes' },
  'delivery.timeout.ms': { name: 'message.timeout.ms' },
  // librdkafka's own metadata.max.age.ms is how long its cache is trusted (3x the refresh interval); the refresh
  // interval, Java's meaning, is this one.
  'metadata.max.age.ms': { name: 'topic.metadata.refresh.interval.ms' },
};

/** Java settings librdkafka has no property for: written as comments, never as keys it would refuse. */
const NOT_IN_LIBRDKAFKA: ReadonlySet<SettingName> = new Set(['partitioner.class', 'max.block.ms', 'partitioner.ignore.keys']);

/** librdkafka's partitioner values: murmur2_random is Java's (murmur2 for keys, random for null keys). */
export const LIBRDKAFKA_PARTITIONER = 'murmur2_random';

export function exportLibrdkafka(input: ExportInput): string {
  const names = settingsToWrite(input, { ...javaDefaults(input.version), ...LIBRDKAFKA_DEFAULTS })
    .filter((n) => !NOT_IN_LIBRDKAFKA.has(n))
    // retry.backoff.max.ms came in librdkafka 2.3 (KIP-580); older ones refuse the name: written only when it matters.
    .filter((n) => n !== 'retry.backoff.max.ms' || input.effective[n] !== javaDefaults(input.version)[n]);
  const lines = [`# ${header('librdkafka / confluent-kafka properties', input, names.length + 1)}`];
  // librdkafka's default partitioner (consistent_random, CRC32) sends keys elsewhere than Java's murmur2.
  lines.push('# Java-compatible key hashing (librdkafka defaults to consistent_random, a CRC32 hash):');
  lines.push(`partitioner=${LIBRDKAFKA_PARTITIONER}`);
  const p = input.effective['partitioner.class'];
  if (p !== 'default' && p !== 'sticky') lines.push(`# partitioner.class=${kafkaText('partitioner.class', p)}: librdkafka has no such partitioner`);
  if (input.user['max.block.ms'] !== undefined || input.all) {
    lines.push(`# max.block.ms=${input.effective['max.block.ms']}: librdkafka never blocks; produce() fails with QUEUE_FULL at once`);
  }
  if (input.user['partitioner.ignore.keys'] !== undefined || input.effective['partitioner.ignore.keys']) {
    lines.push(`# partitioner.ignore.keys=${input.effective['partitioner.ignore.keys']}: librdkafka has no such setting`);
  }
  if (names.includes('retry.backoff.max.ms')) lines.push('# retry.backoff.max.ms needs librdkafka 2.3 or later:');
  for (const name of names) {
    const lib = LIBRDKAFKA_NAMES[name];
    const value = input.effective[name];
    const text = lib?.toLib && typeof value === 'number' ? String(lib.toLib(value)) : kafkaText(name, value as never);
    lines.push(`${escapeKey(lib?.name ?? name)}=${escapeValue(text)}`);
  }
  return `${lines.join('\n')}\n`;
}
