/**
 * How Java's producer settings map onto kafkajs 2.x options, and kafkajs's own defaults in Java's terms (so an
 * export writes what kafkajs would otherwise do differently). kafkajs has no accumulator: linger.ms, batch.size,
 * buffer.memory, max.block.ms, max.request.size and delivery.timeout.ms have no option; the export writes them as
 * `// name=value: ...` comments, which `config --check` reads back.
 */
import type { CompressionType } from '../../compression/compression.js';
import type { ProducerSettings, SettingName } from '../settings.js';

export type KafkajsPlace = 'client' | 'producer' | 'retry' | 'send';

export interface KafkajsOption {
  place: KafkajsPlace;
  key: string;
  /** kafkajs's default, as the Java setting's value (null: kafkajs has no such limit). */
  kafkajsDefault: unknown;
}

export const KAFKAJS_OPTIONS: Partial<Record<SettingName, readonly KafkajsOption[]>> = {
  'enable.idempotence': [{ place: 'producer', key: 'idempotent', kafkajsDefault: false }],
  'max.in.flight.requests.per.connection': [{ place: 'producer', key: 'maxInFlightRequests', kafkajsDefault: null }],
  'transactional.id': [{ place: 'producer', key: 'transactionalId', kafkajsDefault: null }],
  'transaction.timeout.ms': [{ place: 'producer', key: 'transactionTimeout', kafkajsDefault: 60000 }],
  'metadata.max.age.ms': [{ place: 'producer', key: 'metadataMaxAge', kafkajsDefault: 300000 }],
  retries: [{ place: 'retry', key: 'retries', kafkajsDefault: 5 }],
  'retry.backoff.ms': [{ place: 'retry', key: 'initialRetryTime', kafkajsDefault: 300 }],
  'retry.backoff.max.ms': [{ place: 'retry', key: 'maxRetryTime', kafkajsDefault: 30000 }],
  acks: [{ place: 'send', key: 'acks', kafkajsDefault: 'all' }],
  'compression.type': [{ place: 'send', key: 'compression', kafkajsDefault: 'none' }],
  // Java's request.timeout.ms is both the client's wait for an answer and the broker's wait for replicas.
  'request.timeout.ms': [
    { place: 'client', key: 'requestTimeout', kafkajsDefault: 30000 },
    { place: 'send', key: 'timeout', kafkajsDefault: 30000 },
  ],
};

/** What this app does instead, for each setting kafkajs has no option for. */
export const KAFKAJS_NO_EQUIVALENT: Partial<Record<SettingName, string>> = {
  'linger.ms': 'kafkajs has no accumulator and sends what each send() call gets; this app collects records for linger.ms itself and then calls send()',
  'batch.size': 'kafkajs has no batch.size; this app closes a batch at batch.size bytes before calling send()',
  'buffer.memory': 'kafkajs keeps no bounded buffer; this app holds at most buffer.memory bytes of unsent records',
  'max.block.ms': 'kafkajs never blocks a send for memory; this app fails a send that waits this long for buffer space',
  'max.request.size': 'kafkajs does not check request sizes; this app refuses records larger than this',
  'delivery.timeout.ms': 'kafkajs has no delivery timeout; this app fails batches queued this long (a write already sent may still land)',
  'partitioner.class': "kafkajs's DefaultPartitioner hashes keys with murmur2 as Java does, but sends null keys round-robin; this app chooses partitions itself",
  'partitioner.ignore.keys': 'kafkajs has no such option; this app spreads keyed records itself',
};

export const KAFKAJS_COMPRESSION: Record<CompressionType, string> = {
  none: 'None',
  gzip: 'GZIP',
  snappy: 'Snappy',
  lz4: 'LZ4',
  zstd: 'ZSTD',
};

/** kafkajs's acks number for Java's acks. */
export const kafkajsAcks = (acks: ProducerSettings['acks']): number => (acks === 'all' ? -1 : acks);
