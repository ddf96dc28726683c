// The broker's accepted sockets re-opened to read into memory it chooses: every byte a client sends arrives, in
// order, in the buffers the broker hands out; the server still counts (and waits for) the connection; and a socket
// that was not accepted paused is left alone, so the broker falls back to ordinary 'data' events.
import { afterEach, describe, expect, it } from 'vitest';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { readIntoSocket } from '../../src/sandbox/server/read-into-socket.js';

const servers: Server[] = [];
const clients: Socket[] = [];
afterEach(() => {
  for (const c of clients.splice(0)) c.destroy();
  for (const s of servers.splice(0)) s.close();
});

async function listen(pauseOnConnect: boolean, onSocket: (s: Socket) => void): Promise<{ server: Server; port: number }> {
  const server = createServer({ pauseOnConnect }, onSocket);
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: (server.address() as { port: number }).port };
}

function dial(port: number): Socket {
  const c = connect(port, '127.0.0.1');
  clients.push(c);
  return c;
}

describe('readIntoSocket', () => {
  it('delivers every byte a client sends, in order, into the buffers it is given', async () => {
    const received: Buffer[] = [];
    const handedOut = new Set<Uint8Array>();
    let foreign = 0;
    let reopened: Socket | null = null;
    const done = new Promise<void>((resolve) => {
      void listen(true, (accepted) => {
        reopened = readIntoSocket(accepted, {
          // A fresh odd-sized buffer each time, as a frame reader hands out the rest of a frame.
          buffer: () => {
            const b = Buffer.allocUnsafe(100_003);
            handedOut.add(b);
            return b;
          },
          read: (n, buf) => {
            if (!handedOut.has(buf)) foreign++;
            received.push(Buffer.from(buf.subarray(0, n)));
            return true;
          },
        });
        reopened?.on('end', () => resolve());
      }).then(({ port }) => {
        const c = dial(port);
        c.end(payload);
      });
    });
    const payload = randomBytes(3 * 1024 * 1024 + 17);
    await done;
    expect(reopened).not.toBeNull();
    expect(Buffer.concat(received).equals(payload)).toBe(true);
    // Every read landed in a buffer the broker handed out, none in a stream chunk of Node's own.
    expect(foreign).toBe(0);
  });

  it('leaves the connection counted by its server, so close() waits for it', async () => {
    let reopened: Socket | null = null;
    const { server, port } = await listen(true, (accepted) => {
      reopened = readIntoSocket(accepted, { buffer: () => Buffer.allocUnsafe(1024), read: () => true });
    });
    const c = dial(port);
    await once(c, 'connect');
    await expect.poll(() => reopened).not.toBeNull();
    const count = await new Promise<number>((r, j) => server.getConnections((e, n) => (e ? j(e) : r(n))));
    expect(count).toBe(1);
    let closed = false;
    server.close(() => (closed = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(closed).toBe(false);
    // The reopened socket answers too: what it writes reaches the client.
    reopened!.write('pong');
    const [data] = (await once(c, 'data')) as [Buffer];
    expect(data.toString()).toBe('pong');
    reopened!.destroy();
    await expect.poll(() => closed).toBe(true);
  });

  it('returns null for a socket that was not accepted paused, and leaves it working', async () => {
    let result: Socket | null | undefined;
    const got: Buffer[] = [];
    const { port } = await listen(false, (accepted) => {
      result = readIntoSocket(accepted, { buffer: () => Buffer.allocUnsafe(1024), read: () => true });
      accepted.on('data', (d: Buffer) => got.push(d));
    });
    const c = dial(port);
    c.write('hello');
    await expect.poll(() => Buffer.concat(got).toString()).toBe('hello');
    expect(result).toBeNull();
  });
});
