// Robustness: thousands of random and mutated frames against one broker, over many connections, some dropped
// mid-request. A broker must close only the offending connection: it keeps answering well-formed clients in order,
// leaks no sockets, never throws out of a handler, and a normal kafkajs client still produces and reads back.
import { createRequire } from 'node:module';
import { connect, type Socket } from 'node:net';
import { describe, expect } from 'vitest';
import { Partitioners } from 'kafkajs';
import type { Sandbox } from '../../src/sandbox/sandbox.js';
import { kafkaFor } from '../helpers/sandbox.js';
import { prng } from '../helpers/sample-bodies.js';
import { waitUntil } from '../helpers/cluster-events.js';
import { sandboxTest as it } from '../helpers/fixtures.js';

const require = createRequire(import.meta.url);
const encodeFrame: (req: { correlationId: number; clientId: string; request: unknown }) => Promise<{ buffer: Buffer }> =
  require('kafkajs/src/protocol/request');

const TARGET_FRAMES = 12_000;
const WORKERS = 32;
// A bound on the traffic for a very slow machine; a normal run sends its frames in 3-6 s.
const TIME_BUDGET_MS = 50_000;

/** Deterministic PRNG (mulberry32), so a failure replays with the same seed. */
const rng = prng;

const messages = [
  { key: 'k1', value: 'hello' },
  { key: null, value: 'x'.repeat(300), headers: { h: 'v' } },
];
const topicPartitions = (extra: Record<string, unknown>) => [{ topic: 'fuzz', partitions: [{ partition: 0, ...extra }] }];

/** Valid requests from kafkajs's own encoders: [folder under protocol/requests, versions, arguments]. */
const CORPUS: [string, number[], Record<string, unknown>][] = [
  ['apiVersions', [0, 1, 2], {}],
  ['metadata', [0, 1, 2, 3, 4, 5, 6], { topics: ['fuzz', 'fuzz-meta'], allowAutoTopicCreation: true }],
  ['produce', [3, 4, 5, 6, 7], {
    acks: -1, timeout: 1000, compression: 0,
    topicData: [{ topic: 'fuzz', partitions: [{ partition: 0, firstSequence: 0, messages }] }],
  }],
  ['produce', [7], {
    acks: 1, timeout: 1000, compression: 1, producerId: 5, producerEpoch: 0,
    topicData: [{ topic: 'fuzz', partitions: [{ partition: 0, firstSequence: 0, messages }] }],
  }],
  ['fetch', [4, 5, 6, 7, 8, 9, 10, 11], {
    replicaId: -1, maxWaitTime: 20, minBytes: 1, maxBytes: 65536, isolationLevel: 1,
    topics: topicPartitions({ fetchOffset: '0', maxBytes: 65536, logStartOffset: '0', currentLeaderEpoch: -1 }),
  }],
  ['listOffsets', [1, 2, 3], { replicaId: -1, isolationLevel: 1, topics: topicPartitions({ timestamp: -1, currentLeaderEpoch: -1 }) }],
  ['findCoordinator', [0, 1, 2], { groupId: 'g', coordinatorKey: 'g', coordinatorType: 0 }],
  ['joinGroup', [0, 1, 2, 3, 4, 5], {
    groupId: 'g', sessionTimeout: 6000, rebalanceTimeout: 100, memberId: '', protocolType: 'consumer',
    groupProtocols: [{ name: 'range', metadata: Buffer.from([0, 1, 0, 0, 0, 0]) }],
  }],
  ['syncGroup', [0, 1, 2, 3], { groupId: 'g', generationId: 1, memberId: 'm', groupAssignment: [{ memberId: 'm', memberAssignment: Buffer.from([0, 1]) }] }],
  ['heartbeat', [0, 1, 2, 3], { groupId: 'g', groupGenerationId: 1, memberId: 'm' }],
  ['leaveGroup', [0, 1, 2, 3], { groupId: 'g', memberId: 'm', members: [{ memberId: 'm' }] }],
  ['offsetCommit', [2, 3, 4, 5], {
    groupId: 'g', groupGenerationId: -1, memberId: '', retentionTime: -1,
    topics: topicPartitions({ offset: '1', metadata: null }),
  }],
  ['offsetFetch', [1, 2, 3, 4], { groupId: 'g', topics: [{ topic: 'fuzz', partitions: [{ partition: 0 }] }] }],
  ['describeGroups', [0, 1, 2], { groupIds: ['g'] }],
  ['listGroups', [0, 1, 2], {}],
  ['createTopics', [0, 1, 2, 3], { topics: [{ topic: 'fuzz-created', numPartitions: 2, replicationFactor: 1 }], timeout: 100 }],
  ['deleteTopics', [0, 1], { topics: ['fuzz-created'], timeout: 100 }],
  ['initProducerId', [0, 1], { transactionalId: null, transactionTimeout: 1000 }],
  ['addPartitionsToTxn', [0, 1], { transactionalId: 't', producerId: 5, producerEpoch: 0, topics: [{ topic: 'fuzz', partitions: [0] }] }],
  ['addOffsetsToTxn', [0, 1], { transactionalId: 't', producerId: 5, producerEpoch: 0, groupId: 'g' }],
  ['endTxn', [0, 1], { transactionalId: 't', producerId: 5, producerEpoch: 0, transactionResult: false }],
  ['txnOffsetCommit', [0, 1], {
    transactionalId: 't', groupId: 'g', producerId: 5, producerEpoch: 0,
    topics: topicPartitions({ offset: '1', metadata: null }),
  }],
  ['describeConfigs', [0, 1, 2], { resources: [{ type: 2, name: 'fuzz', configNames: ['retention.ms'] }], includeSynonyms: false }],
  ['createPartitions', [0, 1], { topicPartitions: [{ topic: 'fuzz', count: 4, assignments: [] }] }],
  ['deleteRecords', [0, 1], { topics: [{ topic: 'fuzz', partitions: [{ partition: 0, offset: '0' }] }] }],
  ['saslHandshake', [0, 1], { mechanism: 'PLAIN' }],
];

/** ApiVersions v3 (flexible), which kafkajs cannot encode: header v2 with client software name and version. */
function apiVersionsV3(correlationId: number): Buffer {
  const body = Buffer.concat([
    Buffer.from([0, 18, 0, 3]),
    Buffer.from([correlationId >>> 24, (correlationId >>> 16) & 255, (correlationId >>> 8) & 255, correlationId & 255]),
    Buffer.from([0, 4]), Buffer.from('fuzz'), Buffer.from([0]), // client_id, header tags
    Buffer.from([10]), Buffer.from('librdkafka'), Buffer.from([6]), Buffer.from('2.0.2'), Buffer.from([0]),
  ]);
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length);
  return Buffer.concat([size, body]);
}

async function buildCorpus(): Promise<Buffer[]> {
  const frames: Buffer[] = [apiVersionsV3(1)];
  let correlationId = 1;
  for (const [api, versions, args] of CORPUS) {
    for (const v of versions) {
      const request = require(`kafkajs/src/protocol/requests/${api}/v${v}/request`)(args);
      const encoded = await encodeFrame({ correlationId: ++correlationId, clientId: 'fuzzer', request });
      frames.push(Buffer.from(encoded.buffer));
    }
  }
  return frames;
}

const ABSURD_SIZES = [-1, 0, 1, 7, 0x7fffffff, -0x80000000, 100 * 1024 * 1024 + 1, 65536];

/** One frame derived from a valid one; `cut` marks frames whose declared size exceeds the bytes sent. */
function mutate(valid: Buffer, rand: () => number): { bytes: Buffer; kind: string } {
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  const b = Buffer.from(valid);
  const body = () => 4 + Math.floor(rand() * (b.length - 4));
  const resize = (buf: Buffer) => (buf.writeInt32BE(buf.length - 4, 0), buf);
  switch (Math.floor(rand() * 10)) {
    case 0:
      return { bytes: b, kind: 'valid' };
    case 1: {
      const flips = 1 + Math.floor(rand() * 8);
      for (let i = 0; i < flips; i++) b[body()] ^= 1 << Math.floor(rand() * 8);
      return { bytes: b, kind: 'flipped bytes' };
    }
    case 2:
      return { bytes: resize(b.subarray(0, 12 + Math.floor(rand() * (b.length - 12)))), kind: 'truncated body' };
    case 3: {
      b.writeInt32BE(pick(ABSURD_SIZES), 0);
      return { bytes: b, kind: 'absurd size' };
    }
    case 4: {
      b.writeInt32BE(b.length - 4 + Math.floor(rand() * 9) - 4, 0);
      return { bytes: b, kind: 'wrong size' };
    }
    case 5: {
      b.writeInt16BE(pick([-1, 4, 5, 6, 7, 17, 21, 23, 27, 33, 36, 42, 60, 67, 0x7fff, Math.floor(rand() * 80)]), 4);
      b.writeInt16BE(Math.floor(rand() * 24) - 4, 6);
      return { bytes: b, kind: 'random api key/version' };
    }
    case 6: {
      b.writeInt16BE(Math.floor(rand() * 30) - 6, 6);
      return { bytes: b, kind: 'random version' };
    }
    case 7: {
      // A length or count field set to something absurd: int32 or int16 at a random spot of the body.
      const at = 12 + Math.floor(rand() * Math.max(1, b.length - 16));
      if (rand() < 0.5) b.writeInt32BE(pick([-2, -1, 0x7fffffff, 0x10000000, 1 << 20, Math.floor(rand() * 2 ** 31)]), Math.min(at, b.length - 4));
      else b.writeInt16BE(pick([-2, -1, 0x7fff, 1000]), Math.min(at, b.length - 2));
      return { bytes: b, kind: 'absurd field' };
    }
    case 8: {
      const garbage = Buffer.from(Array.from({ length: 1 + Math.floor(rand() * 64) }, () => Math.floor(rand() * 256)));
      return { bytes: resize(Buffer.concat([b, garbage])), kind: 'trailing garbage' };
    }
    default: {
      const n = 4 + Math.floor(rand() * 300);
      const raw = Buffer.from(Array.from({ length: n }, () => Math.floor(rand() * 256)));
      if (rand() < 0.7) raw.writeInt32BE(n - 4, 0);
      return { bytes: raw, kind: 'random bytes' };
    }
  }
}

function openSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port }, () => resolve(s));
    s.once('error', reject);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface FuzzStats {
  /** Frames written to a connection the broker still had open. */
  frames: number;
  answered: number;
  closedByBroker: number;
  /** No answer within the wait: acks=0, a frame the broker still waits the rest of, a long poll. */
  silent: number;
  connections: number;
  droppedMidRequest: number;
  kinds: Map<string, number>;
}

const SILENCE_MS = 15;

/**
 * One fuzzing client: frames one at a time on a connection, each until it is answered, the broker closes the
 * connection, or a short silence; then it hangs up, sometimes in the middle of a request.
 */
async function fuzzWorker(port: number, corpus: Buffer[], seed: number, stats: FuzzStats, deadline: number): Promise<void> {
  const rand = rng(seed);
  while (stats.frames < TARGET_FRAMES && Date.now() < deadline) {
    const socket = await openSocket(port);
    stats.connections++;
    let closed = false;
    let wake: (() => void) | null = null;
    let gotData = false;
    socket.on('data', () => {
      gotData = true;
      wake?.();
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      closed = true;
      wake?.();
    });
    const burst = 1 + Math.floor(rand() * 30);
    for (let i = 0; i < burst && !closed; i++) {
      const { bytes, kind } = mutate(corpus[Math.floor(rand() * corpus.length)], rand);
      stats.kinds.set(kind, (stats.kinds.get(kind) ?? 0) + 1);
      gotData = false;
      // Split some frames across writes so the broker's framing sees partial chunks.
      if (rand() < 0.3 && bytes.length > 8) {
        const cut = 1 + Math.floor(rand() * (bytes.length - 1));
        socket.write(bytes.subarray(0, cut));
        await sleep(0);
        if (!closed) socket.write(bytes.subarray(cut));
      } else {
        socket.write(bytes);
      }
      stats.frames++;
      if (!gotData && !closed) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, SILENCE_MS);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = null;
      }
      if (closed) stats.closedByBroker++;
      else if (gotData) stats.answered++;
      else {
        // Silence may mean the broker waits for bytes that will never line up again: hang up and start afresh.
        stats.silent++;
        break;
      }
    }
    if (!closed && rand() < 0.3) {
      // Hang up in the middle of a request: half a valid frame, then gone.
      const valid = corpus[Math.floor(rand() * corpus.length)];
      socket.write(valid.subarray(0, Math.floor(valid.length / 2)));
      stats.droppedMidRequest++;
    }
    socket.destroy();
  }
}

/** A well-behaved raw client on the same broker throughout: every response must come back, in request order. */
async function orderlyClient(port: number, corpus: Buffer[], until: () => boolean): Promise<number> {
  const socket = await openSocket(port);
  const sendable = corpus.filter((f) => [18, 3].includes(f.readInt16BE(4)) && f.readInt16BE(6) <= 2);
  let buffered = Buffer.alloc(0);
  const received: number[] = [];
  socket.on('data', (d) => {
    buffered = Buffer.concat([buffered, d]);
    while (buffered.length >= 8 && buffered.length >= 4 + buffered.readInt32BE(0)) {
      received.push(buffered.readInt32BE(4));
      buffered = buffered.subarray(4 + buffered.readInt32BE(0));
    }
  });
  const sent: number[] = [];
  let correlationId = 1_000_000;
  while (!until() && !socket.destroyed) {
    for (let i = 0; i < 5; i++) {
      const frame = Buffer.from(sendable[(correlationId + i) % sendable.length]);
      frame.writeInt32BE(++correlationId, 8);
      sent.push(correlationId);
      socket.write(frame);
    }
    await waitUntil(() => received.length >= sent.length || socket.destroyed, 'the answers to the well-behaved client', 90_000, 2);
  }
  socket.destroy();
  expect(received).toEqual(sent);
  return sent.length;
}

/** Reads a partition from offset 0 with kafkajs's own Fetch v11 encoder and decoder on a raw connection. */
async function readBack(sb: Sandbox, topic: string, partition: number, count: number): Promise<string[]> {
  const leader = sb.cluster.partition(topic, partition)!.leader;
  const socket = await openSocket(sb.cluster.brokers.get(leader)!.port);
  const request = require('kafkajs/src/protocol/requests/fetch/v11/request')({
    replicaId: -1, maxWaitTime: 100, minBytes: 1, maxBytes: 1 << 20, isolationLevel: 1,
    topics: [{ topic, partitions: [{ partition, fetchOffset: '0', logStartOffset: '0', maxBytes: 1 << 20, currentLeaderEpoch: -1 }] }],
  });
  const frame = await encodeFrame({ correlationId: 7, clientId: 'read-back', request });
  const body = await new Promise<Buffer>((resolve, reject) => {
    let buf = Buffer.alloc(0);
    socket.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length >= 4 && buf.length >= 4 + buf.readInt32BE(0)) resolve(buf.subarray(8, 4 + buf.readInt32BE(0)));
    });
    socket.on('close', () => reject(new Error('broker closed the fetch connection')));
    socket.write(Buffer.from(frame.buffer));
  });
  socket.destroy();
  const response = require('kafkajs/src/protocol/requests/fetch/v11/response');
  const parsed = await response.parse(await response.decode(body));
  const p = parsed.responses[0].partitions[0];
  expect(p.errorCode).toBe(0);
  return p.messages.slice(0, count).map((m: { value: Buffer }) => m.value.toString());
}

describe('broker robustness under malformed traffic', () => {
  it('survives 10,000+ random and mutated frames and still serves a normal client', { timeout: 90_000 }, async ({ startSandbox }) => {
    const logLines: string[] = [];
    const sandbox = await startSandbox({ log: (line) => logLines.push(line) });
    const port = sandbox.cluster.brokers.get(1)!.port;
    const corpus = await buildCorpus();
    expect(corpus.length).toBeGreaterThan(80);

    const stats: FuzzStats = { frames: 0, answered: 0, closedByBroker: 0, silent: 0, connections: 0, droppedMidRequest: 0, kinds: new Map() };
    const deadline = Date.now() + TIME_BUDGET_MS;
    let fuzzing = true;
    const orderly = orderlyClient(port, corpus, () => !fuzzing);
    try {
      await Promise.all(Array.from({ length: WORKERS }, (_, i) => fuzzWorker(port, corpus, 0x5eed + i, stats, deadline)));
    } finally {
      fuzzing = false;
    }
    const orderlyRequests = await orderly;

    console.log(`robustness: ${stats.frames} frames over ${stats.connections} connections ` +
      `(${[...stats.kinds].map(([k, n]) => `${k} ${n}`).join(', ')}): ${stats.answered} answered, ` +
      `${stats.closedByBroker} closed the connection, ${stats.silent} silent; ${stats.droppedMidRequest} hang-ups mid-request; ` +
      `a well-behaved client on the same broker got ${orderlyRequests} responses in order`);
    expect(stats.frames).toBeGreaterThanOrEqual(10_000);
    expect(orderlyRequests).toBeGreaterThan(0);
    // The broker rejected malformed input by closing connections, and never failed inside a handler.
    expect(logLines.some((l) => l.includes('closing connection'))).toBe(true);
    expect(logLines.filter((l) => /internal error|handler failed|TypeError|ReferenceError/.test(l))).toEqual([]);
    // The traffic reached the handlers (answers) as well as the validators (closed connections).
    expect(stats.answered).toBeGreaterThan(500);
    expect(stats.closedByBroker).toBeGreaterThan(1000);

    // Every fuzzing socket is gone from the broker: nothing leaked.
    const server = sandbox.servers.get(1)!;
    await waitUntil(() => server.connectionCount() === 0, 'the fuzzing connections to close', 2_000);
    expect(server.connectionCount()).toBe(0);

    // A normal client still works against the same broker.
    const kafka = kafkaFor(sandbox, { brokers: [`127.0.0.1:${port}`] });
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: false });
    await producer.connect();
    const values = Array.from({ length: 20 }, (_, i) => `after-fuzz-${i}`);
    const res = await producer.send({ topic: 'after-fuzz', acks: -1, messages: values.map((value) => ({ key: 'same', value })) });
    await producer.disconnect();
    expect(res[0].errorCode).toBe(0);
    const partition = sandbox.cluster.partition('after-fuzz', res[0].partition)!;
    expect(partition.highWatermark).toBe(20);
    expect(await readBack(sandbox, 'after-fuzz', res[0].partition, 20)).toEqual(values);
  });
});
