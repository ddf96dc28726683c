// Issue 12's headless acceptance: with a sandbox running in its own process, `bench` at 500 records/s while broker 2
// is paused at t=5 s (and stays paused) exits 0 with every record acknowledged, in under 60 s. The engine's Sender
// gives up on the paused broker after request.timeout.ms, refreshes metadata from another broker, and retries on
// the new leaders (the in-flight batches keep their sequence numbers, so nothing is written twice).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const children: ChildProcessWithoutNullStreams[] = [];

function start(args: string[]): { child: ChildProcessWithoutNullStreams; out: () => string; err: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: 'pipe', env: { ...process.env, NO_COLOR: '1' } });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, out: () => out, err: () => err, exited };
}

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (\`npm test\` does)`);
});

afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

describe('bench while a broker is paused (issue 12)', () => {
  it('acknowledges every record and exits 0 within 60 s though broker 2 stays paused from t=5 s', async () => {
    const sb = start(['sandbox', '--port', '0']);
    await vi.waitFor(() => expect(sb.out()).toMatch(/bootstrap servers: (\S+)/), { timeout: 10_000 });
    const brokers = /bootstrap servers: (\S+)/.exec(sb.out())![1];
    const began = Date.now();
    const bench = start(['bench', '--brokers', brokers, '--records', '20000', '--throughput', '500']);
    const pause = setTimeout(() => sb.child.stdin.write('pause 2\n'), 5000);
    const code = await bench.exited;
    clearTimeout(pause);
    const seconds = (Date.now() - began) / 1000;
    expect(sb.out()).toContain('broker 2: up -> paused');
    expect(bench.err()).not.toMatch(/failed/);
    expect(code).toBe(0);
    expect(bench.out()).toMatch(/^20000 records sent, /m);
    expect(seconds).toBeLessThan(60);
  }, 90_000);
});
