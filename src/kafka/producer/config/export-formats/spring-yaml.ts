/** Spring Boot application.yml: spring.kafka.producer.* where Spring Boot has a key, .properties.* for the rest. */
import { Document, isMap, type YAMLMap } from 'yaml';
import { javaDefaults } from '../client-defaults.js';
import type { SettingName } from '../settings.js';
import { header, javaPartitioner, kafkaText, settingsToWrite, type ExportInput } from './export-types.js';
import { SPRING_KEYS } from './spring-names.js';

/** Numbers and booleans as YAML scalars, so the file reads as people write it; everything else as text. */
function scalar(name: SettingName, input: ExportInput): string | number | boolean {
  const v = input.effective[name];
  return typeof v === 'number' || typeof v === 'boolean' ? v : kafkaText(name, v as never);
}

export function exportSpringYaml(input: ExportInput): string {
  const names = settingsToWrite(input, javaDefaults(input.version));
  const own: Record<string, unknown> = {};
  const properties: Record<string, unknown> = {};
  const notes: string[] = [];
  for (const name of names) {
    if (name === 'partitioner.class') {
      const p = javaPartitioner(input.effective[name]);
      if (p && 'className' in p) properties[`[${name}]`] = p.className;
      else if (p) notes.push(p.none);
      continue;
    }
    const key = SPRING_KEYS[name];
    if (key) own[key] = scalar(name, input);
    else properties[`[${name}]`] = scalar(name, input);
  }
  const producer = Object.keys(properties).length > 0 ? { ...own, properties } : own;
  const doc = new Document({ spring: { kafka: { producer } } });
  doc.commentBefore = ` ${header('Spring Boot application.yml', input, names.length)}`;
  const node = doc.getIn(['spring', 'kafka', 'producer'], true);
  if (isMap(node)) {
    const map = node as YAMLMap;
    const prefix = map.items.find((i) => String((i.key as { value?: unknown })?.value ?? i.key) === 'transaction-id-prefix');
    if (prefix && typeof prefix.key === 'object' && prefix.key !== null) {
      (prefix.key as { commentBefore?: string }).commentBefore = ' Spring appends a suffix per producer: Kafka sees transactional.id = prefix + n.';
    }
    if (notes.length > 0) map.comment = notes.map((n) => ` ${n}`).join('\n');
  }
  return doc.toString({ lineWidth: 0 });
}
