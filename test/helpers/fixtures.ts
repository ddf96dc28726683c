// The tests' shared fixtures (vitest's test.extend): a fresh sandbox per test on free ports, its control API and a
// kafkajs client for it, and producer engines on it — each closed after its test whatever the outcome, so no test
// file hand-rolls the lifecycle. Options per file or describe block: `sandboxTest.override({ sandboxOptions: {...} })`.
import type { Kafka } from 'kafkajs';
import { test as base } from 'vitest';
import { ProducerEngine, type EngineOptions } from '../../src/kafka/producer/producer-engine.js';
import type { ProducerSettings } from '../../src/kafka/producer/config/settings.js';
import { SandboxControl } from '../../src/sandbox/control/control.js';
import type { Sandbox, SandboxOptions } from '../../src/sandbox/sandbox.js';
import { kafkaFor, startSandbox } from './sandbox.js';

export interface SandboxFixtures {
  /** Options for this test's sandbox (default: 3 brokers on free ports). */
  sandboxOptions: SandboxOptions;
  sandbox: Sandbox;
  control: SandboxControl;
  /** A kafkajs client for the sandbox (silent, short retries). */
  kafka: Kafka;
}

export const sandboxTest = base.extend<SandboxFixtures>({
  sandboxOptions: [{}, { injected: false }],
  sandbox: async ({ sandboxOptions }, use) => {
    const sandbox = await startSandbox(sandboxOptions);
    await use(sandbox);
    await sandbox.close();
  },
  control: async ({ sandbox }, use) => use(new SandboxControl(sandbox)),
  kafka: async ({ sandbox }, use) => use(kafkaFor(sandbox)),
});

export type StartEngine = (settings?: Partial<ProducerSettings>, opts?: Omit<EngineOptions, 'brokers' | 'settings'>) => Promise<ProducerEngine>;

export interface EngineFixtures {
  /** Starts a producer engine on the test's sandbox; every engine started is closed after the test. */
  startEngine: StartEngine;
}

export const engineTest = sandboxTest.extend<EngineFixtures>({
  startEngine: async ({ sandbox }, use) => {
    const started: ProducerEngine[] = [];
    await use(async (settings = {}, opts = {}) => {
      const engine = await ProducerEngine.start({ brokers: sandbox.addresses(), settings, ...opts });
      started.push(engine);
      return engine;
    });
    for (const engine of started) await engine.close(2000).catch(() => {});
  },
});
