/**
 * What reading a configuration file gives: the producer settings it sets (each with the line and the key as written),
 * the keys that are not producer settings this app models (listed, not reviewed), or why the file cannot be read,
 * with the line where that is known.
 */
import { isSettingName, parseSettingValue, type ProducerSettings, type SettingName } from '../settings.js';

export const CONFIG_SOURCES = ['properties', 'librdkafka', 'spring-yaml', 'spring-properties', 'spring-java', 'kafkajs', 'kafkajs-json'] as const;
export type ConfigSource = (typeof CONFIG_SOURCES)[number];

export interface FoundSetting {
  readonly name: SettingName;
  /** The key as the file writes it, e.g. spring.kafka.producer.batch-size. */
  readonly key: string;
  readonly line: number | null;
}

export interface OtherKey {
  readonly key: string;
  readonly value: string;
  readonly line: number | null;
}

export type ImportResult =
  | {
      readonly ok: true;
      readonly source: ConfigSource;
      readonly settings: Partial<ProducerSettings>;
      readonly found: readonly FoundSetting[];
      readonly other: readonly OtherKey[];
    }
  | { readonly ok: false; readonly line: number | null; readonly reason: string };

/** One key and its value as text, already mapped to a Kafka name where it is one. */
export interface Entry {
  readonly key: string;
  /** The Kafka setting this key is, or null when it is not one this app models. */
  readonly name: string | null;
  readonly text: string;
  readonly line: number | null;
}

export const unreadable = (line: number | null, reason: string): ImportResult => ({ ok: false, line, reason });

/** Parses every entry's value with the settings model; the first bad value makes the file unreadable, with its line. */
export function collect(source: ConfigSource, entries: readonly Entry[]): ImportResult {
  const settings: Partial<Record<SettingName, unknown>> = {};
  const found: FoundSetting[] = [];
  const other: OtherKey[] = [];
  for (const e of entries) {
    if (e.name === null || !isSettingName(e.name)) {
      other.push({ key: e.key, value: e.text, line: e.line });
      continue;
    }
    const parsed = parseSettingValue(e.name, e.text);
    if (!parsed.ok) return unreadable(e.line, `${e.key}: ${parsed.error}`);
    settings[e.name] = parsed.value;
    const at = found.findIndex((f) => f.name === e.name);
    if (at >= 0) found.splice(at, 1);
    found.push({ name: e.name, key: e.key, line: e.line });
  }
  return { ok: true, source, settings: settings as Partial<ProducerSettings>, found, other };
}

/** Java's partitioner classes as this app's partitioner.class values. */
export function partitionerFromClass(className: string): string | null {
  const simple = className.trim().replace(/\.class$/, '').split('.').pop() ?? '';
  if (simple === 'RoundRobinPartitioner') return 'round-robin';
  if (simple === 'DefaultPartitioner') return 'default';
  if (simple === 'UniformStickyPartitioner') return 'sticky';
  return null;
}
