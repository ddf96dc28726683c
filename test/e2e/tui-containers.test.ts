// The TUI on a "compose cluster" without Docker: a sandbox in this process plays the Kafka brokers, a fake Docker
// Engine API on a unix socket holds three broker containers labelled with the sandbox's addresses, and the built
// binary runs in tmux with DOCKER_HOST pointing at the fake. The Cluster screen must show the containers, and its
// keys must reach the engine for the right container (with the min.insync.replicas confirmation when it applies).
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/sandbox.js';
import { FakeDocker, nodeLabels, type FakeContainer } from '../helpers/fake-docker.js';
import { startSandbox } from '../helpers/sandbox.js';
import { CLI, hasTmux, Terminal } from '../helpers/tmux-terminal.js';

const EXTERNAL = 'io.github.kafka-producer-tui.external';
const name = (n: number) => `kafka-producer-tui-kafka-${n}-1`;

describe.skipIf(!hasTmux)('the TUI with container control (fake Docker, sandbox brokers)', () => {
  let sandbox: Sandbox;
  let fake: FakeDocker;
  let containers: FakeContainer[];
  let t: Terminal;

  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
    sandbox = await startSandbox();
    fake = await FakeDocker.start();
    const addresses = sandbox.addresses();
    // Each container publishes the address of the sandbox broker with its node id, as the compose file does.
    containers = [1, 2, 3].map((n) => fake.add({ name: name(n), labels: { ...nodeLabels('broker', n), [EXTERNAL]: addresses[n - 1] } }));
    t = Terminal.start('kptui-e2e-containers', 100, 34, ['--brokers', addresses.join(',')], { DOCKER_HOST: `unix://${fake.socketPath}` });
  });

  afterAll(async () => {
    t?.kill();
    await fake?.close();
    await sandbox?.close();
  });

  it('shows the brokers with their containers running, and the keys to act on them', async () => {
    await t.waitFor(/connected to cluster 127\.0\.0\.1:\d+/, 20_000);
    await t.keys('4');
    for (const n of [1, 2, 3]) await t.waitFor(new RegExp(`${n} +${name(n)} +running`));
    await t.waitFor(/s stop · c crash · p pause · r resume · u start the selected broker's container/);
    await t.waitFor(/Brokers of cluster 127\.0\.0\.1:\d+.* · PLAINTEXT/);
    // Faults a real broker cannot do are explained, not offered.
    await t.waitFor(/faults \(drop, delay, error\) are built-in cluster only; here use stop, crash or pause/);
    expect(t.screen()).not.toMatch(/d drop an ack/);
  });

  it('s stops the selected broker\'s container: the engine got the stop, the screen shows it exited', async () => {
    await t.waitFor(/› +1 +127\.0\.0\.1:\d+ +UP/);
    await t.keys('s');
    await t.waitUntil(() => fake.actions().includes(`stop ${name(1)}`), 'the fake engine to receive the stop');
    expect(fake.actions()).toEqual([`stop ${name(1)}`]);
    expect(containers[0].state).toBe('exited');
    await t.waitFor(new RegExp(`1 +${name(1)} +exited \\(143\\)`));
    await t.waitFor(/› +1 +127\.0\.0\.1:\d+ +STOPPED/);
    await t.waitFor(/broker 1 \(kafka-producer-tui-kafka-1-1\) stopped \(SIGTERM, controlled shutdown\)/);
    // The other containers were not touched.
    expect(containers[1].state).toBe('running');
    expect(containers[2].state).toBe('running');
  });

  it('asks before leaving fewer live brokers than min.insync.replicas, and acts only on y', async () => {
    await t.keys('j');
    await t.waitFor(/› +2 +127\.0\.0\.1:\d+ +UP/);
    await t.keys('s');
    await t.waitFor(/only 1 broker would be left, fewer than min\.insync\.replicas=2/);
    await t.waitFor(/y: yes, n: no/);
    expect(fake.actions()).toEqual([`stop ${name(1)}`]);
    await t.keys('n');
    await t.waitUntil(() => !/y: yes, n: no/.test(t.screen()), 'the question to go away');
    expect(containers[1].state).toBe('running');
    await t.keys('s');
    await t.waitFor(/y: yes, n: no/);
    await t.keys('y');
    await t.waitUntil(() => fake.actions().includes(`stop ${name(2)}`), 'the confirmed stop');
    await t.waitFor(new RegExp(`2 +${name(2)} +exited`));
  });

  it('u starts the container again', async () => {
    await t.keys('k', 'u');
    await t.waitUntil(() => fake.actions().includes(`start ${name(1)}`), 'the start of broker 1');
    await t.waitFor(new RegExp(`1 +${name(1)} +running`));
    await t.waitFor(/› +1 +127\.0\.0\.1:\d+ +UP/);
  });
});
