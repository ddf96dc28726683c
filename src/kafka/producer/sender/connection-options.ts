// How to reach a cluster: bootstrap addresses and connection security, as the command line and the app give them.
import type { SASLOptions } from 'kafkajs';
import type { ConnectionOptions as TlsOptions } from 'node:tls';

export interface ConnectionOptions {
  brokers: string[];
  clientId?: string;
  ssl?: TlsOptions | boolean;
  /** kafkajs's shape, shared with the admin and consumer clients; the engine speaks PLAIN and SCRAM itself. */
  sasl?: SASLOptions;
  connectionTimeoutMs?: number;
}
