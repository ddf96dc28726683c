/**
 * Spring Boot's own keys under spring.kafka.producer (KafkaProperties.Producer); every other producer setting goes
 * under spring.kafka.producer.properties, in the bracket notation Spring Boot's docs give for keys with dots.
 */
import type { SettingName } from '../settings.js';

export const SPRING_KEYS: Partial<Record<SettingName, string>> = {
  acks: 'acks',
  'batch.size': 'batch-size',
  'buffer.memory': 'buffer-memory',
  'compression.type': 'compression-type',
  retries: 'retries',
  // Spring appends a per-producer suffix to the prefix: the transactional.id Kafka sees is prefix + n.
  'transactional.id': 'transaction-id-prefix',
};

export const SPRING_PREFIX = 'spring.kafka.producer';
