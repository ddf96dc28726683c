/**
 * Reads a producer configuration file in any format the export writes, and those people keep: Java
 * producer.properties, librdkafka properties, Spring Boot application.yml / application.properties (the
 * spring.kafka.producer subtree), a Java ProducerFactory, kafkajs options as JSON or a JavaScript module.
 * The format comes from the file name, then from the content.
 */
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { readJava } from './import-formats/java-import.js';
import { readKafkajsJson, readKafkajsModule } from './import-formats/kafkajs-import.js';
import { readProperties } from './import-formats/properties-import.js';
import { readSpringProperties, readSpringYaml } from './import-formats/spring-import.js';
import { unreadable, type ConfigSource, type ImportResult } from './import-formats/import-types.js';

export * from './import-formats/import-types.js';

export const SOURCE_TITLES: Record<ConfigSource, string> = {
  properties: 'Java producer.properties',
  librdkafka: 'librdkafka properties',
  'spring-yaml': 'Spring Boot application.yml',
  'spring-properties': 'Spring Boot application.properties',
  'spring-java': 'Java ProducerFactory',
  kafkajs: 'kafkajs module',
  'kafkajs-json': 'kafkajs options (JSON)',
};

/** Reads configuration text; `name` (a file name) decides the format where its extension tells. */
export async function readConfigText(text: string, name: string): Promise<ImportResult> {
  const ext = extname(name).toLowerCase();
  if (ext === '.yml' || ext === '.yaml') return readSpringYaml(text);
  if (ext === '.json') return readKafkajsJson(text);
  if (ext === '.java') return readJava(text);
  if (ext === '.js' || ext === '.mjs' || ext === '.cjs') return readKafkajsModule(text);
  const trimmed = text.trimStart();
  if (ext !== '.properties') {
    if (trimmed.startsWith('{')) return readKafkajsJson(text);
    if (/^\s*(spring|kafka)\s*:/m.test(text)) return readSpringYaml(text);
    if (/\bclass\s+\w+/.test(text) && /\bput\s*\(/.test(text)) return readJava(text);
    if (/\bkafkajs\b/.test(text) && /\bproducer\s*\(/.test(text)) return readKafkajsModule(text);
  }
  if (/^\s*spring\.kafka\./m.test(text)) return readSpringProperties(text);
  return readProperties(text);
}

/** Reads a file; a file that cannot be opened is unreadable with the system's reason. */
export async function readConfigFile(path: string): Promise<ImportResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'it is a directory' : err.code === 'EACCES' ? 'permission denied' : err.message;
    return unreadable(null, why);
  }
  if (text.trim() === '') return unreadable(null, `${basename(path)} is empty`);
  return readConfigText(text, path);
}
