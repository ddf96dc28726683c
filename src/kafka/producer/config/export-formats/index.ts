/** One entry point for every export format. */
import { exportJavaProperties } from './java-properties.js';
import { exportKafkajs } from './kafkajs.js';
import { exportLibrdkafka } from './librdkafka.js';
import { exportSpringJava } from './spring-java.js';
import { exportSpringYaml } from './spring-yaml.js';
import type { ExportFormat, ExportInput } from './export-types.js';

export * from './export-types.js';

const EXPORTERS: Record<ExportFormat, (input: ExportInput) => string> = {
  properties: exportJavaProperties,
  'spring-yaml': exportSpringYaml,
  'spring-java': exportSpringJava,
  kafkajs: exportKafkajs,
  librdkafka: exportLibrdkafka,
};

export function exportConfig(format: ExportFormat, input: ExportInput): string {
  return EXPORTERS[format](input);
}
