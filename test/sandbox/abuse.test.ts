// Clients that try to make the sandbox grow or stall (issue: "It can be broken"): each case once broke it. A broker
// must hold its memory, refuse what is past its caps with Kafka's errors, and close (with a log line) connections
// that are idle, stuck mid-request or send more than socket.request.max.bytes.
import { createRequire } from 'node:module';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect } from 'vitest';
import { Partitioners } from 'kafkajs';
import { MAX_UNSENT_RESPONSE_BYTES } from '../../src/sandbox/server/connection.js';
import type { Sandbox, SandboxOptions } from '../../src/sandbox/sandbox.js';
import { kafkaFor } from '../helpers/sandbox.js';
import { waitUntil } from '../helpers/cluster-events.js';
import { sandboxTest as it, type SandboxFixtures } from '../helpers/fixtures.js';

const require = createRequire(import.meta.url);
const encodeFrame: (req: { correlationId: number; clientId: string; request: unknown }) => Promise<{ buffer: Buffer }> =
  require('kafkajs/src/protocol/request');

const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
});

async function start(startSandbox: SandboxFixtures['startSandbox'], opts: SandboxOptions = {}): Promise<{ s: Sandbox; logs: string[] }> {
  const logs: string[] = [];
  const sandbox = await startSandbox({ ...opts, log: (l) => logs.push(l) });
  return { s: sandbox, logs };
}

function open(address: string): Promise<Socket> {
  const [host, port] = address.split(':');
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port: Number(port) }, () => resolve(socket));
    socket.once('error', reject);
    sockets.push(socket);
  });
}

async function frame(api: string, version: number, args: Record<string, unknown>, correlationId: number): Promise<Buffer> {
  const request = require(`kafkajs/src/protocol/requests/${api}/v${version}/request`)(args);
  return Buffer.from((await encodeFrame({ correlationId, clientId: 'abuse', request })).buffer);
}

const closed = (s: Socket) => new Promise<void>((r) => (s.destroyed ? r() : s.once('close', () => r())));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a client that never reads its answers', () => {
  it('200 Fetch requests on one socket: the broker stops at a bound instead of buffering every response', async ({ startSandbox }) => {
    const { s } = await start(startSandbox);
    s.cluster.createTopic('big', 1, 1);
    const producer = kafkaFor(s).producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const value = Buffer.alloc(900 * 1024, 7);
    for (let i = 0; i < 8; i++) await producer.send({ topic: 'big', acks: 1, messages: [{ value }] });
    await producer.disconnect();
    const leader = s.cluster.partition('big', 0)!.leader;
    const server = s.servers.get(leader)!;

    const rssBefore = process.memoryUsage().rss;
    const socket = await open(s.addresses()[leader - 1]);
    socket.pause(); // never reads: the kernel buffers fill, then the broker's
    const fetch = (id: number) =>
      frame('fetch', 4, {
        replicaId: -1, maxWaitTime: 10, minBytes: 1, maxBytes: 1024 * 1024, isolationLevel: 0,
        topics: [{ topic: 'big', partitions: [{ partition: 0, fetchOffset: String(id % 8), maxBytes: 1024 * 1024 }] }],
      }, id);
    for (let i = 1; i <= 200; i++) socket.write(await fetch(i));
    await sleep(1500);
    const held = server.bufferedBytes();
    const rssGrowth = process.memoryUsage().rss - rssBefore;
    // Unbounded, this is 200 x ~900 KB = ~180 MB of responses held for one socket.
    expect(held.responses).toBeLessThan(MAX_UNSENT_RESPONSE_BYTES + 2 * 1024 * 1024);
    expect(rssGrowth).toBeLessThan(64 * 1024 * 1024);
    // Still served: a client that reads gets every answer, in order, once it starts reading.
    let got = 0;
    let buffered = Buffer.alloc(0);
    socket.on('data', (c: Buffer) => {
      buffered = Buffer.concat([buffered, c]);
      while (buffered.length >= 4 && buffered.length >= 4 + buffered.readInt32BE(0)) {
        expect(buffered.readInt32BE(4)).toBe(++got);
        buffered = buffered.subarray(4 + buffered.readInt32BE(0));
      }
    });
    socket.resume();
    await waitUntil(() => got >= 200, 'the 200 answers', 10_000);
    expect(got).toBe(200);
  }, 30_000);
});

describe('caps on every path that creates topics or partitions', () => {
  it('a Metadata naming 20,000 new topics creates them only up to sandbox.max.partitions', async ({ startSandbox }) => {
    const { s } = await start(startSandbox);
    const socket = await open(s.addresses()[0]);
    const names = Array.from({ length: 20_000 }, (_, i) => `auto-${i}`);
    socket.write(await frame('metadata', 4, { topics: names, allowAutoTopicCreation: true }, 1));
    const answered = new Promise<void>((resolve) => {
      let n = 0;
      socket.on('data', (c: Buffer) => ((n += c.length), n >= 4 && resolve()));
    });
    await answered;
    await sleep(200);
    expect(s.cluster.partitionCount()).toBeLessThanOrEqual(s.cluster.settings.maxPartitions);
    expect(s.cluster.topics.size).toBeLessThan(20_000);
    expect(s.cluster.topics.size).toBeGreaterThan(0);
    // CreateTopics past the cap: Kafka's INVALID_PARTITIONS, with the reason.
    const refused = s.cluster.createTopic('one-more', 3, 1);
    expect(refused).toMatchObject({ error: 37 });
    expect((refused as { message: string }).message).toMatch(/sandbox.max.partitions/);
  }, 60_000);

  it('CreateTopics over the wire is refused once the cap would be passed', async ({ startSandbox }) => {
    const { s } = await start(startSandbox, { maxPartitions: 10 });
    const admin = kafkaFor(s).admin();
    await admin.connect();
    try {
      await admin.createTopics({ topics: [{ topic: 'fits', numPartitions: 9, replicationFactor: 1 }] });
      await expect(admin.createTopics({ topics: [{ topic: 'too-many', numPartitions: 2, replicationFactor: 1 }] })).rejects.toThrow();
      expect([...s.cluster.topics.keys()]).toEqual(['fits']);
    } finally {
      await admin.disconnect();
    }
  });
});

describe('connections that hold the broker', () => {
  it('an idle connection is closed after connections.max.idle.ms, with a log line', async ({ startSandbox }) => {
    const { s, logs } = await start(startSandbox, { connectionsMaxIdleMs: 200 });
    const socket = await open(s.addresses()[0]);
    await closed(socket);
    expect(logs.join('\n')).toMatch(/idle for 200 ms \(connections.max.idle.ms\)/);
  });

  it('a request trickling in is closed after sandbox.request.read.timeout.ms, with a log line', async ({ startSandbox }) => {
    const { s, logs } = await start(startSandbox, { requestReadTimeoutMs: 300 });
    const socket = await open(s.addresses()[0]);
    const whole = await frame('apiVersions', 0, {}, 1);
    socket.write(whole.subarray(0, 6)); // the size and part of the header, then one byte at a time
    const trickle = setInterval(() => socket.writable && socket.write(Buffer.from([0])), 50);
    await closed(socket);
    clearInterval(trickle);
    expect(logs.join('\n')).toMatch(/request incomplete after 300 ms/);
  });

  it('a steady stream of requests, each chunk finishing one and starting the next, is not taken for a stalled one', async ({ startSandbox }) => {
    const { s, logs } = await start(startSandbox, { requestReadTimeoutMs: 200 });
    const socket = await open(s.addresses()[0]);
    let answers = 0;
    socket.on('data', () => answers++);
    const frames = await Promise.all(Array.from({ length: 12 }, (_, i) => frame('apiVersions', 0, {}, i + 1)));
    const stream = Buffer.concat(frames);
    const step = frames[0].length;
    // Writes cut mid-frame every 100 ms: some frame is always partial, for 1.2 s, six times the timeout.
    const cuts = [0, ...Array.from({ length: frames.length }, (_, i) => Math.floor(step / 2) + i * step), stream.length];
    for (let i = 0; i + 1 < cuts.length; i++) {
      socket.write(stream.subarray(cuts[i], cuts[i + 1]));
      await sleep(100);
    }
    await sleep(50);
    expect(socket.destroyed).toBe(false);
    expect(answers).toBeGreaterThan(0);
    expect(logs.join('\n')).not.toMatch(/incomplete/);
  });

  it('a request larger than socket.request.max.bytes closes the connection before it is buffered', async ({ startSandbox }) => {
    const { s, logs } = await start(startSandbox, { maxRequestBytes: 4096 });
    const socket = await open(s.addresses()[0]);
    const size = Buffer.alloc(4);
    size.writeInt32BE(5000);
    socket.write(size);
    await closed(socket);
    expect(logs.join('\n')).toMatch(/exceeds socket.request.max.bytes 4096/);
  });

  it('many pipelined requests are read only as fast as they are answered', async ({ startSandbox }) => {
    const { s } = await start(startSandbox, { maxRequestBytes: 64 * 1024 });
    const socket = await open(s.addresses()[0]);
    socket.pause();
    // 2,000 ApiVersions requests at once: the broker answers them all, in order, to a client that reads.
    const frames = await Promise.all(Array.from({ length: 2000 }, (_, i) => frame('apiVersions', 0, {}, i + 1)));
    socket.write(Buffer.concat(frames));
    let got = 0;
    let buffered = Buffer.alloc(0);
    socket.on('data', (c: Buffer) => {
      buffered = Buffer.concat([buffered, c]);
      while (buffered.length >= 4 && buffered.length >= 4 + buffered.readInt32BE(0)) {
        got++;
        buffered = buffered.subarray(4 + buffered.readInt32BE(0));
      }
    });
    await sleep(300);
    socket.resume();
    await waitUntil(() => got >= 2000, 'the 2000 answers', 5_000);
    expect(got).toBe(2000);
    expect(socket.destroyed).toBe(false);
  });
});
