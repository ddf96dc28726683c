// What the built-in cluster's CPU costs per acks=all Produce request while V8 still runs its code unoptimized: the
// first seconds of a TUI run, when the leader gets ~64 requests a second and the TUI's figure is measured. A fresh
// process serves N requests (default 640: ten seconds of the TUI's default form) of 6 records, v9, to one partition
// of an RF-3 topic, one at a time, from a client in a child process, and prints this process's CPU over them.
// To compare two builds, run it from each checkout in turn, several times (one run is ~0.2 s of CPU; the spread
// between runs of one build is ~10% on the shared machine).
//
//   npm run bench -- bench/sandbox-cold-produce.ts [--requests 640] [--rounds 5]
//
// 2026-12-07, other helpers' builds running meanwhile, 8 interleaved runs each, 640 requests: main 144.8-182.8 ms
// (median 149.6, 234 us a request); after the per-request cuts of the sandboxpoll branch (no fault search with no
// fault set, one log entry object, the handler awaited in place, one timeout timer for all acks=all waiters, one
// end-of-turn task for all followers, no high-watermark events for listeners that ignore them) 130.3-153.6 ms
// (median 137.9, 215 us): 0.92x. A second series on a busier machine, 4 each: main 177.0-188.2 ms (median 183.9),
// the branch 146.6-189.7 ms (median 160.9): 0.87x.
//
// 2026-12-07 (sbfast branch), other helpers' builds may have run meanwhile, `npm run bench --
// bench/sandbox-cold-produce.ts --rounds 4` from main's source (fba46d2) and from the branch in turn, 4 times each
// (16 rounds a build): main 111.9-129.7 ms (median 117.8, 184 us a request), the branch 99.3-112.2 ms (median 102.8,
// 161 us): 0.87x. What changed: followers with no replication delay copy an append at once (what their end-of-turn
// fetch did), so an acks=all answer is decided in the same turn and Produce, the dispatcher and the connection make
// no promise, async frame or closure for it; batch headers are read without BigInts; fewer lists, iterators and
// result objects per request. Under the app bench's load (6 partitions, acks=all idempotent, 100 B records, ~2
// partitions a request; a heap-sampling preload in the sandbox child, 300,000 records) the child allocated 23.5 KB
// per Produce request on main and 10.4 KB on the branch, with 14 scavenges instead of 25 over 600,000 records; the
// child's CPU per request once warm (600,000 records through a plain engine loop, 5 interleaved runs each, /proc
// ticks) main 226-246 us (median 236), the branch 187-222 us (median 202): 0.86x. The app bench's child figure
// (`npm run bench -- bench/app-bench-vs-engine.ts --rounds 3`, twice per build, interleaved) did not resolve it:
// sandbox child us/rec, app/plain loop medians, main 0.75/0.56 and 0.63/0.54, the branch 0.74/0.63 and 0.68/0.56
// (10 ms ticks over ~0.15 s per run); app/plain rate medians main 0.90 and 0.95, the branch 0.85 and 0.88; two more
// each: child main 0.65/0.65 and 0.61/0.47, the branch 0.66/0.60 and 0.75/0.58; app/plain main 0.89 and 0.85, the
// branch 0.91 and 0.90: within its noise. One child serving 8 topics in turn (300,000 records each, 3 interleaved
// runs a build), us per request: the first topic main 275-315, the branch 216-246; by the last ones both 137-187.
// So the cut is largest while V8 is cold (this bench, the TUI's first seconds) and a few % once all is optimized.
// Of the ~100 ms left here, the socket write of each answer (kernel loopback) is the largest item of a CPU profile;
// in the JS, encoding the answer (wire/produce-broker-codec.ts, Writer.compactString's Buffer.from per topic name)
// costs half to two thirds of what validating and appending the batch does.
// 2026-12-07, lead, after merging (plus short wire strings written without a Buffer and the Produce answer's encoder
// without iterators), quiet machine, `--rounds 4` 3 times each from this checkout and from the session's starting
// build (a6d35ca), interleaved: 110.9-122.0 ms (median 115.5, 180 us a request) against 125.4-138.9 ms (median 130.9,
// 205 us): 0.88x.
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sandbox } from '../src/sandbox/sandbox.js';
import { encodeRequest } from '../src/wire/protocol.js';
import { buildRecordBatch } from '../src/wire/record-batch-builder.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const REQUESTS = arg('requests', 640);
const ROUNDS = arg('rounds', 1);
const CHILD = '--cold-produce-round';

/** The client: plain CommonJS with no imports of ours, so its process does nothing but send and read. */
const CLIENT = `
const net = require('node:net');
const frame = Buffer.from(process.argv[2], 'hex');
const [host, port] = process.argv[3].split(':');
const n = Number(process.argv[4]);
let sent = 0, buf = Buffer.alloc(0);
const s = net.connect({ host, port: Number(port) }, () => { process.send('start'); next(); });
function next() {
  if (sent === n) { process.send('done'); s.destroy(); return; }
  frame.writeInt32BE(++sent, 8); // the correlation id
  s.write(frame);
}
s.on('data', (c) => {
  buf = Buffer.concat([buf, c]);
  while (buf.length >= 4 && buf.length >= 4 + buf.readInt32BE(0)) { buf = buf.subarray(4 + buf.readInt32BE(0)); next(); }
});
`;

/** One round in this (fresh) process: CPU ms of this process while it serves the requests. */
async function round(): Promise<void> {
  const sandbox = await Sandbox.start({ port: 0 });
  sandbox.cluster.createTopic('cold', 1, 3);
  const leader = sandbox.cluster.partition('cold', 0)!.leader;
  const address = sandbox.addresses()[[...sandbox.cluster.brokers.keys()].sort((a, b) => a - b).indexOf(leader)];
  const now = Date.now();
  const records = Array.from({ length: 6 }, (_, i) => ({ key: Buffer.from('key'), value: Buffer.alloc(100, i), headers: [], timestamp: now }));
  const batch = buildRecordBatch(records);
  const body = { transactionalId: null, acks: -1, timeoutMs: 30_000, topicData: [{ name: 'cold', partitionData: [{ index: 0, records: batch }] }] };
  const frame = encodeRequest(0, 9, 1, 'cold-produce', body);
  const dir = mkdtempSync(join(tmpdir(), 'kptui-cold-'));
  const clientFile = join(dir, 'client.cjs');
  writeFileSync(clientFile, CLIENT);
  const child = fork(clientFile, [frame.toString('hex'), address, String(REQUESTS)]);
  let cpu0 = process.cpuUsage();
  await new Promise<void>((resolve) => {
    child.on('message', (m) => {
      if (m === 'start') cpu0 = process.cpuUsage();
      if (m !== 'done') return;
      const d = process.cpuUsage(cpu0);
      const ms = (d.user + d.system) / 1000;
      const hw = sandbox.cluster.partition('cold', 0)!.highWatermark;
      console.log(`${ms.toFixed(1)} ms CPU for ${REQUESTS} requests (${((ms * 1000) / REQUESTS).toFixed(0)} us each; high watermark ${hw})`);
      resolve();
    });
  });
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
}

if (process.argv.includes(CHILD)) {
  await round();
  process.exit(0);
} else {
  console.log(`built-in cluster, ${REQUESTS} acks=all Produce requests one at a time, each round in a fresh process`);
  for (let i = 0; i < ROUNDS; i++) {
    const child = fork(process.argv[1], [...process.argv.slice(2), CHILD], { execArgv: process.execArgv });
    await new Promise((resolve) => child.on('exit', resolve));
  }
}
