// `npm run sandbox` in one terminal, `npm start` in another: the app attaching to the sandbox's brokers finds its
// control socket and gets the same broker actions and faults as with the built-in cluster in its own process.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openCluster, type ClusterHandle } from '../../src/kafka/cluster/open-cluster.js';
import { SandboxControl } from '../../src/sandbox/control/control.js';
import { CLI } from '../helpers/child.js';

let dir: string;
let child: ChildProcessWithoutNullStreams;
let out = '';
let bootstrap: string[] = [];
const savedDir = process.env.KPT_SANDBOX_CONTROL_DIR;

beforeAll(async () => {
  dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'kpt-control-')), 'sockets');
  process.env.KPT_SANDBOX_CONTROL_DIR = dir;
  child = spawn(process.execPath, [CLI, 'sandbox', '--port', '0'], { stdio: 'pipe', env: { ...process.env, NO_COLOR: '1' } });
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  await vi.waitFor(() => expect(out).toMatch(/control socket: \S+/), { timeout: 15_000 });
  bootstrap = /bootstrap servers: (\S+)/.exec(out)![1].split(',');
});

afterAll(async () => {
  if (savedDir === undefined) delete process.env.KPT_SANDBOX_CONTROL_DIR;
  else process.env.KPT_SANDBOX_CONTROL_DIR = savedDir;
  if (child.exitCode === null) {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
  rmSync(path.dirname(dir), { recursive: true, force: true });
});

describe('a sandbox in another process', () => {
  it('offers its control on a socket only its user can reach', () => {
    const socket = /control socket: (\S+)/.exec(out)![1];
    expect(socket.startsWith(dir)).toBe(true);
    expect(statSync(socket).isSocket()).toBe(true);
    expect(statSync(dir).mode & 0o077).toBe(0);
  });

  it('is recognised by the app attaching to any of its brokers: pause/resume a broker and inject a fault through it', async () => {
    let cluster: ClusterHandle | undefined;
    try {
      cluster = await openCluster({ brokers: [bootstrap[1]] });
      expect(cluster.controlProblem).toBeNull();
      expect(cluster.control?.kind).toBe('sandbox');
      expect(cluster.label).toMatch(/^sandbox 127\.0\.0\.1:\d+(-\d+|(,\d+){2}) \(process \d+\)$/);
      const events: string[] = [];
      cluster.events?.((_level, text) => events.push(text));

      const paused = await cluster.control!.act('pause', 2);
      expect(paused).toMatchObject({ ok: true });
      expect((await cluster.control!.brokers()).find((b) => b.id === 2)?.state).toBe('paused');
      await vi.waitFor(() => expect(events).toContain('broker 2: up -> paused'));
      await vi.waitFor(() => expect(out).toMatch(/broker 2: up -> paused/));
      expect(cluster.engineOptions.brokerStates?.().get(2)).toBe('paused');
      expect(await cluster.control!.act('resume', 2)).toMatchObject({ ok: true });
      expect((await cluster.control!.brokers()).map((b) => b.state)).toEqual(['up', 'up', 'up']);

      // A bad request changes nothing and says why, as in process.
      expect(await cluster.control!.act('pause', 9)).toMatchObject({ ok: false });

      await cluster.createTopic('remote-faults', { partitions: 1, replicationFactor: 3 });
      const injected = await cluster.control!.faults!.injectError('produce', 'NOT_ENOUGH_REPLICAS', { when: 'before' });
      expect(injected).toMatchObject({ ok: true });
      expect(cluster.control!.faults!.listFaults()).toHaveLength(1);
      const producer = new Kafka({ clientId: 'remote', brokers: bootstrap, logLevel: logLevel.NOTHING, retry: { retries: 0 } }).producer();
      await producer.connect();
      try {
        await expect(producer.send({ topic: 'remote-faults', acks: -1, messages: [{ value: 'x' }] })).rejects.toThrow(/in-sync replicas/i);
        // The fault was used up; the next record goes through.
        await producer.send({ topic: 'remote-faults', acks: -1, messages: [{ value: 'y' }] });
      } finally {
        await producer.disconnect();
      }
      expect((await cluster.control!.faults!.clearFaults()).ok).toBe(true);
      await vi.waitFor(() => expect(cluster!.control!.faults!.listFaults()).toEqual([]));
    } finally {
      await cluster?.close();
    }
  });

  it('a Kafka with no control socket and no containers: the problem says which actions work and why the others do not', async () => {
    const other = await SandboxControl.start({ port: 0, brokers: 1 });
    let cluster: ClusterHandle | undefined;
    try {
      cluster = await openCluster({ brokers: other.addresses(), containers: { dockerHost: 'unix:///nonexistent/kpt/d.sock' } });
      expect(cluster.control).toBeNull();
      expect(cluster.controlProblem).toMatch(
        /^broker actions and faults are off \(producing works\): no sandbox control socket for these brokers, and the container engine at \/nonexistent\/kpt\/d\.sock is not reachable/,
      );
    } finally {
      await cluster?.close();
      await other.close();
    }
  });
});
