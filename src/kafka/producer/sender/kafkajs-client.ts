// Builds kafkajs clients and producers from the producer settings, always with our instrumentation: the wire
// monitor's socketFactory (Nagle off, exact in-flight), the retry tracker's logCreator, and explicit retries
// (kafkajs's idempotent default is 5 by a bug, notes/kafkajs.md §4.2).
import { Kafka, Partitioners, logLevel, type KafkaConfig, type Producer, type SASLOptions } from 'kafkajs';
import type { ConnectionOptions as TlsOptions } from 'node:tls';
import type { RetryTracker } from './retry-tracker.js';
import type { ProducerSettings } from '../config/settings.js';
import type { WireMonitor } from './wire-monitor.js';

export interface ConnectionOptions {
  brokers: string[];
  clientId?: string;
  ssl?: TlsOptions | boolean;
  sasl?: SASLOptions;
  connectionTimeoutMs?: number;
}

export interface Instrumentation {
  wire: WireMonitor;
  retries: RetryTracker;
}

/**
 * kafkajs retries by count with no overall deadline, so the Kafka default (retries = MAX_INT, ended by
 * delivery.timeout.ms) is mapped to the number of backoff steps that fit in delivery.timeout.ms.
 */
export function kafkajsRetries(s: ProducerSettings): number {
  let budget = s['delivery.timeout.ms'];
  let wait = Math.max(1, s['retry.backoff.ms']);
  let n = 0;
  while (n < s.retries && budget > 0 && n < 1000) {
    budget -= wait + s['request.timeout.ms'] / 10;
    wait = Math.min(wait * 2, Math.max(1, s['retry.backoff.max.ms']));
    n++;
  }
  // kafkajs refuses an idempotent producer with no retries.
  return s['enable.idempotence'] ? Math.max(1, n) : n;
}

export function createKafka(conn: ConnectionOptions, settings: ProducerSettings, inst: Instrumentation): Kafka {
  const config: KafkaConfig = {
    clientId: conn.clientId ?? 'kafka-producer-tui',
    brokers: conn.brokers,
    requestTimeout: settings['request.timeout.ms'],
    connectionTimeout: conn.connectionTimeoutMs ?? 3000,
    socketFactory: inst.wire.socketFactory(),
    logLevel: logLevel.WARN,
    logCreator: inst.retries.logCreator(),
    retry: { retries: 3, initialRetryTime: 100, maxRetryTime: 1000 },
  };
  if (conn.ssl) config.ssl = conn.ssl;
  if (conn.sasl) config.sasl = conn.sasl;
  return new Kafka(config);
}

export function createProducer(kafka: Kafka, s: ProducerSettings): Producer {
  return kafka.producer({
    // Every record carries an explicit partition chosen by our partitioner; passing one silences kafkajs's warning.
    createPartitioner: Partitioners.DefaultPartitioner,
    idempotent: s['enable.idempotence'],
    transactionalId: s['transactional.id'] ?? undefined,
    transactionTimeout: s['transaction.timeout.ms'],
    maxInFlightRequests: s['max.in.flight.requests.per.connection'],
    allowAutoTopicCreation: true,
    retry: {
      retries: kafkajsRetries(s),
      initialRetryTime: Math.max(1, s['retry.backoff.ms']),
      maxRetryTime: Math.max(1, s['retry.backoff.max.ms']),
      multiplier: 2,
      factor: 0.2,
    },
  });
}

export function acksValue(acks: ProducerSettings['acks']): -1 | 0 | 1 {
  return acks === 'all' ? -1 : acks;
}
