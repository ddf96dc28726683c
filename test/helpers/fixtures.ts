// The tests' shared fixtures (vitest's test.extend): a fresh sandbox per test on free ports, its control API and a
// kafkajs client for it, and producer engines on it — each closed after its test whatever the outcome, so no test
// file hand-rolls the lifecycle. Options per file or describe block: `sandboxTest.override({ sandboxOptions: {...} })`;
// a test that needs its own options (or more than one sandbox) calls `startSandbox(opts)`.
import type { Admin, Kafka } from 'kafkajs';
import { test as base } from 'vitest';
import { ProducerEngine, type EngineOptions } from '../../src/kafka/producer/producer-engine.js';
import type { ProducerSettings } from '../../src/kafka/producer/config/settings.js';
import { SandboxControl } from '../../src/sandbox/control/control.js';
import type { Sandbox, SandboxOptions } from '../../src/sandbox/sandbox.js';
import { kafkaFor, startSandbox as startSandboxOnFreePorts } from './sandbox.js';

export interface SandboxFixtures {
  /** Options for this test's sandbox (default: 3 brokers on free ports). */
  sandboxOptions: SandboxOptions;
  sandbox: Sandbox;
  control: SandboxControl;
  /** A kafkajs client for the sandbox (silent, short retries). */
  kafka: Kafka;
  /** Starts a sandbox with this test's own options; every sandbox started is closed after the test. */
  startSandbox: (opts?: SandboxOptions) => Promise<Sandbox>;
  /** A connected kafkajs admin client for a sandbox; every one is disconnected after the test. */
  adminFor: (sandbox: Sandbox) => Promise<Admin>;
}

export const sandboxTest = base.extend<SandboxFixtures>({
  sandboxOptions: [{}, { injected: false }],
  sandbox: async ({ sandboxOptions }, use) => {
    const sandbox = await startSandboxOnFreePorts(sandboxOptions);
    await use(sandbox);
    await sandbox.close();
  },
  control: async ({ sandbox }, use) => use(new SandboxControl(sandbox)),
  kafka: async ({ sandbox }, use) => use(kafkaFor(sandbox)),
  startSandbox: async ({}, use) => {
    const started: Sandbox[] = [];
    await use(async (opts = {}) => {
      const sandbox = await startSandboxOnFreePorts(opts);
      started.push(sandbox);
      return sandbox;
    });
    for (const sandbox of started) await sandbox.close();
  },
  // Depends on startSandbox so that vitest tears it down first: admins disconnect before their sandboxes close.
  adminFor: async ({ startSandbox: _started }, use) => {
    const admins: Admin[] = [];
    await use(async (sandbox) => {
      const admin = kafkaFor(sandbox).admin();
      await admin.connect();
      admins.push(admin);
      return admin;
    });
    for (const admin of admins) await admin.disconnect().catch(() => {});
  },
});

export interface FileSandboxFixtures {
  $file: {
    /** One sandbox (default options) for every test of the file, closed after its last test. */
    sandbox: Sandbox;
    control: SandboxControl;
  };
}

/**
 * For suites that share one sandbox across a file on purpose (their tests are cheap next to a cluster start, or a
 * client we did not write needs a running cluster for the whole suite). Setup for all its tests goes in
 * `fileSandboxTest.beforeAll(({ sandbox }) => ...)`.
 */
export const fileSandboxTest = base.extend<FileSandboxFixtures>({
  sandbox: [
    async ({}, use) => {
      const sandbox = await startSandboxOnFreePorts();
      await use(sandbox);
      await sandbox.close();
    },
    { scope: 'file' },
  ],
  control: [async ({ sandbox }, use) => use(new SandboxControl(sandbox)), { scope: 'file' }],
});

/** `opts.brokers` replaces the sandbox's addresses as the bootstrap list (e.g. to put a broker that never answers first). */
export type StartEngine = (
  settings?: Partial<ProducerSettings>,
  opts?: Omit<EngineOptions, 'brokers' | 'settings'> & { brokers?: EngineOptions['brokers'] },
) => Promise<ProducerEngine>;

export interface EngineFixtures {
  /** Starts a producer engine on the test's sandbox (or on `opts.brokers`); every engine started is closed after the test. */
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

/**
 * The two ways the producer engine reaches a sandbox: TCP (any cluster) and the in-process pipe (the app's own
 * cluster). Fault tests run over both: `describe.each(TRANSPORTS)('over $name', ({ sandboxOptions }) => {
 * it.override({ sandboxOptions }); ... })`.
 */
export const TRANSPORTS: readonly { name: string; sandboxOptions: SandboxOptions }[] = [
  { name: 'TCP', sandboxOptions: {} },
  { name: 'the in-process pipe', sandboxOptions: { inProcessClients: true } },
];
