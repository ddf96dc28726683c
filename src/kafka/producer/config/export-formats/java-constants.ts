/** ProducerConfig's constant for each setting (kafka-clients 3.x/4.x); settings without one are written as text. */
import type { SettingName } from '../settings.js';

export const PRODUCER_CONFIG_CONSTANTS: Partial<Record<SettingName, string>> = {
  acks: 'ACKS_CONFIG',
  'enable.idempotence': 'ENABLE_IDEMPOTENCE_CONFIG',
  retries: 'RETRIES_CONFIG',
  'retry.backoff.ms': 'RETRY_BACKOFF_MS_CONFIG',
  'retry.backoff.max.ms': 'RETRY_BACKOFF_MAX_MS_CONFIG',
  'max.in.flight.requests.per.connection': 'MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION',
  'linger.ms': 'LINGER_MS_CONFIG',
  'batch.size': 'BATCH_SIZE_CONFIG',
  'buffer.memory': 'BUFFER_MEMORY_CONFIG',
  'max.block.ms': 'MAX_BLOCK_MS_CONFIG',
  'max.request.size': 'MAX_REQUEST_SIZE_CONFIG',
  'compression.type': 'COMPRESSION_TYPE_CONFIG',
  'request.timeout.ms': 'REQUEST_TIMEOUT_MS_CONFIG',
  'delivery.timeout.ms': 'DELIVERY_TIMEOUT_MS_CONFIG',
  'metadata.max.age.ms': 'METADATA_MAX_AGE_CONFIG',
  'partitioner.class': 'PARTITIONER_CLASS_CONFIG',
  'partitioner.ignore.keys': 'PARTITIONER_IGNORE_KEYS_CONFIG',
  'transactional.id': 'TRANSACTIONAL_ID_CONFIG',
  'transaction.timeout.ms': 'TRANSACTION_TIMEOUT_CONFIG',
};

/** Settings whose Java type is long (buffer.memory, max.block.ms): written with an L suffix. */
export const LONG_SETTINGS: ReadonlySet<SettingName> = new Set(['buffer.memory', 'max.block.ms', 'retry.backoff.ms', 'retry.backoff.max.ms', 'metadata.max.age.ms']);
