/** kafkajs: the new Kafka({...}), kafka.producer({...}) and send({...}) options, as a JavaScript module. */
import { SETTINGS, type ProducerSettings, type SettingName } from '../settings.js';
import { javaDefaults } from '../client-defaults.js';
import { header, kafkaText, sameValue, settingsToWrite, type ExportInput } from './export-types.js';
import { KAFKAJS_COMPRESSION, KAFKAJS_NO_EQUIVALENT, KAFKAJS_OPTIONS, kafkajsAcks, type KafkajsPlace } from './kafkajs-names.js';

function jsValue(name: SettingName, value: ProducerSettings[SettingName]): string {
  if (name === 'acks') return String(kafkajsAcks(value as ProducerSettings['acks']));
  if (name === 'compression.type') return `CompressionTypes.${KAFKAJS_COMPRESSION[value as ProducerSettings['compression.type']]}`;
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

export function exportKafkajs(input: ExportInput): string {
  // kafkajs's own defaults where it has an option, Java's where it has none (those are this app's behaviour).
  const defaults: Partial<Record<SettingName, unknown>> = { ...javaDefaults(input.version) };
  for (const [name, options] of Object.entries(KAFKAJS_OPTIONS)) defaults[name as SettingName] = options![0].kafkajsDefault;
  const names = settingsToWrite(input, defaults as Partial<ProducerSettings>);
  const places: Record<KafkajsPlace, string[]> = { client: [], producer: [], retry: [], send: [] };
  const comments: string[] = [];
  for (const name of names) {
    const value = input.effective[name];
    const options = KAFKAJS_OPTIONS[name];
    if (!options) {
      comments.push(`// ${name}=${kafkaText(name, value as never)}: ${KAFKAJS_NO_EQUIVALENT[name] ?? SETTINGS[name].kafkajs ?? 'kafkajs has no option for it'}`);
      continue;
    }
    for (const o of options) {
      const note = name === 'compression.type' && value === 'snappy' ? ' (register kafkajs-snappy for Snappy)' : '';
      places[o.place].push(`${o.key}: ${jsValue(name, value)}, // ${name}${note}`);
    }
  }
  if (places.retry.length > 0) places.producer.push(`retry: {\n    ${places.retry.join('\n    ')}\n  },`);
  const idempotentNote =
    input.effective['enable.idempotence'] && !sameValue(input.effective['max.in.flight.requests.per.connection'], 1)
      ? '\n// kafkajs sends one Produce request per broker at a time when idempotent, whatever maxInFlightRequests says.'
      : '';
  const block = (lines: string[], indent: string) => lines.map((l) => `${indent}${l}`).join('\n');
  return `// ${header('kafkajs producer options', input, names.length)}
import { CompressionTypes, Kafka, Partitioners } from 'kafkajs';

const kafka = new Kafka({
  clientId: 'my-producer',
  brokers: (process.env.KAFKA_BROKERS ?? 'localhost:9092').split(','),
${block(places.client, '  ')}
});

export const producer = kafka.producer({
  createPartitioner: Partitioners.DefaultPartitioner, // murmur2 for keys, as Java
${block(places.producer, '  ')}
});

export function send(topic, messages) {
  return producer.send({
    topic,
    messages,
${block(places.send, '    ')}
  });
}
${idempotentNote}
${comments.length > 0 ? `\n// Settings kafkajs has no option for:\n${comments.join('\n')}\n` : ''}`;
}
