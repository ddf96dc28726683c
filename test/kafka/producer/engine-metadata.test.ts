// Metadata as Java's producer keeps it, and then some: a broker that accepts connections but never answers (a paused
// broker, or a wrong address) delays a Metadata request by a couple of seconds before another broker is asked, not by
// request.timeout.ms; the producer starts and delivers.
import net from 'node:net';
import { describe, expect } from 'vitest';
import { engineTest as it } from '../../helpers/fixtures.js';

describe('metadata from a broker that answers', () => {
  it('asks another broker when the first one never answers, well within request.timeout.ms', async ({ sandbox, startEngine, onTestFinished }) => {
    sandbox.cluster.createTopic('meta', 3, 3);
    const sockets: net.Socket[] = [];
    const silent = net.createServer((s) => sockets.push(s)); // accepts, reads, never writes
    onTestFinished(() => void silent.close());
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const { port } = silent.address() as net.AddressInfo;
    const began = Date.now();
    const engine = await startEngine({ 'request.timeout.ms': 30_000 }, { brokers: [`127.0.0.1:${port}`, ...sandbox.addresses()] });
    const r = await engine.send({ topic: 'meta', key: null, value: Buffer.from('x'), headers: [] });
    expect(r.error).toBeNull();
    expect(sockets.length).toBeGreaterThan(0); // the silent one was tried first
    expect(Date.now() - began).toBeLessThan(9_000); // without hedging: the 10 s connection setup timeout first
    for (const s of sockets) s.destroy();
  });
});
