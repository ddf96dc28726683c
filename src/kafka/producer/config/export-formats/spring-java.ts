/** A Spring ProducerFactory bean built from ProducerConfig constants, as a Spring service declares its producer. */
import { javaDefaults } from '../client-defaults.js';
import type { SettingName } from '../settings.js';
import { header, javaPartitioner, kafkaText, settingsToWrite, type ExportInput } from './export-types.js';
import { LONG_SETTINGS, PRODUCER_CONFIG_CONSTANTS } from './java-constants.js';

const javaString = (s: string) => JSON.stringify(s);

function javaValue(name: SettingName, input: ExportInput): string {
  const v = input.effective[name];
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'number' && name !== 'acks') return LONG_SETTINGS.has(name) ? `${v}L` : String(v);
  return javaString(kafkaText(name, v as never));
}

export function exportSpringJava(input: ExportInput): string {
  const names = settingsToWrite(input, javaDefaults(input.version));
  const puts: string[] = [];
  for (const name of names) {
    const key = PRODUCER_CONFIG_CONSTANTS[name] ? `ProducerConfig.${PRODUCER_CONFIG_CONSTANTS[name]}` : javaString(name);
    if (name === 'partitioner.class') {
      const p = javaPartitioner(input.effective[name]);
      if (p && 'className' in p) puts.push(`        props.put(${key}, ${p.className}.class);`);
      else if (p) puts.push(`        // ${p.none}`);
      continue;
    }
    puts.push(`        props.put(${key}, ${javaValue(name, input)});`);
  }
  return `// ${header('Spring ProducerFactory bean', input, names.length)}
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;

@Configuration
public class KafkaProducerConfig {

    @Value("\${spring.kafka.bootstrap-servers}")
    private String bootstrapServers;

    @Bean
    public ProducerFactory<String, String> producerFactory() {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
${puts.join('\n')}
        return new DefaultKafkaProducerFactory<>(props);
    }

    @Bean
    public KafkaTemplate<String, String> kafkaTemplate(ProducerFactory<String, String> producerFactory) {
        return new KafkaTemplate<>(producerFactory);
    }
}
`;
}
