// Metadata as Java's producer keeps it, and then some: a broker that accepts connections but never answers (a paused
// broker, or a wrong address) delays a Metadata request by a couple of seconds before another broker is asked, not by
// request.timeout.ms; the producer starts and delivers. Between refreshes (metadata.max.age.ms) it keeps what it
// believes, as Java does: a moved leader is learned from the send it refuses.
import net from 'node:net';
import { describe, expect } from 'vitest';
import { moveLeader } from '../../../src/sandbox/cluster/broker-lifecycle.js';
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

describe('metadata kept as Java keeps it (metadata.max.age.ms)', () => {
  it('still names the old leader after the cluster moved it, until a send is refused, then follows the new one', async ({ sandbox, startEngine }) => {
    sandbox.cluster.createTopic('moved', 1, 3);
    const engine = await startEngine({ 'linger.ms': 0 });
    const send = (v: string) => engine.send({ topic: 'moved', key: null, value: Buffer.from(v), headers: [] });
    expect((await send('a')).error).toBeNull();
    const old = engine.metadata.leaderOf('moved', 0);
    const next = [1, 2, 3].find((b) => b !== old)!;
    expect(moveLeader(sandbox.cluster, 'moved', 0, next)).toMatchObject({ ok: true });
    await new Promise((r) => setTimeout(r, 2500));
    // Nothing has told the producer yet: the screens show its belief against the cluster's ("still thinks ...").
    expect(engine.metadata.leaderOf('moved', 0)).toBe(old);
    const r = await send('b');
    expect(r).toMatchObject({ error: null, attempts: 2 }); // NOT_LEADER_OR_FOLLOWER from the old leader, then the new one
    expect(engine.metadata.leaderOf('moved', 0)).toBe(next);
  });

  it('refreshes every metadata.max.age.ms, changed live: at 200 ms the moved leader is known before the next send', async ({ sandbox, startEngine }) => {
    sandbox.cluster.createTopic('aged', 1, 3);
    const engine = await startEngine({ 'linger.ms': 0 });
    const send = (v: string) => engine.send({ topic: 'aged', key: null, value: Buffer.from(v), headers: [] });
    expect((await send('a')).error).toBeNull();
    expect(await engine.applySettings({ 'metadata.max.age.ms': 200 })).toMatchObject({ ok: true, changed: ['metadata.max.age.ms'], swapped: false });
    const next = [1, 2, 3].find((b) => b !== engine.metadata.leaderOf('aged', 0))!;
    moveLeader(sandbox.cluster, 'aged', 0, next);
    await new Promise((r) => setTimeout(r, 700));
    expect(engine.metadata.leaderOf('aged', 0)).toBe(next);
    expect(await send('b')).toMatchObject({ error: null, attempts: 1 });
  });
});
