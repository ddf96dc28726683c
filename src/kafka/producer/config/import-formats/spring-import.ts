/**
 * Spring Boot's spring.kafka.producer subtree, from application.yml (the yaml package, with line numbers) or
 * application.properties (the properties-file package). Spring's own keys (relaxed binding: batch-size, batchSize,
 * batch_size) map to Kafka's names; spring.kafka.producer.properties.* and properties[...] are Kafka's names already.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { Properties } from 'properties-file/parser';
import { SPRING_KEYS, SPRING_PREFIX } from '../export-formats/spring-names.js';
import { collect, partitionerFromClass, unreadable, type Entry, type ImportResult } from './import-types.js';

const relaxed = (k: string) => k.toLowerCase().replace(/[-_]/g, '');
const SPRING_TO_KAFKA = new Map(Object.entries(SPRING_KEYS).map(([kafka, spring]) => [relaxed(spring!), kafka]));
const DATA_SIZE_KEYS = new Set(['batch.size', 'buffer.memory']);
const DATA_UNITS: Record<string, number> = { '': 1, b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/** Spring's DataSize ("16KB", "32MB", "16384B", "16384") in bytes; other text is left for the settings model. */
function dataSize(text: string): string {
  const m = /^\s*(\d+)\s*([a-z]*)\s*$/i.exec(text);
  const unit = m ? DATA_UNITS[m[2].toLowerCase()] : undefined;
  return m && unit !== undefined ? String(Number(m[1]) * unit) : text;
}

/** One flattened key under spring.kafka.producer, as an entry with Kafka's name; null when it is elsewhere. */
export function springEntry(fullKey: string, text: string, line: number | null): Entry | null {
  if (!fullKey.startsWith(`${SPRING_PREFIX}.`)) return null;
  const rest = fullKey.slice(SPRING_PREFIX.length + 1);
  const prop = /^properties(?:\.|(?=\[))(.+)$/.exec(rest);
  if (prop) {
    const name = prop[1].replace(/^\[(.*)\]$/, '$1');
    if (name === 'partitioner.class') {
      const value = partitionerFromClass(text);
      return { key: fullKey, name: value === null ? null : name, text: value ?? text, line };
    }
    return { key: fullKey, name, text, line };
  }
  const kafka = SPRING_TO_KAFKA.get(relaxed(rest)) ?? null;
  return { key: fullKey, name: kafka, text: kafka && DATA_SIZE_KEYS.has(kafka) ? dataSize(text) : text, line };
}

function finish(source: 'spring-yaml' | 'spring-properties', entries: Entry[]): ImportResult {
  if (entries.length === 0) return unreadable(null, `no ${SPRING_PREFIX} settings found (this reads Spring Boot's spring.kafka.producer subtree)`);
  return collect(source, entries);
}

export function readSpringProperties(text: string): ImportResult {
  const props = new Properties(text);
  const entries = props
    .getProperties()
    .map((p) => springEntry(p.key, p.value, p.startingLineNumber))
    .filter((e): e is Entry => e !== null);
  return finish('spring-properties', entries);
}

export function readSpringYaml(text: string): ImportResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  const error = doc.errors[0];
  if (error) return unreadable(error.linePos?.[0].line ?? null, `not valid YAML: ${error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`);
  const entries: Entry[] = [];
  const lineOf = (n: Node | null | undefined) => (n?.range ? lineCounter.linePos(n.range[0]).line : null);
  const walk = (node: unknown, path: string) => {
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        walk(pair.value, path === '' ? key : `${path}.${key}`);
      }
    } else if (isSeq(node)) {
      const items = node.items.map((i) => (isScalar(i) ? String(i.value) : String(i)));
      const e = springEntry(path, items.join(','), lineOf(node as Node));
      if (e) entries.push(e);
    } else if (isScalar(node)) {
      const e = springEntry(path, node.value === null ? '' : String(node.value), lineOf(node));
      if (e) entries.push(e);
    }
  };
  walk(doc.contents, '');
  return finish('spring-yaml', entries);
}
