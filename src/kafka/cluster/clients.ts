// The one kafkajs client factory of the app: admin clients, topic readers, the audit's consumer and the lessons'
// own clients all come from here, so every one of them carries the cluster's TLS and SASL options.
import { Kafka, logLevel, type KafkaConfig } from 'kafkajs';
import type { ClientSecurity } from './connection-config.js';

/** Where a client connects: the bootstrap servers and the cluster's security options. */
export interface ClientTarget {
  brokers: readonly string[];
  security?: ClientSecurity;
}

/**
 * A kafkajs client for `target`. kafkajs's own log is silent (the app reports what matters itself); connection
 * and retry timings are short so that a dead cluster is reported within seconds; `extra` overrides either.
 */
export function kafkaClient(target: ClientTarget, clientId: string, extra: Partial<KafkaConfig> = {}): Kafka {
  return new Kafka({
    clientId,
    brokers: [...target.brokers],
    ...(target.security ?? {}),
    connectionTimeout: 3000,
    logLevel: logLevel.NOTHING,
    retry: { retries: 3, initialRetryTime: 100, maxRetryTime: 1000 },
    ...extra,
  });
}
