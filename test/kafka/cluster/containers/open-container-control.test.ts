// The factory the app calls for a --brokers cluster: engine discovery, negotiation, the containers' existence and
// that they publish the addresses the app connects to.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ExecFile } from '../../../../src/kafka/cluster/containers/cli-runtime.js';
import { openContainerControl } from '../../../../src/kafka/cluster/containers/open-container-control.js';
import { FakeDocker, nodeLabels } from '../../../helpers/fake-docker.js';

let fake: FakeDocker | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const BROKERS = ['127.0.0.1:9092', '127.0.0.1:9093', '127.0.0.1:9094'];

async function withCluster() {
  fake = await FakeDocker.start({ apiVersion: '1.41' });
  fake.addCluster();
  return { env: { DOCKER_HOST: `unix://${fake.socketPath}`, PATH: '' }, sockets: [] as string[] };
}

describe('openContainerControl', () => {
  it('accepts localhost for 127.0.0.1, and any one matching address', async () => {
    await expect(openContainerControl({ ...(await withCluster()), brokers: ['localhost:9093'] })).resolves.toBeDefined();
  });

  it('refuses when the containers publish other addresses than --brokers: not the cluster on screen', async () => {
    await expect(openContainerControl({ ...(await withCluster()), brokers: ['10.1.2.3:9092'] })).rejects.toMatchObject({
      code: 'addresses-mismatch',
      message: expect.stringMatching(/publish 127.0.0.1:9092, 127.0.0.1:9093, 127.0.0.1:9094, but the app is connected to 10.1.2.3:9092/),
    });
  });

  it('no labelled containers: start the cluster with docker compose up -d in the project folder', async () => {
    fake = await FakeDocker.start();
    fake.add({ name: 'redis', labels: { 'com.docker.compose.project': 'kafka-producer-tui' } });
    await expect(openContainerControl({ env: { DOCKER_HOST: `unix://${fake.socketPath}` }, sockets: [] })).rejects.toMatchObject({
      code: 'no-containers',
      message: expect.stringMatching(/start the cluster with `docker compose up -d` in the project folder/i),
    });
  });

  it('a project name given by -p is honoured', async () => {
    fake = await FakeDocker.start();
    [1, 2, 3].map((n) => fake!.add({ name: `lab-kafka-${n}-1`, labels: nodeLabels('broker', n, 'lab') }));
    const env = { DOCKER_HOST: `unix://${fake.socketPath}` };
    await expect(openContainerControl({ env, sockets: [] })).rejects.toThrow(/project name lab/);
    const control = await openContainerControl({ env, sockets: [], project: 'lab' });
    expect((await control.brokers()).map((b) => b.backing)).toEqual(['lab-kafka-1-1', 'lab-kafka-2-1', 'lab-kafka-3-1']);
  });

  it('docker not installed', async () => {
    await expect(openContainerControl({ env: { PATH: '' }, sockets: [], homeDir: os.tmpdir() })).rejects.toMatchObject({
      code: 'not-installed',
    });
  });

  it('uses the CLI when no socket answers but docker is on PATH', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kpt-cli-'));
    try {
      mkdirSync(path.join(dir, 'bin'));
      writeFileSync(path.join(dir, 'bin', 'docker'), '#!/bin/sh\n', { mode: 0o755 });
      const cid = 'c'.repeat(64);
      const exec: ExecFile = async (_file, args) => ({
        stdout:
          args[0] === 'ps'
            ? cid
            : JSON.stringify([{ Id: cid, Name: '/k1', Config: { Labels: nodeLabels('broker', 1) }, State: { Status: 'running' } }]),
        stderr: '',
      });
      const control = await openContainerControl({ env: { PATH: path.join(dir, 'bin') }, sockets: [path.join(dir, 'no.sock')], homeDir: dir, exec });
      expect(control.describe()).toMatch(/via the docker command/);
      expect(await control.brokers()).toEqual([{ id: 1, state: 'up', backing: 'k1' }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // A remote engine cannot be run here (ssh://, TLS tcp://), and podman cannot show what environment the command got.
  it.each([
    ['--docker-host', { dockerHost: 'ssh://deploy@build-host' }, {}],
    ['DOCKER_HOST', {}, { DOCKER_HOST: 'ssh://deploy@build-host' }],
  ])('%s ssh://... reaches the docker command as -H and DOCKER_HOST; its environment carries no KPT_* secrets', async (_how, opt, hostEnv) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kpt-cli-'));
    try {
      mkdirSync(path.join(dir, 'bin'));
      writeFileSync(path.join(dir, 'bin', 'docker'), '#!/bin/sh\n', { mode: 0o755 });
      const cid = 'c'.repeat(64);
      const calls: { args: string[]; env: NodeJS.ProcessEnv }[] = [];
      const exec: ExecFile = async (_file, args, opts) => {
        calls.push({ args, env: opts.env });
        const cmd = args[2];
        return {
          stdout: cmd === 'ps' ? cid : JSON.stringify([{ Id: cid, Name: '/k1', Config: { Labels: nodeLabels('broker', 1) }, State: { Status: 'running' } }]),
          stderr: '',
        };
      };
      const env = {
        PATH: path.join(dir, 'bin'),
        HOME: dir,
        SSH_AUTH_SOCK: '/tmp/agent.sock',
        KPT_SASL_PASSWORD: 's3cret',
        KPT_SASL_USERNAME: 'alice',
        AWS_SECRET_ACCESS_KEY: 'x',
        ...hostEnv,
      };
      const control = await openContainerControl({ ...opt, env, sockets: [], homeDir: dir, exec });
      expect(control.describe()).toBe('containers of project kafka-producer-tui via the docker command (engine ssh://deploy@build-host)');
      expect(await control.act('pause', 1, { confirmed: true })).toMatchObject({ ok: true });
      expect(calls.map((c) => c.args.slice(0, 3))).toEqual([
        ['-H', 'ssh://deploy@build-host', 'ps'],
        ['-H', 'ssh://deploy@build-host', 'inspect'],
        ['-H', 'ssh://deploy@build-host', 'ps'],
        ['-H', 'ssh://deploy@build-host', 'inspect'],
        ['-H', 'ssh://deploy@build-host', 'inspect'],
        ['-H', 'ssh://deploy@build-host', 'pause'],
      ]);
      for (const c of calls) {
        expect(c.env).toEqual({ PATH: path.join(dir, 'bin'), HOME: dir, SSH_AUTH_SOCK: '/tmp/agent.sock', DOCKER_HOST: 'ssh://deploy@build-host' });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
