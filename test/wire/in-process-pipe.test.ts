// The in-process pipe behaves as a TCP connection does where either end can tell: order, delivery in a later turn,
// backpressure, clean close, reset, idle timeout; and the registry that only a listening in-process broker is in.
import { describe, expect, it } from 'vitest';
import { pipePair, type PipeEnd } from '../../src/wire/in-process-pipe.js';
import { connectInProcess, listenInProcess } from '../../src/wire/in-process-listeners.js';

const turn = () => new Promise((r) => setImmediate(r));
const settle = async () => {
  for (let i = 0; i < 5; i++) await turn();
};

function pair(): { client: PipeEnd; server: PipeEnd; toServer: Buffer[]; toClient: Buffer[] } {
  const { client, server } = pipePair('127.0.0.1', 9092, 'in-process', 1);
  const toServer: Buffer[] = [];
  const toClient: Buffer[] = [];
  server.on('data', (b: Buffer) => toServer.push(b));
  client.onread = (n, b) => toClient.push(Buffer.from(b.subarray(0, n)));
  return { client, server, toServer, toClient };
}

const text = (bufs: Buffer[]) => Buffer.concat(bufs).toString();

describe('in-process pipe', () => {
  it('delivers both ways in write order, in a later turn of the event loop, never inside write()', async () => {
    const { client, server, toServer, toClient } = pair();
    client.write(Buffer.from('a'));
    client.write(Buffer.from('b'));
    server.write(Buffer.from('x'));
    expect(toServer).toEqual([]);
    expect(toClient).toEqual([]);
    await Promise.resolve();
    expect(toServer).toEqual([]);
    await turn();
    expect(text(toServer)).toBe('ab');
    expect(text(toClient)).toBe('x');
    client.write(Buffer.from('c'));
    await turn();
    expect(text(toServer)).toBe('abc');
  });

  it('bytes written while delivering wait for the next turn (no endless delivery in one turn)', async () => {
    const { client, server, toServer } = pair();
    let echoes = 0;
    // A reader that answers every chunk at once, and a writer that writes again for every answer: a ping-pong.
    server.on('data', () => server.write(Buffer.from('pong')));
    client.onread = () => {
      echoes++;
      client.write(Buffer.from('ping'));
    };
    client.write(Buffer.from('ping'));
    await turn();
    expect(toServer.length).toBeLessThanOrEqual(1);
    await settle();
    expect(echoes).toBeGreaterThan(0);
    expect(echoes).toBeLessThan(5);
    client.destroy();
  });

  it('a paused reader holds the bytes with the writer (writableLength grows, write says stop), then drains in order', async () => {
    const { client, server, toServer } = pair();
    server.pause();
    let drained = 0;
    client.on('drain', () => drained++);
    const chunk = Buffer.alloc(10_000, 1);
    expect(client.write(chunk)).toBe(true);
    expect(client.write(chunk)).toBe(false);
    await settle();
    expect(toServer).toEqual([]);
    expect(client.writableLength).toBe(20_000);
    expect(drained).toBe(0);
    server.resume();
    await turn();
    expect(toServer.map((b) => b.length)).toEqual([10_000, 10_000]);
    expect(client.writableLength).toBe(0);
    expect(drained).toBe(1);
  });

  it('a reader pausing in its data handler gets the rest only once it resumes', async () => {
    const { client, server } = pair();
    const got: string[] = [];
    server.removeAllListeners('data');
    server.on('data', (b: Buffer) => {
      got.push(b.toString());
      if (got.length === 1) server.pause();
    });
    for (const s of ['1', '2', '3']) client.write(Buffer.from(s));
    await settle();
    expect(got).toEqual(['1']);
    expect(client.writableLength).toBe(2);
    server.resume();
    await turn();
    expect(got).toEqual(['1', '2', '3']);
  });

  it('a clean close reaches the other end after the bytes written before it; nothing written after it arrives', async () => {
    const { client, server, toServer } = pair();
    const events: string[] = [];
    server.on('close', (hadError: boolean) => events.push(`server close ${hadError}`));
    server.on('error', (e: Error) => events.push(`server error ${e.message}`));
    client.on('close', () => events.push('client close'));
    client.write(Buffer.from('last words'));
    client.destroy();
    client.write(Buffer.from('too late'));
    await settle();
    expect(text(toServer)).toBe('last words');
    expect(events).toEqual(expect.arrayContaining(['server close false', 'client close']));
    expect(events.some((e) => e.includes('error'))).toBe(false);
    expect(server.destroyed).toBe(true);
    // The other end cannot write to a closed connection.
    expect(server.write(Buffer.from('x'))).toBe(false);
  });

  it('a close reaches a paused reader with nothing left to read, so a connection is never left half open', async () => {
    const { client, server } = pair();
    server.pause();
    let closed = false;
    server.on('close', () => (closed = true));
    client.destroy();
    await settle();
    expect(closed).toBe(true);
  });

  it('a reset drops what was not delivered and the other end sees ECONNRESET, then close', async () => {
    const { client, server, toClient } = pair();
    const events: string[] = [];
    client.on('error', (e: NodeJS.ErrnoException) => events.push(`error ${e.code}`));
    client.on('close', (hadError: boolean) => events.push(`close ${hadError}`));
    server.write(Buffer.from('delivered'));
    await turn();
    server.write(Buffer.from('never delivered'));
    server.resetAndDestroy();
    await settle();
    expect(text(toClient)).toBe('delivered');
    expect(events).toEqual(['error ECONNRESET', 'close true']);
  });

  it('destroyed in the middle of a delivery: what it read stays read, nothing after reaches it, the writer sees the close', async () => {
    const { client, server } = pair();
    const got: string[] = [];
    server.removeAllListeners('data');
    server.on('data', (b: Buffer) => {
      got.push(b.toString());
      server.destroy();
    });
    let clientClosed = false;
    client.on('close', () => (clientClosed = true));
    for (const s of ['1', '2', '3']) client.write(Buffer.from(s));
    await settle();
    expect(got).toEqual(['1']);
    expect(client.writableLength).toBe(0);
    expect(clientClosed).toBe(true);
  });

  it("times idleness as a socket's setTimeout: 'timeout' after that long without a byte either way, not before", async () => {
    const { client, server } = pair();
    let timeouts = 0;
    server.on('timeout', () => timeouts++);
    server.setTimeout(120);
    // Traffic every 40 ms keeps it from being idle.
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 40));
      client.write(Buffer.from('.'));
    }
    expect(timeouts).toBe(0);
    await new Promise((r) => setTimeout(r, 250));
    expect(timeouts).toBe(1);
    server.destroy();
  });
});

describe('in-process listeners', () => {
  it('connects only while a broker listens in process at that address', async () => {
    const accepted: PipeEnd[] = [];
    expect(connectInProcess('127.0.0.1', 49_001, () => {})).toBeNull();
    const unlisten = listenInProcess('127.0.0.1', 49_001, (end) => accepted.push(end));
    const got: string[] = [];
    const client = connectInProcess('127.0.0.1', 49_001, (n, b) => got.push(b.subarray(0, n).toString()));
    expect(client).not.toBeNull();
    expect(connectInProcess('127.0.0.1', 49_002, () => {})).toBeNull();
    expect(accepted).toHaveLength(1);
    expect(accepted[0].remoteAddress).toBe('in-process');
    accepted[0].write(Buffer.from('hello'));
    await turn();
    expect(got).toEqual(['hello']);
    unlisten();
    expect(connectInProcess('127.0.0.1', 49_001, () => {})).toBeNull();
    client!.destroy();
  });
});
