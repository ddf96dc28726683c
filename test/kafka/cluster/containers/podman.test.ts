// Container control against a real container engine: podman serving the Docker-compatible Engine API, with three
// containers labelled as this project's brokers (and one that is not). Every action goes through the app's own
// control (openContainerControl, as `--brokers` with `--docker-host` uses it) and is then checked with podman itself.
// Skipped, with the reason in the suite's name, where podman cannot run.
import { afterAll, describe, expect, it } from 'vitest';
import { CliRuntime } from '../../../../src/kafka/cluster/containers/cli-runtime.js';
import { ContainerClusterControl } from '../../../../src/kafka/cluster/containers/container-control.js';
import { openContainerControl } from '../../../../src/kafka/cluster/containers/open-container-control.js';
import { LABEL } from '../../../../src/kafka/cluster/containers/labels.js';
import { brokerLabels, podmanUnavailable, startPodman, type Podman } from '../../../helpers/podman.js';

const PROJECT = 'kpt-podman-test';
const BROKERS = ['127.0.0.1:9092', '127.0.0.1:9093', '127.0.0.1:9094'];

let engine: Podman | null = null;
let skipReason = podmanUnavailable();
const ids: Record<number, string> = {};
if (!skipReason) {
  try {
    engine = await startPodman();
    for (const id of [1, 2, 3]) ids[id] = engine.run(`kpt-broker-${id}`, brokerLabels(PROJECT, id));
    // Claims to be broker 4 of the project, but lacks the "managed" label: not one of ours.
    const { [LABEL.managed]: _managed, ...unlabelled } = brokerLabels(PROJECT, 4);
    ids[4] = engine.run('someone-elses', unlabelled);
  } catch (e) {
    skipReason = `podman is installed but cannot run containers here: ${(e as Error).message}`;
    await engine?.close();
    engine = null;
  }
}

afterAll(async () => {
  await engine?.close();
});

const open = () => openContainerControl({ dockerHost: engine!.host, project: PROJECT, brokers: BROKERS, stopTimeoutSec: 5 });
const stateOf = async (control: ContainerClusterControl, id: number) => (await control.brokers()).find((b) => b.id === id)?.state;

describe.skipIf(skipReason !== null)(`container control on podman's Engine API${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  it('finds the three labelled brokers of the project, not the unlabelled container', async () => {
    const control = await open();
    expect(control.describe()).toBe(`containers of project ${PROJECT} via Podman Engine API 1.41 at ${engine!.socketPath}`);
    expect((await control.brokers()).map((b) => [b.id, b.state, b.backing])).toEqual([
      [1, 'up', 'kpt-broker-1'],
      [2, 'up', 'kpt-broker-2'],
      [3, 'up', 'kpt-broker-3'],
    ]);
  });

  it('pause freezes broker 1 and resume (unpause) thaws it', async () => {
    const control = await open();
    expect(await control.act('pause', 1)).toMatchObject({ ok: true, message: expect.stringMatching(/broker 1 \(kpt-broker-1\) paused/) });
    expect(engine!.state(ids[1]).status).toBe('paused');
    expect(await stateOf(control, 1)).toBe('paused');
    expect(await control.act('resume', 1)).toMatchObject({ ok: true });
    expect(engine!.state(ids[1]).status).toBe('running');
    expect(await stateOf(control, 1)).toBe('up');
  });

  it('stop sends SIGTERM (a clean exit) and start brings broker 2 back', async () => {
    const control = await open();
    expect(await control.act('stop', 2, { confirmed: true })).toMatchObject({ ok: true, message: expect.stringMatching(/stopped \(SIGTERM/) });
    expect(engine!.state(ids[2])).toEqual({ status: 'exited', exitCode: 0 });
    expect(await stateOf(control, 2)).toBe('stopped');
    expect(await control.act('start', 2)).toMatchObject({ ok: true });
    expect(engine!.state(ids[2]).status).toBe('running');
    expect(await stateOf(control, 2)).toBe('up');
  });

  it('crash kills broker 3 (SIGKILL, exit 137), shown as crashed; a paused broker is thawed first', async () => {
    const control = await open();
    expect(await control.act('pause', 3)).toMatchObject({ ok: true });
    expect(await control.act('crash', 3, { confirmed: true })).toMatchObject({ ok: true, message: expect.stringMatching(/crashed \(SIGKILL/) });
    expect(engine!.state(ids[3])).toEqual({ status: 'exited', exitCode: 137 });
    expect(await stateOf(control, 3)).toBe('crashed');
    expect(await control.act('start', 3)).toMatchObject({ ok: true });
    expect(engine!.state(ids[3]).status).toBe('running');
  });

  it('refuses a container without our labels, and leaves it running', async () => {
    const control = await open();
    const r = await control.act('stop', 4, { confirmed: true });
    expect(r).toMatchObject({ ok: false, message: expect.stringMatching(/^no container carries the labels of broker 4 \(found brokers 1, 2, 3\)/) });
    expect(engine!.state(ids[4]).status).toBe('running');
  });

  it('the podman command as the fallback reaches the engine it is given (--remote --url), with a minimal environment', async () => {
    // No CONTAINERS_* here: without the engine address the command would look at the machine's own podman storage,
    // where these containers do not exist.
    const runtime = new CliRuntime('podman', { host: engine!.host, env: { PATH: process.env.PATH, HOME: process.env.HOME, KPT_SASL_PASSWORD: 'pw' } });
    const control = new ContainerClusterControl(runtime, { project: PROJECT, stopTimeoutSec: 5 });
    expect((await control.brokers()).map((b) => b.id)).toEqual([1, 2, 3]);
    expect(await control.act('pause', 2)).toMatchObject({ ok: true });
    expect(engine!.state(ids[2]).status).toBe('paused');
    expect(await control.act('resume', 2)).toMatchObject({ ok: true });
    expect(engine!.state(ids[2]).status).toBe('running');
  });

  // Last: it takes the engine away.
  it('an engine that went away is reported, with the fix', async () => {
    await engine!.stopService();
    await expect(open()).rejects.toMatchObject({
      code: 'unreachable',
      message: expect.stringMatching(/^The container engine at .*api\.sock is not reachable \(.*\)\. Start Docker .* or Podman/),
    });
  });
});
