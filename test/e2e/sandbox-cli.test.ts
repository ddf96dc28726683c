// The built binary (dist/cli.js, made by `npm run build`, which `npm test` runs first) as a user runs it.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createConnection, createServer, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

import { CLI } from '../helpers/child.js';

interface Running {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const started: Running[] = [];

function run(args: string[]): Running {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: 'pipe', env: { ...process.env, NO_COLOR: '1' } });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const r = { child, stdout: () => out, stderr: () => err, exited };
  started.push(r);
  return r;
}

function accepts(address: string): Promise<boolean> {
  const [host, port] = address.split(':');
  return new Promise((resolve) => {
    const s = createConnection({ host, port: Number(port) });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

async function describeCluster(brokers: string[]) {
  const admin = new Kafka({ clientId: 'e2e', brokers, logLevel: logLevel.NOTHING, retry: { retries: 3, initialRetryTime: 50 } }).admin();
  await admin.connect();
  try {
    return await admin.describeCluster();
  } finally {
    await admin.disconnect();
  }
}

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (\`npm test\` does)`);
});

afterEach(() => {
  for (const r of started.splice(0)) if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGKILL');
});

describe('kafka-producer-tui sandbox', () => {
  it('serves clients, runs stdin commands, outlives stdin, and stops cleanly on SIGTERM', async () => {
    const sb = run(['sandbox', '--port', '0']);
    await vi.waitFor(() => expect(sb.stdout().match(/listening on/g)).toHaveLength(3), { timeout: 10_000 });
    const addresses = [...sb.stdout().matchAll(/^broker (\d) listening on (127\.0\.0\.1:\d+)$/gm)].map((m) => m[2]);
    expect(addresses).toHaveLength(3);
    expect(sb.stdout()).toContain(`bootstrap servers: ${addresses.join(',')}`);

    const before = await describeCluster(addresses);
    expect(before.brokers.map((b) => b.nodeId).sort()).toEqual([1, 2, 3]);
    expect(before.controller).toBe(1);

    sb.child.stdin.write('status\n');
    await vi.waitFor(() => expect(sb.stdout()).toMatch(/^1 \(controller\)\s+up\s+127\.0\.0\.1:\d+/m));
    sb.child.stdin.write('stop 2\n');
    await vi.waitFor(() => expect(sb.stdout()).toContain('broker 2 stopped (controlled)'));
    expect(sb.stdout()).toMatch(/^\[[\d:.]+\] broker 2: up -> stopped$/m);
    expect(await accepts(addresses[1])).toBe(false);
    sb.child.stdin.write('stop nine\n');
    await vi.waitFor(() => expect(sb.stdout()).toContain("error: broker id must be a whole number, got 'nine'"));

    // Closing stdin (as `</dev/null` in CI does) leaves the cluster serving.
    sb.child.stdin.end();
    const after = await describeCluster([addresses[0]]);
    expect(after.brokers.map((b) => b.nodeId).sort()).toEqual([1, 3]);
    expect(sb.child.exitCode).toBeNull();

    sb.child.kill('SIGTERM');
    expect(await sb.exited).toEqual({ code: 0, signal: null });
    expect(sb.stdout()).toContain('sandbox stopped');
    expect(await Promise.all(addresses.map(accepts))).toEqual([false, false, false]);
  });

  it('--first-broker-id 0 gives brokers 0..2; --broker-config settings are printed as differing from Kafka', async () => {
    const sb = run(['sandbox', '--port', '0', '--first-broker-id', '0', '--broker-config', 'group.initial.rebalance.delay.ms=0']);
    await vi.waitFor(() => expect(sb.stdout()).toContain('settings changed:'), { timeout: 10_000 });
    expect(sb.stdout()).toContain('settings changed: group.initial.rebalance.delay.ms=0 (Kafka: 3000)');
    const addresses = [...sb.stdout().matchAll(/^broker (\d) listening on (127\.0\.0\.1:\d+)$/gm)].map((m) => m[2]);
    const cluster = await describeCluster(addresses);
    expect(cluster.brokers.map((b) => b.nodeId).sort()).toEqual([0, 1, 2]);
    expect(cluster.controller).toBe(0);
    sb.child.stdin.write('stop 0\n');
    await vi.waitFor(() => expect(sb.stdout()).toContain('broker 0 stopped (controlled)'));
    sb.child.kill('SIGTERM');
    expect((await sb.exited).code).toBe(0);
  });

  it('a sandbox with Kafka\'s defaults says so; a bad --broker-config exits 2 naming the settings', async () => {
    const bad = run(['sandbox', '--broker-config', 'replica.lag=5']);
    expect((await bad.exited).code).toBe(2);
    expect(bad.stderr()).toContain('replica.lag.time.max.ms');
    // One broker: the sandbox's 3 replicas are capped at 1, Kafka's default; its 3 partitions are not Kafka's 1.
    const labDefaults = run(['sandbox', '--port', '0', '--brokers-count', '1']);
    await vi.waitFor(() => expect(labDefaults.stdout()).toContain('settings changed: num.partitions=3 (Kafka: 1)'), { timeout: 10_000 });
    labDefaults.child.kill('SIGTERM');
    expect((await labDefaults.exited).code).toBe(0);
    const sb = run(['sandbox', '--port', '0', '--brokers-count', '1', '--broker-config', 'num.partitions=1']);
    await vi.waitFor(() => expect(sb.stdout()).toContain("settings: Kafka's defaults"), { timeout: 10_000 });
    sb.child.kill('SIGTERM');
    expect((await sb.exited).code).toBe(0);
  });

  it('a busy port gives one clear line naming it and exit code 1', async () => {
    const busy: Server = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', () => r()));
    const port = (busy.address() as { port: number }).port;
    try {
      const sb = run(['sandbox', '--port', String(port), '--brokers-count', '1']);
      expect((await sb.exited).code).toBe(1);
      expect(sb.stderr().trim().split('\n')).toEqual([
        `kafka-producer-tui sandbox: port ${port} on 127.0.0.1 is already in use (another Kafka or sandbox?): pick another with --port, or --port 0 for free ports`,
      ]);
    } finally {
      busy.close();
    }
  });

  it.each([
    [['sandbox', '--brokers-count', '0'], "--brokers-count must be a whole number from 1 to 16, got '0'"],
    [['sandbox', '--port', 'http'], "--port must be a whole number from 0 to 65535, got 'http'"],
    [['sandbox', '--port', '65535'], '--port 65535 with 3 brokers needs ports up to 65537'],
    [['sandbox', '--colour'], 'unknown flag --colour'],
    [['sandbox', '--host', 'local host'], "--host must be an IP address or a host name, got 'local host'"],
    [['sandbox', 'extra'], "unexpected argument 'extra'"],
  ])('rejects %j with exit code 2', async (args, message) => {
    const sb = run(args);
    expect((await sb.exited).code).toBe(2);
    expect(sb.stderr()).toContain(message);
  });
});

describe('kafka-producer-tui entry', () => {
  it('with no command opens the TUI, which without a terminal says so in one line and exits 2', async () => {
    const cli = run([]);
    expect((await cli.exited).code).toBe(2);
    expect(cli.stderr()).toContain('the lab needs an interactive terminal');
  });

  it('--help prints the usage naming the commands', async () => {
    const cli = run(['--help']);
    expect((await cli.exited).code).toBe(0);
    expect(cli.stdout()).toContain('kafka-producer-tui sandbox [--brokers-count 3]');
  });

  it('an unknown command exits 2 naming the available ones', async () => {
    const cli = run(['sandbx']);
    expect((await cli.exited).code).toBe(2);
    expect(cli.stderr()).toContain('Unknown command: sandbx');
    expect(cli.stderr()).toContain('Available commands: sandbox');
  });

  // The Node this suite runs on is 22+; an older system node, when there is one, shows the startup check.
  const oldNode = ['/usr/bin/node', '/usr/local/bin/node', '/bin/node'].find((p) => {
    if (!existsSync(p)) return false;
    const v = spawnSync(p, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout.trim();
    return Number(v.split('.')[0]) < 22;
  });
  it.skipIf(!oldNode)(`refuses Node < 22 with exit code 1${oldNode ? '' : ' (skipped: no Node < 22 installed)'}`, () => {
    const r = spawnSync(oldNode!, [CLI, 'sandbox'], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^kafka-producer-tui needs Node >= 22 \(this is v\d+\.\d+\.\d+\)\n$/);
  });
});
