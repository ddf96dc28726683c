// The real container control (Engine API client + ContainerClusterControl) against the fake Engine API server.
import { afterEach, describe, expect, it } from 'vitest';
import { ContainerClusterControl } from '../../../../src/kafka/cluster/containers/container-control.js';
import { EngineRuntime } from '../../../../src/kafka/cluster/containers/engine-runtime.js';
import { FakeDocker, PROJECT, nodeLabels, type FakeContainer } from '../../../helpers/fake-docker.js';

let fake: FakeDocker | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function setup(opts: { timeoutMs?: number; minInsyncReplicas?: number } = {}) {
  fake = await FakeDocker.start();
  const cluster = fake.addCluster();
  const runtime = await EngineRuntime.open(fake.socketPath, { timeoutMs: opts.timeoutMs ?? 5000 });
  const control = new ContainerClusterControl(runtime, { minInsyncReplicas: opts.minInsyncReplicas });
  return { fake, control, ...cluster };
}

const [b1, b2, b3] = [0, 1, 2];

describe('discovery by labels', () => {
  it('finds the three brokers by their labels and ignores controllers and foreign containers', async () => {
    const { fake, control } = await setup();
    fake.add({ name: 'other-kafka-2-1', labels: nodeLabels('broker', 2, 'other') }); // another project
    fake.add({ name: 'unmanaged', labels: { ...nodeLabels('broker', 2), 'io.github.kafka-producer-tui.managed': 'false' } });
    fake.add({ name: 'leftover-run', labels: { ...nodeLabels('broker', 1), 'com.docker.compose.oneoff': 'True' } });
    fake.add({ name: 'postgres', labels: { 'com.docker.compose.project': PROJECT } });
    const brokers = await control.brokers();
    expect(brokers).toEqual([
      { id: 1, state: 'up', backing: `${PROJECT}-kafka-1-1` },
      { id: 2, state: 'up', backing: `${PROJECT}-kafka-2-1` },
      { id: 3, state: 'up', backing: `${PROJECT}-kafka-3-1` },
    ]);
    expect(control.kind).toBe('containers');
    expect(control.describe()).toContain('Docker Engine API 1.47');
  });

  it('sends the project, managed and role labels as one AND filter, including stopped containers', async () => {
    const { fake, control } = await setup();
    await control.brokers();
    const list = fake.requests.find((r) => r.path.endsWith('/containers/json'))!;
    expect(list.query.get('all')).toBe('1');
    expect(JSON.parse(list.query.get('filters')!)).toEqual({
      label: [
        `com.docker.compose.project=${PROJECT}`,
        'io.github.kafka-producer-tui.managed=true',
        'io.github.kafka-producer-tui.role=broker',
      ],
    });
  });

  it('re-checks labels on its side: an engine that ignores label filters does not make a foreign container ours', async () => {
    const { fake, control } = await setup();
    fake.add({ name: 'foreign', labels: { ...nodeLabels('broker', 9), 'com.docker.compose.project': 'x' } });
    fake.add({ name: 'half-labelled', labels: { 'io.github.kafka-producer-tui.node-id': '4', 'io.github.kafka-producer-tui.role': 'broker' } });
    fake.ignoreLabelFilters = true;
    expect((await control.brokers()).map((b) => b.id)).toEqual([1, 2, 3]);
  });

  it('reports stopped, crashed, paused and not-yet-healthy brokers', async () => {
    const { control, brokers } = await setup();
    brokers[b1].state = 'exited';
    brokers[b1].exitCode = 143;
    brokers[b2].state = 'exited';
    brokers[b2].exitCode = 137;
    brokers[b3].health = 'starting';
    expect((await control.brokers()).map((b) => b.state)).toEqual(['stopped', 'crashed', 'unreachable']);
    brokers[b3].state = 'paused';
    expect((await control.brokers())[2].state).toBe('paused');
  });

  it('no labelled containers: says how to start the cluster, and names other projects that have one', async () => {
    fake = await FakeDocker.start();
    const control = new ContainerClusterControl(await EngineRuntime.open(fake.socketPath));
    await expect(control.brokers()).rejects.toThrow(/No Kafka broker containers of project "kafka-producer-tui".*docker compose up -d/);
    fake.add({ name: 'demo-kafka-1-1', labels: nodeLabels('broker', 1, 'demo') });
    await expect(control.brokers()).rejects.toThrow(/under the project name demo/);
    const result = await control.act('stop', 1);
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/docker compose up -d/);
  });
});

describe('actions', () => {
  const state = (c: FakeContainer) => `${c.state}/${c.exitCode}`;

  // Stop, crash, pause/resume and start on a real engine: podman.test.ts. Here: what only a fake can show.
  it('stop = docker stop with the grace period (SIGTERM), then start brings it back', async () => {
    const { fake, control, brokers } = await setup();
    const r = await control.act('stop', 2);
    expect(r).toMatchObject({ ok: true });
    expect(r.message).toMatch(/broker 2 .* stopped \(SIGTERM, controlled shutdown\)/);
    expect(state(brokers[b2])).toBe('exited/143');
    const stop = fake.requests.find((q) => q.path.endsWith('/stop'))!;
    expect(stop.path).toBe(`/v1.47/containers/${brokers[b2].id}/stop`);
    expect(stop.query.get('t')).toBe('30');
    expect((await control.brokers())[1].state).toBe('stopped');

    expect(await control.act('start', 2)).toMatchObject({ ok: true });
    expect(brokers[b2].state).toBe('running');
    expect(fake.actions()).toEqual([`stop ${PROJECT}-kafka-2-1`, `start ${PROJECT}-kafka-2-1`]);
  });

  it('already in the wanted state: success without a call; wrong state: a hint and no call', async () => {
    const { fake, control, brokers } = await setup();
    expect((await control.act('start', 1)).message).toMatch(/already running/);
    expect((await control.act('resume', 1)).message).toMatch(/not paused/);
    brokers[b1].state = 'exited';
    expect((await control.act('stop', 1)).message).toMatch(/already stopped/);
    expect(await control.act('pause', 1)).toMatchObject({ ok: false, message: expect.stringMatching(/start it first/) });
    expect(await control.act('resume', 1)).toMatchObject({ ok: false, message: expect.stringMatching(/use start/) });
    brokers[b2].state = 'paused';
    expect(await control.act('start', 2)).toMatchObject({ ok: false, message: expect.stringMatching(/use resume/) });
    expect(fake.actions()).toEqual([]);
  });

  it('stopping a paused broker unpauses it first, so the JVM can run its controlled shutdown', async () => {
    const { fake, control, brokers } = await setup();
    brokers[b2].state = 'paused';
    expect(await control.act('stop', 2)).toMatchObject({ ok: true });
    expect(fake.actions()).toEqual([`unpause ${PROJECT}-kafka-2-1`, `stop ${PROJECT}-kafka-2-1`]);
    expect(brokers[b2].state).toBe('exited');
  });

  it('two containers claiming the same broker id: refused', async () => {
    const { fake, control } = await setup();
    fake.add({ name: 'copy-of-kafka-2', labels: nodeLabels('broker', 2) });
    expect(await control.act('crash', 2)).toMatchObject({ ok: false, message: expect.stringMatching(/2 containers claim broker 2/) });
    expect(fake.actions()).toEqual([]);
  });

  it('never sends the inspected environment anywhere: results carry names, not payloads', async () => {
    const { control } = await setup();
    const r = await control.act('stop', 1);
    expect(JSON.stringify(r)).not.toContain('do-not-leak');
    expect(JSON.stringify(await control.brokers())).not.toContain('do-not-leak');
  });
});

describe('min.insync.replicas confirmation', () => {
  it('asks before leaving fewer live brokers than min.insync.replicas, and acts once confirmed', async () => {
    const { fake, control, brokers } = await setup();
    expect(await control.act('stop', 1)).toMatchObject({ ok: true }); // 2 left: fine
    const r = await control.act('crash', 2);
    expect(r.ok).toBe(false);
    expect(r.needsConfirmation).toMatch(/only 1 broker would be left, fewer than min.insync.replicas=2/);
    expect(brokers[b2].state).toBe('running');
    expect(fake.actions()).toEqual([`stop ${PROJECT}-kafka-1-1`]);

    expect(await control.act('crash', 2, { confirmed: true })).toMatchObject({ ok: true });
    expect(brokers[b2].state).toBe('exited');
  });

  it('pause counts as taking a broker away; a broker that is already down needs no confirmation', async () => {
    const { control, brokers } = await setup();
    brokers[b1].state = 'exited';
    expect((await control.act('pause', 2)).needsConfirmation).toBeDefined();
    expect((await control.act('stop', 1)).needsConfirmation).toBeUndefined();
  });

  it('the threshold is a constructor option', async () => {
    const { control } = await setup({ minInsyncReplicas: 3 });
    expect((await control.act('stop', 3)).needsConfirmation).toMatch(/min.insync.replicas=3/);
  });
});

describe('re-check before acting', () => {
  it('a container relabelled between listing and action is refused and not touched', async () => {
    const { fake, control, brokers } = await setup();
    fake.afterList = () => {
      brokers[b2].labels['io.github.kafka-producer-tui.managed'] = 'false';
    };
    const r = await control.act('stop', 2);
    expect(r).toMatchObject({ ok: false, message: expect.stringMatching(/no longer carries the labels of broker 2/) });
    expect(brokers[b2].state).toBe('running');
    expect(fake.actions()).toEqual([]);
    // The re-check was an inspect of that very ID.
    expect(fake.requests.at(-1)!.path).toBe(`/v1.47/containers/${brokers[b2].id}/json`);
  });

  it('a container that now claims another broker id is refused', async () => {
    const { fake, control, brokers } = await setup();
    fake.afterList = () => {
      brokers[b2].labels['io.github.kafka-producer-tui.node-id'] = '3';
    };
    expect(await control.act('crash', 2)).toMatchObject({ ok: false });
    expect(brokers[b2].state).toBe('running');
  });

  it('a container removed between listing and action is reported, nothing is done', async () => {
    const { fake, control, brokers } = await setup();
    fake.afterList = () => fake.containers.delete(brokers[b1].id);
    expect(await control.act('pause', 1)).toMatchObject({ ok: false, message: expect.stringMatching(/no longer exists/) });
    expect(fake.actions()).toEqual([]);
  });
});

describe('a container that does not answer', () => {
  it('times out with a message naming the container and the fix; the next action is accepted again', async () => {
    const { control, brokers } = await setup({ timeoutMs: 1000 });
    brokers[b1].hang = true;
    const r = await control.act('pause', 1);
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/the container of broker 1 \(kafka-producer-tui-kafka-1-1\) did not answer within 1\.0 s/);
    expect(r.message).toMatch(/docker kill/);
    brokers[b1].hang = false;
    expect(await control.act('pause', 1)).toMatchObject({ ok: true });
  });

  it('one action per broker at a time', async () => {
    const { control, brokers } = await setup({ timeoutMs: 1000 });
    brokers[b1].hang = true;
    const first = control.act('pause', 1);
    await new Promise((r) => setTimeout(r, 100));
    expect(await control.act('pause', 1)).toMatchObject({ ok: false, message: expect.stringMatching(/still running/) });
    expect(await control.act('pause', 2)).toMatchObject({ ok: true });
    expect((await first).ok).toBe(false);
  });
});
