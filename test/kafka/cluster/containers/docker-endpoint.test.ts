// Engine discovery: DOCKER_HOST, docker contexts, well-known sockets probed with /_ping, the CLI fallback, and the
// error for each way it can fail. Real sockets (the fake engine) and real files; nothing on this machine is probed.
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { discoverDockerEndpoint, wellKnownSockets } from '../../../../src/kafka/cluster/containers/docker-endpoint.js';
import { FakeDocker } from '../../../helpers/fake-docker.js';

let fake: FakeDocker | undefined;
let tmp: string;
beforeEach(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'kpt-ep-'));
});
afterEach(async () => {
  await fake?.close();
  fake = undefined;
  rmSync(tmp, { recursive: true, force: true });
});

/** A directory holding an executable named `name`, to stand for an installed CLI. */
function binDir(name: 'docker' | 'podman'): string {
  const dir = path.join(tmp, 'bin');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, name), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  return dir;
}

const base = () => ({ homeDir: tmp, sockets: [] as string[], platform: 'linux' as const });

describe('endpoint discovery order', () => {
  it('DOCKER_HOST=unix://... is used as given', async () => {
    fake = await FakeDocker.start();
    const ep = await discoverDockerEndpoint({ ...base(), env: { DOCKER_HOST: `unix://${fake.socketPath}`, PATH: '' } });
    expect(ep).toEqual({ kind: 'socket', socketPath: fake.socketPath, source: 'DOCKER_HOST' });
  });

  it('an explicit host wins over DOCKER_HOST; a named endpoint that fails is an error, not skipped', async () => {
    fake = await FakeDocker.start();
    const env = { DOCKER_HOST: `unix://${path.join(tmp, 'nothing.sock')}`, PATH: '' };
    const ep = await discoverDockerEndpoint({ ...base(), env, dockerHost: `unix://${fake.socketPath}`, sockets: [fake.socketPath] });
    expect(ep).toMatchObject({ kind: 'socket', source: 'the --docker-host option' });
    await expect(discoverDockerEndpoint({ ...base(), env, sockets: [fake.socketPath] })).rejects.toMatchObject({ code: 'unreachable' });
  });

  it('the active docker context (config.json currentContext -> meta.json) names the socket', async () => {
    fake = await FakeDocker.start();
    const config = path.join(tmp, '.docker');
    const meta = path.join(config, 'contexts', 'meta', createHash('sha256').update('colima').digest('hex'));
    mkdirSync(meta, { recursive: true });
    writeFileSync(path.join(config, 'config.json'), JSON.stringify({ currentContext: 'colima' }));
    writeFileSync(path.join(meta, 'meta.json'), JSON.stringify({ Name: 'colima', Endpoints: { docker: { Host: `unix://${fake.socketPath}` } } }));
    const ep = await discoverDockerEndpoint({ ...base(), env: { PATH: '' } });
    expect(ep).toEqual({ kind: 'socket', socketPath: fake.socketPath, source: 'docker context "colima"' });
    // DOCKER_CONTEXT overrides config.json.
    const other = discoverDockerEndpoint({ ...base(), env: { PATH: '', DOCKER_CONTEXT: 'default' } });
    await expect(other).rejects.toMatchObject({ code: 'not-installed' });
  });

  it('probes well-known sockets in order and takes the first that answers /_ping', async () => {
    fake = await FakeDocker.start();
    const stale = path.join(tmp, 'stale.sock');
    const ep = await discoverDockerEndpoint({ ...base(), env: { PATH: '' }, sockets: [stale, fake.socketPath] });
    expect(ep).toEqual({ kind: 'socket', socketPath: fake.socketPath, source: 'a well-known socket' });
    expect(fake.requests.map((r) => r.path)).toEqual(['/_ping']);
  });

  it('lists Docker first, then Docker Desktop, rootless Docker and rootless Podman', () => {
    const list = wellKnownSockets({ XDG_RUNTIME_DIR: '/run/user/1000' }, '/home/u', 'linux');
    expect(list[0]).toBe('/var/run/docker.sock');
    expect(list).toContain('/home/u/.docker/run/docker.sock');
    expect(list.indexOf('/run/user/1000/docker.sock')).toBeLessThan(list.indexOf('/run/user/1000/podman/podman.sock'));
    expect(list).toContain('/run/podman/podman.sock');
    expect(wellKnownSockets({}, 'C:\\Users\\u', 'win32')[0]).toBe('\\\\.\\pipe\\docker_engine');
  });

  it('falls back to the docker or podman command when no socket answers but the CLI is on PATH', async () => {
    const ep = await discoverDockerEndpoint({ ...base(), env: { PATH: binDir('podman') }, sockets: [path.join(tmp, 'none.sock')] });
    expect(ep).toMatchObject({ kind: 'cli', binary: 'podman' });
  });
});

describe('discovery errors', () => {
  it('nothing installed: says to install Docker or Podman, or set DOCKER_HOST', async () => {
    await expect(discoverDockerEndpoint({ ...base(), env: { PATH: '' }, sockets: [path.join(tmp, 'none.sock')] })).rejects.toMatchObject({
      code: 'not-installed',
      message: expect.stringMatching(/Docker is not installed.*Install Docker.*DOCKER_HOST/),
    });
  });

  it('a socket file nobody listens on: the engine is not running, start it', async () => {
    const dead = path.join(tmp, 'dead.sock');
    writeFileSync(dead, '');
    await expect(discoverDockerEndpoint({ ...base(), env: { PATH: '' }, sockets: [dead] })).rejects.toMatchObject({
      code: 'unreachable',
      message: expect.stringMatching(/not reachable.*Start Docker/),
    });
  });

  it('permission denied on the socket: names the docker group, rootless engines and DOCKER_HOST', async () => {
    fake = await FakeDocker.start();
    chmodSync(fake.socketPath, 0o000);
    // A CLI is installed too: it would hit the same socket, so the permission error must win over the fallback.
    const env = { PATH: binDir('docker') };
    const run = () => discoverDockerEndpoint({ ...base(), env, sockets: [fake!.socketPath] });
    // root ignores file modes: drop the effective uid for the attempt, so the kernel really answers EACCES.
    const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
    if (asRoot) process.seteuid!(65534);
    let result: unknown;
    try {
      result = await run().catch((e: unknown) => e);
    } finally {
      if (asRoot) process.seteuid!(0);
    }
    expect(result).toMatchObject({
      code: 'permission-denied',
      errno: 'EACCES',
      message: expect.stringMatching(/Permission denied on the container engine socket .*docker group.*rootless.*DOCKER_HOST/),
    });
  });

  it('DOCKER_HOST=tcp:// without TLS is refused; with TLS it goes through the CLI and warns about remote ports', async () => {
    await expect(discoverDockerEndpoint({ ...base(), env: { DOCKER_HOST: 'tcp://10.0.0.5:2375', PATH: binDir('docker') } })).rejects.toMatchObject({
      code: 'insecure-host',
    });
    const ep = await discoverDockerEndpoint({ ...base(), env: { DOCKER_HOST: 'tcp://10.0.0.5:2376', DOCKER_TLS_VERIFY: '1', PATH: binDir('docker') } });
    expect(ep).toMatchObject({ kind: 'cli', binary: 'docker', warning: expect.stringMatching(/another machine/) });
    const ssh = await discoverDockerEndpoint({ ...base(), env: { DOCKER_HOST: 'ssh://me@127.0.0.1', PATH: binDir('docker') } });
    expect(ssh).toMatchObject({ kind: 'cli', warning: undefined });
    await expect(discoverDockerEndpoint({ ...base(), env: { DOCKER_HOST: 'tcp://h:2376', DOCKER_TLS_VERIFY: '1', PATH: '' } })).rejects.toThrow(
      /docker command, which is not installed/,
    );
    await expect(discoverDockerEndpoint({ ...base(), env: { DOCKER_HOST: 'fd://3', PATH: '' } })).rejects.toThrow(/unknown scheme/);
  });
});
