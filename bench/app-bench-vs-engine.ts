// The app's own `bench` (the workload: generated records stamped with the two audit headers, kpt.run and kpt.seq,
// perf-test statistics) against a plain engine loop (one reused header-less record, produce() callbacks), on the
// same sandbox child, rounds interleaved. Targets: the app's bench within 10% of the plain loop's records/s, and its
// p99 latency at a paced 50,000 records/s within 1.5x of the plain loop's at the same pace. Also the CPU time per
// record of this process and of the sandbox child in the unpaced runs: steadier than rates on a busy machine. To tell
// the audit headers' bytes from the workload's own work, a third loop (not the target) sends the plain loop's record
// with two constant headers of the audit headers' size: more bytes, so fewer records per batch and request. Unpaced,
// each side runs twice per round (app, plain, plain, app: neither always runs first); the paced pair takes turns.
// Also what their requests carried (requests, records per request, bytes per partition batch), engines' counters.
//
//   npm run bench -- bench/app-bench-vs-engine.ts [--records 200000] [--rounds 3] [--paced 50000]
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { DeliveryReport, OutgoingRecord } from '../src/kafka/producer/engine-types.js';
import { ProducerEngine } from '../src/kafka/producer/producer-engine.js';
import { runProducerBench } from '../src/kafka/workload/producer-bench.js';
import { PerfStats } from '../src/kafka/workload/perf-stats.js';
import { runBench, spawnSandboxChild } from './sandbox-child.js';

const SETTINGS = { acks: 'all', 'enable.idempotence': true, 'linger.ms': 5 } as const;

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};

/** Plain engine loop: `n` records, at most `rate` per second (2 ms ticks, as the workload paces) or unpaced. */
/** CPU microseconds (user + system) of this process and of the sandbox child; the child's from /proc (Linux), in 10 ms ticks. */
function cpuMicros(child: ChildProcess): { self: number; child: number } {
  const u = process.cpuUsage();
  let childMicros = NaN;
  try {
    const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    childMicros = (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    // Not Linux: no figure for the child.
  }
  return { self: u.user + u.system, child: childMicros };
}

/** What the engine's requests carried: records per request, batches (partitions) per request, bytes per batch. */
interface Shape {
  requests: number;
  recordsPerRequest: number;
  batchesPerRequest: number;
  bytesPerBatch: number;
}

function shapeOf(c: { requests: number; requestRecords: number; requestBatches: number; requestBytes: number }, before: number[] = [0, 0, 0, 0]): Shape {
  const [req, rec, bat, byt] = [c.requests - before[0], c.requestRecords - before[1], c.requestBatches - before[2], c.requestBytes - before[3]];
  return { requests: req, recordsPerRequest: rec / req, batchesPerRequest: bat / req, bytesPerBatch: byt / bat };
}

interface Run {
  recordsPerSec: number;
  p99: number;
  shape?: Shape;
  /** CPU microseconds per record of the measured part: this process, the sandbox child. */
  cpuSelf: number;
  cpuChild: number;
}

/** Runs `measured` between two CPU readings. */
async function withCpu(child: ChildProcess, n: number, measured: () => Promise<{ recordsPerSec: number; p99: number }>): Promise<Run> {
  const before = cpuMicros(child);
  const r = await measured();
  const after = cpuMicros(child);
  return { ...r, cpuSelf: (after.self - before.self) / n, cpuChild: (after.child - before.child) / n };
}

/** Two constant headers the size of the audit headers (an 8-character run id, a 6-digit sequence). */
const HEADERS_LIKE_AUDIT = [
  { key: 'kpt.run', value: 'abcdefgh' },
  { key: 'kpt.seq', value: '100000' },
];

async function plainLoop(child: ChildProcess, brokers: string[], topic: string, n: number, rate: number | null, headers: OutgoingRecord['headers'] = []): Promise<Run> {
  const engine = await ProducerEngine.start({ brokers, settings: SETTINGS });
  const record: OutgoingRecord = { topic, key: null, value: Buffer.alloc(100, 65), headers };
  const stats = new PerfStats();
  try {
    const run = (count: number, record_: boolean) =>
      new Promise<number>((resolve, reject) => {
        let issued = 0;
        let done = 0;
        const t0 = performance.now();
        const onReport = (r: DeliveryReport) => {
          if (r.error) return reject(new Error(r.error.message));
          if (record_) stats.record(r.latencyMs, r.bytes);
          if (++done === count) resolve(count / ((performance.now() - t0) / 1000));
          else if (rate === null) pump();
        };
        const pump = () => {
          const allowed = rate === null ? count : Math.min(count, Math.floor(((performance.now() - t0) / 1000) * rate) + 1);
          while (issued < allowed && issued - done < 10_000) {
            issued++;
            engine.produce(record, onReport);
          }
          if (rate !== null && issued < count) setTimeout(pump, 2);
        };
        pump();
      });
    await run(2000, false);
    const c = engine.counters;
    const before = [c.requests, c.requestRecords, c.requestBatches, c.requestBytes];
    const r = await withCpu(child, n, async () => {
      const recordsPerSec = await run(n, true);
      return { recordsPerSec, p99: stats.totals().latencyMs.p99 };
    });
    return { ...r, shape: shapeOf(c, before) };
  } finally {
    stats.destroy();
    await engine.close();
  }
}

async function appBench(child: ChildProcess, brokers: string[], topic: string, n: number, rate: number | null): Promise<Run> {
  await runProducerBench({ brokers, topic, records: 2000, recordSize: 100, throughput: null, settings: SETTINGS });
  let shape: Shape | undefined;
  const run = await withCpu(child, n, async () => {
    const r = await runProducerBench({ brokers, topic, records: n, recordSize: 100, throughput: rate, settings: SETTINGS });
    if (r.report.errors > 0) throw new Error(`the app's bench failed ${r.report.errors} records: ${r.firstError}`);
    const { requests, recordsPerRequest, batchSizeAvg } = r.report;
    shape = { requests, recordsPerRequest, batchesPerRequest: NaN, bytesPerBatch: batchSizeAvg };
    return { recordsPerSec: r.report.recordsPerSec, p99: r.report.latencyMs.p99 };
  });
  return { ...run, shape };
}

/** The mean of two runs of one kind (the shape is the first's: the same in both). */
const meanRun = (x: Run, y: Run): Run => ({
  recordsPerSec: (x.recordsPerSec + y.recordsPerSec) / 2,
  p99: (x.p99 + y.p99) / 2,
  cpuSelf: (x.cpuSelf + y.cpuSelf) / 2,
  cpuChild: (x.cpuChild + y.cpuChild) / 2,
  shape: x.shape,
});

const mmm = (xs: number[], d = 0) => {
  const s = [...xs].sort((a, b) => a - b);
  return `${s[0].toFixed(d)}/${s[Math.floor(s.length / 2)].toFixed(d)}/${s.at(-1)!.toFixed(d)}`;
};

async function main(): Promise<void> {
  const records = arg('--records', 200_000);
  const rounds = arg('--rounds', 3);
  const paced = arg('--paced', 50_000);
  const { child, brokers } = await spawnSandboxChild();
  console.log(`${records} records of 100 B, 6 partitions, acks=all idempotent linger.ms=5, sandbox child, ${rounds} interleaved rounds, Node ${process.version}`);
  const ratio: number[] = [];
  const p99Ratio: number[] = [];
  const appRate: number[] = [];
  const plainRate: number[] = [];
  const appP99: number[] = [];
  const plainP99: number[] = [];
  const cpu = { app: [] as number[], plain: [] as number[], ratio: [] as number[], appChild: [] as number[], plainChild: [] as number[] };
  const withHeaders = { rate: [] as number[], cpu: [] as number[], child: [] as number[] };
  const shapes = { app: [] as Shape[], plain: [] as Shape[], headers: [] as Shape[] };
  try {
    for (let round = 0; round < rounds; round++) {
      // Whichever runs first after the paced pair pays for what that left behind (the sandbox child's and this
      // process's garbage: up to 0.5 us/rec of CPU on each side, measured both ways round). So each side runs twice,
      // app, plain, plain, app, and counts the mean of its two runs.
      const a1 = await appBench(child, brokers, `app-${round}`, records, null);
      const p1 = await plainLoop(child, brokers, `plain-${round}`, records, null);
      const p2 = await plainLoop(child, brokers, `plain-${round}-b`, records, null);
      const a2 = await appBench(child, brokers, `app-${round}-b`, records, null);
      const a = meanRun(a1, a2);
      const p = meanRun(p1, p2);
      cpu.app.push(a.cpuSelf);
      cpu.plain.push(p.cpuSelf);
      cpu.ratio.push(a.cpuSelf / p.cpuSelf);
      cpu.appChild.push(a.cpuChild);
      cpu.plainChild.push(p.cpuChild);
      const h = await plainLoop(child, brokers, `plain-headers-${round}`, records, null, HEADERS_LIKE_AUDIT);
      shapes.app.push(a.shape!);
      shapes.plain.push(p.shape!);
      shapes.headers.push(h.shape!);
      withHeaders.rate.push(h.recordsPerSec / p.recordsPerSec);
      withHeaders.cpu.push(h.cpuSelf);
      withHeaders.child.push(h.cpuChild);
      const f = (r: Run) => `${(r.recordsPerSec / 1000).toFixed(0)}k ${r.cpuSelf.toFixed(2)}/${r.cpuChild.toFixed(2)}`;
      console.log(`round ${round}: rec/s and cpu us/rec (this process/child) app ${f(a1)} plain ${f(p1)} plain ${f(p2)} app ${f(a2)}`);
      appRate.push(a.recordsPerSec);
      plainRate.push(p.recordsPerSec);
      ratio.push(a.recordsPerSec / p.recordsPerSec);
      // The paced pair takes turns going first.
      const appFirst = round % 2 === 0;
      const pp0 = appFirst ? null : await plainLoop(child, brokers, `plain-paced-${round}`, paced * 4, paced);
      const ap = await appBench(child, brokers, `app-paced-${round}`, paced * 4, paced);
      const pp = pp0 ?? (await plainLoop(child, brokers, `plain-paced-${round}`, paced * 4, paced));
      appP99.push(ap.p99);
      plainP99.push(pp.p99);
      p99Ratio.push(ap.p99 / pp.p99);
    }
  } finally {
    child.kill('SIGTERM');
  }
  console.log('min/median/max over the rounds');
  console.log(`unpaced rec/s   app bench ${mmm(appRate)}   plain engine loop ${mmm(plainRate)}   app/plain ${mmm(ratio, 2)}   (target >= 0.90)`);
  console.log(`unpaced cpu us/rec, this process   app bench ${mmm(cpu.app, 2)}   plain engine loop ${mmm(cpu.plain, 2)}   app/plain ${mmm(cpu.ratio, 2)}`);
  console.log(`unpaced cpu us/rec, sandbox child  app bench ${mmm(cpu.appChild, 2)}   plain engine loop ${mmm(cpu.plainChild, 2)}`);
  console.log(`the plain loop with two constant headers of the audit headers' size: rec/s vs the plain loop ${mmm(withHeaders.rate, 2)}, cpu us/rec this process ${mmm(withHeaders.cpu, 2)}, sandbox child ${mmm(withHeaders.child, 2)}`);
  for (const [name, xs] of Object.entries(shapes)) {
    console.log(`unpaced requests, ${name}: ${mmm(xs.map((x) => x.requests))}, records/request ${mmm(xs.map((x) => x.recordsPerRequest), 1)}, bytes/batch ${mmm(xs.map((x) => x.bytesPerBatch))}`);
  }
  console.log(`p99 ms at ${paced} rec/s   app bench ${mmm(appP99, 1)}   plain engine loop ${mmm(plainP99, 1)}   app/plain ${mmm(p99Ratio, 2)}   (target <= 1.5)`);
}

await runBench(main);
