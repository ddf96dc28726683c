// The docker/podman command fallback with a fake execFile: exact argv (no shell, full IDs only), the JSON it
// reads back, and the error each failure maps to.
import { describe, expect, it } from 'vitest';
import { CliRuntime, type ExecFile } from '../../../../src/kafka/cluster/containers/cli-runtime.js';
import { nodeLabels } from '../../../helpers/fake-docker.js';

const id = (n: number) => String(n).repeat(64).slice(0, 64);

function inspectJson(n: number, status = 'running', exitCode = 0) {
  return {
    Id: id(n),
    Name: `/kafka-producer-tui-kafka-${n}-1`,
    Config: { Labels: nodeLabels('broker', n), Env: ['SECRET=x'] },
    State: { Status: status, ExitCode: exitCode, Health: { Status: 'healthy' } },
  };
}

function fakeExec(answer: (args: string[]) => { stdout?: string; error?: Partial<Error & { code: string | number; killed: boolean; stderr: string }> }) {
  const calls: { file: string; args: string[]; timeoutMs: number }[] = [];
  const exec: ExecFile = async (file, args, opts) => {
    calls.push({ file, args, timeoutMs: opts.timeoutMs });
    const a = answer(args);
    if (a.error) throw Object.assign(new Error(a.error.message ?? 'failed'), a.error);
    return { stdout: a.stdout ?? '', stderr: '' };
  };
  return { exec, calls };
}

describe('CliRuntime', () => {
  it('lists with ps -aq --no-trunc and label filters, then inspects the full IDs in one call', async () => {
    const { exec, calls } = fakeExec((args) =>
      args[0] === 'ps'
        ? { stdout: `${id(1)}\n${id(2)}\nnot-an-id\n` }
        : { stdout: JSON.stringify([inspectJson(1), inspectJson(2, 'exited', 137)]) },
    );
    const runtime = new CliRuntime('podman', { exec });
    const list = await runtime.list(['a=1', 'b=2']);
    expect(calls.map((c) => [c.file, ...c.args])).toEqual([
      ['podman', 'ps', '-a', '-q', '--no-trunc', '--filter', 'label=a=1', '--filter', 'label=b=2'],
      ['podman', 'inspect', '--type', 'container', id(1), id(2)],
    ]);
    expect(list.map((c) => [c.id, c.status, c.exitCode])).toEqual([
      [id(1), 'running', null],
      [id(2), 'exited', 137],
    ]);
    expect(runtime.describe()).toBe('the podman command');
  });

  it('no matching container: no inspect call', async () => {
    const { exec, calls } = fakeExec(() => ({ stdout: '\n' }));
    expect(await new CliRuntime('docker', { exec }).list(['x=y'])).toEqual([]);
    expect(calls).toHaveLength(1);
  });

  it('actions: stop -t <grace>, kill -s SIGKILL, pause/unpause/start; the stop timeout outlasts the grace period', async () => {
    const { exec, calls } = fakeExec(() => ({ stdout: '' }));
    const runtime = new CliRuntime('docker', { exec, timeoutMs: 1000 });
    for (const a of ['stop', 'kill', 'pause', 'unpause', 'start'] as const) await runtime.act(id(3), a, { stopTimeoutSec: 30, what: 'b3' });
    expect(calls.map((c) => c.args)).toEqual([
      ['stop', '-t', '30', id(3)],
      ['kill', '-s', 'SIGKILL', id(3)],
      ['pause', id(3)],
      ['unpause', id(3)],
      ['start', id(3)],
    ]);
    expect(calls[0].timeoutMs).toBe(31_000);
    expect(calls[1].timeoutMs).toBe(1000);
    await expect(runtime.act('kafka-3; rm -rf /', 'stop', { stopTimeoutSec: 1, what: 'x' })).rejects.toMatchObject({ code: 'blocked' });
    expect(calls).toHaveLength(5);
  });

  it('maps failures: missing command, permission, daemon down, timeout, vanished container', async () => {
    const fails = (error: object) => new CliRuntime('docker', { exec: fakeExec(() => ({ error })).exec });
    await expect(fails({ code: 'ENOENT' }).list([])).rejects.toMatchObject({ code: 'not-installed' });
    await expect(
      fails({ code: 1, stderr: 'permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock' }).list([]),
    ).rejects.toMatchObject({ code: 'permission-denied', message: expect.stringMatching(/docker group/) });
    await expect(
      fails({ code: 1, stderr: 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?' }).list([]),
    ).rejects.toMatchObject({ code: 'unreachable', message: expect.stringMatching(/^The container engine the docker command uses is not reachable \(Cannot connect/) });
    await expect(fails({ killed: true, signal: 'SIGTERM' } as object).act(id(1), 'pause', { stopTimeoutSec: 1, what: 'broker 1' })).rejects.toMatchObject({
      code: 'timeout',
      message: expect.stringMatching(/`docker pause` \(broker 1\) did not answer/),
    });
    expect(await fails({ code: 1, stderr: 'Error: No such container: ' + id(1) }).inspect(id(1))).toBeNull();
  });
  // Driving ContainerClusterControl through the command, against a real engine: podman.test.ts.
});
