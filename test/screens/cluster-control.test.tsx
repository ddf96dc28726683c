// The seam for broker control on a --brokers cluster, through the whole app: when the containers cannot be used
// the Cluster screen says why and how to fix it instead of offering keys; when they can, their states are listed
// and the engine's warnings reach the event log once.
import { afterEach, describe, expect } from 'vitest';
import { openCluster, type ClusterHandle } from '../../src/kafka/cluster/open-cluster.js';
import { FakeDocker, nodeLabels } from '../helpers/fake-docker.js';
import { sandboxTest as it } from '../helpers/fixtures.js';
import { renderLab, type LabHarness } from './render-lab.js';

let fake: FakeDocker | undefined;
let lab: LabHarness | undefined;
let cluster: ClusterHandle | undefined;
afterEach(async () => {
  await lab?.close();
  await cluster?.close();
  await fake?.close();
  lab = cluster = fake = undefined;
});

describe('container control on the Cluster screen', () => {
  it('no reachable engine: no control, and the message naming the fix instead of the generic text', async ({ sandbox }) => {
    const brokers = sandbox.addresses();
    lab = await renderLab({
      openCluster: async () => (cluster = await openCluster({ brokers, containers: { dockerHost: 'unix:///nonexistent/kpt/d.sock' } })),
    });
    expect(cluster!.control).toBeNull();
    expect(cluster!.controlProblem).toMatch(/not reachable.*Start Docker/);
    await lab.press('4');
    await lab.waitFor(/no broker control: broker actions and faults are off \(producing works\): no sandbox control/);
    await lab.waitFor(/Start Docker/);
    expect(lab.frame()).not.toMatch(/docker control of this cluster/);
    expect(lab.frame()).not.toMatch(/s stop · c crash/);
    // The key says the same thing rather than a generic refusal.
    await lab.press('s');
    await lab.waitFor(/✗.*broker actions and faults are off/);
  });

  it('containers of another cluster: refused, saying which addresses they publish', async ({ sandbox }) => {
    fake = await FakeDocker.start();
    fake.addCluster();
    cluster = await openCluster({ brokers: sandbox.addresses(), containers: { dockerHost: `unix://${fake.socketPath}` } });
    expect(cluster.control).toBeNull();
    expect(cluster.controlProblem).toMatch(/publish 127\.0\.0\.1:9092, 127\.0\.0\.1:9093, 127\.0\.0\.1:9094, but the app is connected to/);
  });

  it('matching containers: control, states for the engine, container lines, and a stop reaches the right one', async ({ sandbox }) => {
    fake = await FakeDocker.start();
    const addresses = sandbox.addresses();
    [1, 2, 3].map((n) => fake!.add({ name: `kpt-kafka-${n}`, labels: { ...nodeLabels('broker', n), 'io.github.kafka-producer-tui.external': addresses[n - 1] } }));
    cluster = await openCluster({ brokers: addresses, containers: { dockerHost: `unix://${fake.socketPath}` } });
    expect(cluster.control?.kind).toBe('containers');
    expect(cluster.controlProblem).toBeNull();
    expect(cluster.security).toBe('PLAINTEXT');
    expect(cluster.containers!.current().map((c) => `${c.broker} ${c.name} ${c.status}`)).toEqual(['1 kpt-kafka-1 running', '2 kpt-kafka-2 running', '3 kpt-kafka-3 running']);
    const changes: string[] = [];
    cluster.events!((_level, text) => changes.push(text));
    expect(await cluster.control!.act('crash', 3)).toMatchObject({ ok: true });
    expect(fake.actions()).toEqual(['kill kpt-kafka-3']);
    // Seen at once (the act refreshes), without waiting for the poll.
    expect(cluster.engineOptions.brokerStates!().get(3)).toBe('crashed');
    expect(changes).toEqual(['broker 3 container kpt-kafka-3: running -> exited (137)']);
  });
});
