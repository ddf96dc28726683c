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
  it('opens over the socket, negotiates, finds the brokers; actions work', async () => {
    const control = await openContainerControl({ ...(await withCluster()), brokers: BROKERS, minInsyncReplicas: 2 });
    expect(control.kind).toBe('containers');
    expect(control.describe()).toBe(`containers of project kafka-producer-tui via Docker Engine API 1.41 at ${fake!.socketPath}`);
    expect((await control.brokers()).map((b) => b.id)).toEqual([1, 2, 3]);
    expect(await control.act('pause', 3)).toMatchObject({ ok: true });
    expect(fake!.requests.filter((r) => r.method === 'POST').map((r) => r.path.split('/')[1])).toEqual(['v1.41']);
  });

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
    await expect(openContainerControl({ env, sockets: [] })).rejects.toThrow(/project name\(s\) lab/);
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
});
