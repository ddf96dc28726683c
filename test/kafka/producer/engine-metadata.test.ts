// Metadata as Java's producer keeps it, and then some: a broker that accepts connections but never answers (a paused
// broker, or a wrong address) delays a Metadata request by a couple of seconds before another broker is asked, not by
// request.timeout.ms; the producer starts and delivers.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ProducerEngine } from '../../../src/kafka/producer/producer-engine.js';
import type { Sandbox } from '../../../src/sandbox/sandbox.js';
import { startSandbox } from '../../helpers/sandbox.js';

let sandbox: Sandbox | undefined;
let engine: ProducerEngine | undefined;
let silent: net.Server | undefined;
afterEach(async () => {
  await engine?.close(2000);
  await sandbox?.close();
  silent?.close();
  engine = sandbox = silent = undefined;
});

describe('metadata from a broker that answers', () => {
  it('asks another broker when the first one never answers, well within request.timeout.ms', async () => {
    sandbox = await startSandbox();
    sandbox.cluster.createTopic('meta', 3, 3);
    const sockets: net.Socket[] = [];
    silent = net.createServer((s) => sockets.push(s)); // accepts, reads, never writes
    await new Promise<void>((r) => silent!.listen(0, '127.0.0.1', r));
    const { port } = silent.address() as net.AddressInfo;
    const began = Date.now();
    engine = await ProducerEngine.start({ brokers: [`127.0.0.1:${port}`, ...sandbox.addresses()], settings: { 'request.timeout.ms': 30_000 } });
    const r = await engine.send({ topic: 'meta', key: null, value: Buffer.from('x'), headers: [] });
    expect(r.error).toBeNull();
    expect(sockets.length).toBeGreaterThan(0); // the silent one was tried first
    expect(Date.now() - began).toBeLessThan(9_000); // without hedging: the 10 s connection setup timeout first
    for (const s of sockets) s.destroy();
  });
});
