// Starts a sandbox on free ports for a test and gives a kafkajs client pointed at it.
import { Kafka, logLevel, type KafkaConfig } from 'kafkajs';
import { Sandbox, type SandboxOptions } from '../../src/sandbox/sandbox.js';

/**
 * Kafka's defaults, except group.initial.rebalance.delay.ms: tests start their consumers one at a time and wait for
 * each, so the 3 s a real broker waits for more members would only slow them. A test of the delay passes its own.
 */
export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  return Sandbox.start({ port: 0, groupInitialRebalanceDelayMs: 0, ...opts });
}

export function kafkaFor(sandbox: Sandbox, extra: Partial<KafkaConfig> = {}): Kafka {
  return new Kafka({
    clientId: 'test',
    brokers: sandbox.addresses(),
    logLevel: logLevel.NOTHING,
    retry: { retries: 5, initialRetryTime: 50 },
    ...extra,
  });
}
