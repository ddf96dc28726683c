// The built CLI in scripts and pipelines: a closed pipe ends a command quietly (the sandbox keeps serving), flags are
// matched by their exact name, values are checked before anything starts (exit 2), and an address that is not Kafka
// is named as such within 5 s instead of after kafkajs's 30 s of retries.
import { spawn } from 'node:child_process';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CLI, runCli } from '../helpers/child.js';
import { hasTmux, Terminal } from '../helpers/tmux-terminal.js';

/** No message says the same thing twice in a row ("x: x: ..."). */
const REPEATED_PREFIX = /(\b[a-z][^:\n]{8,}): \1:/i;
const NOT_A_CRASH = /EPIPE|Unhandled 'error'|    at /;

let http: HttpServer;
let silent: Server;
const held: Socket[] = [];
let httpAddress = '';
let silentAddress = '';

beforeAll(async () => {
  http = createHttpServer((_req, res) => res.end('hello'));
  silent = createServer((s) => held.push(s)); // accepts and never answers
  await Promise.all([new Promise<void>((r) => http.listen(0, '127.0.0.1', r)), new Promise<void>((r) => silent.listen(0, '127.0.0.1', r))]);
  httpAddress = `127.0.0.1:${(http.address() as AddressInfo).port}`;
  silentAddress = `127.0.0.1:${(silent.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const s of held) s.destroy();
  http.closeAllConnections();
  await Promise.all([new Promise((r) => http.close(r)), new Promise((r) => silent.close(r))]);
});

describe('output into a closed pipe', () => {
  it('lab acks1 | head -3 ends quietly, as a command a closed pipe ends (141)', async () => {
    const r = await runCli(['lab', 'acks1'], { closeStdoutWhen: (out) => out.split('\n').length > 3, timeoutMs: 60_000 });
    expect(r.stderr).not.toMatch(NOT_A_CRASH);
    expect(r.timedOut).toBe(false);
    expect(r.code).toBe(141);
  });

  it('bench ... | true: ends quietly at its first line', async () => {
    const r = await runCli(['bench', '--records', '200000', '--throughput', '20000'], { closeStdoutWhen: () => true, timeoutMs: 30_000 });
    expect(r.stderr).not.toMatch(NOT_A_CRASH);
    expect(r.code).toBe(141);
  });

  it('sandbox | head -2: the sandbox keeps serving its brokers, and still stops cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, [CLI, 'sandbox', '--port', '0'], { stdio: 'pipe', env: { ...process.env, NO_COLOR: '1' } });
    let out = '';
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    try {
      await new Promise<void>((resolve) =>
        child.stdout.on('data', (d) => {
          out += d;
          if (/bootstrap servers: \S+/.test(out)) resolve();
        }),
      );
      const bootstrap = /bootstrap servers: (\S+)/.exec(out)![1].split(',');
      child.stdout.destroy();
      // Something to print into the closed pipe: a command's answer and a broker event.
      child.stdin.write('status\npause 2\nresume 2\n');
      await new Promise((r) => setTimeout(r, 500));
      const admin = new Kafka({ clientId: 'headless', brokers: bootstrap, logLevel: logLevel.NOTHING }).admin();
      await admin.connect();
      const cluster = await admin.describeCluster();
      await admin.disconnect();
      expect(cluster.brokers.map((b) => b.nodeId).sort()).toEqual([1, 2, 3]);
      expect(child.exitCode).toBeNull();
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(err).not.toMatch(NOT_A_CRASH);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});

describe('flags are matched by their exact name', () => {
  const cases: [string, string[], string][] = [
    ['bench', ['bench', '--compression-type', 'brotli'], '--compression-type'],
    ['bench', ['bench', '--retries-x'], '--retries-x'],
    ['lab', ['lab', 'acks1', '--acks-x', '0'], '--acks-x'],
    ['sandbox', ['sandbox', '--port-x', '0'], '--port-x'],
    ['the TUI', ['--topic-name', 'x'], '--topic-name'],
    ['config', ['config', '--format', 'properties', '--acks-x', '0'], '--acks-x'],
  ];
  it.each(cases)('%s refuses a misspelt flag by name, before anything starts (exit 2)', async (_name, args, flag) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`unknown flag ${flag}`);
    expect(r.stdout).toBe('');
  });

  it('known flags in every form still work: --flag=value, --no-flag, negative numbers as values', async () => {
    const r = await runCli(['bench', '--records=1', '--no-idempotent', '--acks', '1', '--throughput', '-1', '--json']);
    expect(r.stderr).not.toContain('unknown flag');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ records: 1, settings: { acks: 1, 'enable.idempotence': false } });
  });
});

describe('flag values are checked at parse time', () => {
  it.each([
    ['lab', ['lab', 'acks1', '--brokers', '127.0.0.1:99999']],
    ['bench', ['bench', '--brokers', '127.0.0.1:99999']],
    ['the TUI', ['--brokers', '127.0.0.1:99999']],
  ])('%s: a port beyond 65535 is exit 2, before any cluster starts', async (_name, args) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("not '127.0.0.1:99999'");
    expect(r.stdout).toBe('');
  });
});

describe('a flag without its value, or a switch given one, is refused', () => {
  it.each([
    ['bench --records (meow took the default, 100,000 records)', ['bench', '--records'], '--records needs a value'],
    ['lab --brokers followed by another flag', ['lab', 'acks1', '--brokers', '--json'], '--brokers needs a value'],
    ['bench --json=yes (meow read it as false)', ['bench', '--records', '1', '--json=yes'], "--json takes no value (got 'yes')"],
    ['sandbox --port=', ['sandbox', '--port='], '--port needs a value'],
  ])('%s: exit 2', async (_name, args, message) => {
    const r = await runCli(args, { timeoutMs: 15_000 });
    expect(r.timedOut).toBe(false);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stdout).toBe('');
  });
});

describe('an address that is not Kafka is named as such', () => {
  it('lab --brokers <an HTTP server>: "answered, but not as a Kafka broker", said once', async () => {
    const r = await runCli(['lab', 'acks1', '--brokers', httpAddress], { timeoutMs: 15_000 });
    expect(r.timedOut).toBe(false);
    expect(r.code).toBe(1);
    const all = r.stdout + r.stderr;
    expect(all).toContain(`${httpAddress} answered, but not as a Kafka broker`);
    expect(all).not.toMatch(REPEATED_PREFIX);
    expect(all).not.toContain('Broker not connected');
  });

  it('bench --brokers <a port that never answers>: "did not answer within 5 s"', async () => {
    const r = await runCli(['bench', '--brokers', silentAddress, '--records', '10'], { timeoutMs: 15_000 });
    expect(r.timedOut).toBe(false);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${silentAddress} accepted the connection but did not answer within 5 s`);
    expect(r.stderr).not.toMatch(REPEATED_PREFIX);
  });

  it('lab --json --brokers <an HTTP server>: the report says it too', async () => {
    const r = await runCli(['lab', 'acks1', '--json', '--brokers', httpAddress], { timeoutMs: 15_000 });
    const report = JSON.parse(r.stdout) as { status: string; observed: string };
    expect(report.observed).toContain('answered, but not as a Kafka broker');
    expect(report.observed).not.toMatch(REPEATED_PREFIX);
    await vi.waitFor(() => expect(r.code).toBe(1));
  });
});

describe.skipIf(!hasTmux)('the TUI with --brokers that is not Kafka', () => {
  it('says what answered, within 5 s, and offers to try again', async () => {
    const t = Terminal.start('kptui-e2e-notkafka', 100, 30, ['--brokers', silentAddress]);
    try {
      await t.waitFor(new RegExp(`cannot use the cluster: ${silentAddress} accepted the connection but did not answer within 5 s`), 12_000);
      expect(t.screen()).not.toMatch(REPEATED_PREFIX);
      expect(t.screen()).toMatch(/r\s+try again/);
      await t.keys('q');
      await t.waitFor(/exited with/);
    } finally {
      t.kill();
    }
  });
});
