// The sandbox's control socket as a client other than the app would meet it: bad input is answered and changes
// nothing, oversized lines are cut off, a leftover socket file is replaced, and a directory others can enter is refused.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect } from 'vitest';
import { SandboxControl } from '../../../src/sandbox/control/control.js';
import { serveControlSocket, type ControlSocketServer } from '../../../src/sandbox/control/control-socket.js';
import { controlSocketPath, ensurePrivateDirectory } from '../../../src/sandbox/control/control-socket-path.js';
import { sandboxTest as it } from '../../helpers/fixtures.js';

let base: string;
let env: NodeJS.ProcessEnv;
let server: ControlSocketServer | undefined;

beforeEach(() => {
  base = mkdtempSync(path.join(os.tmpdir(), 'kpt-sock-'));
  env = { KPT_SANDBOX_CONTROL_DIR: path.join(base, 'sockets') };
});

afterEach(async () => {
  await server?.close();
  server = undefined;
  rmSync(base, { recursive: true, force: true });
});

/** Sends raw text, collects the answer lines until `count` arrived or the socket closed. */
function exchange(socketPath: string, text: string, count: number): Promise<{ lines: unknown[]; closed: boolean }> {
  return new Promise((resolve) => {
    const s = connect(socketPath);
    let buf = '';
    const lines: unknown[] = [];
    const done = (closed: boolean) => {
      s.destroy();
      resolve({ lines, closed });
    };
    s.setEncoding('utf8');
    s.on('data', (d: string) => {
      buf += d;
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        lines.push(JSON.parse(buf.slice(0, nl)));
        buf = buf.slice(nl + 1);
      }
      if (lines.length >= count) done(false);
    });
    s.on('close', () => done(true));
    s.on('error', () => {});
    s.write(text);
  });
}

describe('the control socket', () => {
  it('answers bad input with a reason and changes nothing', async ({ control: sandbox }) => {
    server = await serveControlSocket(sandbox, env);
    const { lines } = await exchange(
      server.paths[0],
      ['not json', '{"id":1,"op":"shutdown"}', '{"id":2,"op":"pause","broker":"2; rm -rf /"}', '{"id":3,"op":"pause","broker":7}', '{"id":4,"op":"status"}', ''].join('\n'),
      5,
    );
    expect(lines[0]).toMatchObject({ error: expect.stringMatching(/^not a JSON object/) });
    expect(lines[1]).toEqual({ id: 1, result: { ok: false, message: 'unknown control operation "shutdown"' } });
    expect(lines[2]).toMatchObject({ id: 2, result: { ok: false } });
    expect(lines[3]).toMatchObject({ id: 3, result: { ok: false } });
    expect((lines[4] as { result: { brokers: { status: string }[] } }).result.brokers.map((b) => b.status)).toEqual(['up', 'up', 'up']);
  });

  it('streams cluster events, without the types a client asked to skip', async ({ sandbox, control, kafka }) => {
    server = await serveControlSocket(control, env);
    sandbox.cluster.createTopic('skipped', 1, 3);
    /** The event types a subscriber hears until a broker changes state. */
    const listen = (request: string) =>
      new Promise<string[]>((resolve) => {
        const s = connect(server!.paths[0]);
        const types: string[] = [];
        let buf = '';
        s.setEncoding('utf8');
        s.on('data', (d: string) => {
          buf += d;
          let nl;
          while ((nl = buf.indexOf('\n')) >= 0) {
            const line = JSON.parse(buf.slice(0, nl)) as { event?: { type: string } };
            buf = buf.slice(nl + 1);
            if (line.event) types.push(line.event.type);
            if (line.event?.type === 'broker') {
              s.destroy();
              resolve(types);
            }
          }
        });
        s.write(`${request}\n`);
      });
    const all = listen('{"id":1,"op":"events"}');
    const some = listen('{"id":1,"op":"events","skip":["high-watermark"]}');
    await new Promise((r) => setTimeout(r, 100));
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: 'skipped', acks: -1, messages: [{ value: 'x' }] });
    await producer.disconnect();
    await control.crash(control.partition('skipped', 0)!.leader);
    expect(await all).toContain('high-watermark');
    expect(await some).not.toContain('high-watermark');
    expect(await some).toContain('broker');
  });

  it('cuts off a client that sends a line over 64 KiB', async ({ startSandbox }) => {
    const sandbox = new SandboxControl(await startSandbox({ brokers: 1 }));
    server = await serveControlSocket(sandbox, env);
    const { lines, closed } = await exchange(server.paths[0], 'x'.repeat(70 * 1024), 1);
    expect(lines[0]).toMatchObject({ error: 'request line over 65536 bytes' });
    expect(closed || lines.length === 1).toBe(true);
  });

  it('one socket per broker address; a leftover file of a dead sandbox is replaced; closing removes them', async ({ control: sandbox }) => {
    const first = controlSocketPath(sandbox.addresses()[0], env);
    mkdirSync(path.dirname(first), { recursive: true, mode: 0o700 });
    writeFileSync(first, 'stale');
    server = await serveControlSocket(sandbox, env);
    expect(server.paths).toEqual(sandbox.addresses().map((a) => controlSocketPath(a, env)));
    const { lines } = await exchange(server.paths[2], '{"id":9,"op":"hello"}\n', 1);
    expect(lines[0]).toMatchObject({ id: 9, result: { addresses: sandbox.addresses() } });
    await server.close();
    server = undefined;
    await expect(exchange(first, '{"id":1,"op":"hello"}\n', 1)).resolves.toMatchObject({ lines: [], closed: true });
  });

  it.skipIf(typeof process.getuid !== 'function')('refuses a socket directory other users can enter', () => {
    const dir = path.join(base, 'open');
    mkdirSync(dir, { mode: 0o700 });
    chmodSync(dir, 0o777);
    expect(() => ensurePrivateDirectory(dir)).toThrow(/is open to other users \(mode 777\)/);
  });
});
