/** Java client producer.properties, Kafka's names (the properties-file package escapes keys and values). */
import { escapeKey, escapeValue } from 'properties-file/escape';
import { javaDefaults } from '../client-defaults.js';
import { header, javaPartitioner, kafkaText, settingsToWrite, type ExportInput } from './export-types.js';

export function exportJavaProperties(input: ExportInput): string {
  const names = settingsToWrite(input, javaDefaults(input.version));
  const lines = [`# ${header('Java producer.properties', input, names.length)}`];
  for (const name of names) {
    if (name === 'partitioner.class') {
      const p = javaPartitioner(input.effective[name]);
      if (p === null) continue;
      if ('none' in p) lines.push(`# ${p.none}`);
      else lines.push(`${escapeKey(name)}=${escapeValue(p.className)}`);
      continue;
    }
    lines.push(`${escapeKey(name)}=${escapeValue(kafkaText(name, input.effective[name]))}`);
  }
  return `${lines.join('\n')}\n`;
}
