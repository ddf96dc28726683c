/**
 * Java producer.properties and librdkafka properties, read with the properties-file package (Java's .properties
 * syntax: escapes, continuation lines, '=' ':' or space separators). librdkafka's own names and aliases map to
 * Java's; a file is librdkafka's when it uses one of them or says so in a comment.
 */
import { Properties } from 'properties-file/parser';
import { LIBRDKAFKA_NAMES, LIBRDKAFKA_PARTITIONER } from '../export-formats/librdkafka.js';
import { isSettingName } from '../settings.js';
import { collect, partitionerFromClass, type Entry, type ImportResult } from './import-types.js';

/** librdkafka names (CONFIGURATION.md) and their Java equivalents. */
const LIBRDKAFKA_ALIASES: Record<string, string> = {
  'request.required.acks': 'acks',
  'message.send.max.retries': 'retries',
  'queue.buffering.max.ms': 'linger.ms',
  'max.in.flight': 'max.in.flight.requests.per.connection',
  'compression.codec': 'compression.type',
  ...Object.fromEntries(Object.entries(LIBRDKAFKA_NAMES).map(([java, lib]) => [lib!.name, java])),
};
const LIBRDKAFKA_ONLY = new Set([...Object.keys(LIBRDKAFKA_ALIASES), 'partitioner', 'batch.num.messages', 'queue.buffering.max.messages']);

export function isLibrdkafka(props: Properties): boolean {
  return props.getProperties().some((p) => LIBRDKAFKA_ONLY.has(p.key)) || props.getComments().some((c) => /librdkafka/i.test(c.body));
}

function librdkafkaEntry(key: string, value: string, line: number): Entry {
  // murmur2_random is Java's own partitioning: listed, nothing to set.
  if (key === 'partitioner') return { key, name: null, text: value.trim() === LIBRDKAFKA_PARTITIONER ? `${value} (Java's murmur2)` : value, line };
  const java = LIBRDKAFKA_ALIASES[key] ?? key;
  const convert = Object.values(LIBRDKAFKA_NAMES).find((l) => l!.name === key)?.fromLib;
  const text = convert && /^\d+$/.test(value.trim()) ? String(convert(Number(value.trim()))) : value;
  return { key, name: java, text, line };
}

export function readProperties(text: string): ImportResult {
  const props = new Properties(text);
  const librdkafka = isLibrdkafka(props);
  const entries: Entry[] = props.getProperties().map((p) => {
    const line = p.startingLineNumber;
    if (librdkafka) return librdkafkaEntry(p.key, p.value, line);
    if (p.key === 'partitioner.class') {
      const value = partitionerFromClass(p.value);
      return { key: p.key, name: value === null ? null : p.key, text: value ?? p.value, line };
    }
    return { key: p.key, name: p.key, text: p.value, line };
  });
  // Settings the target client has no key for, as the export writes them: `# partitioner.class=round-robin: why`.
  for (const c of props.getComments()) {
    const m = /^\s*([a-z][a-z.]*)=(.*?):\s/.exec(c.body);
    if (m && isSettingName(m[1])) entries.push({ key: `# ${m[1]}`, name: m[1], text: m[2], line: c.lineNumber });
  }
  return collect(librdkafka ? 'librdkafka' : 'properties', entries);
}
