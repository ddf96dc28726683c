// The app's own `bench` (the workload: generated records stamped with the two audit headers, kpt.run and kpt.seq,
// perf-test statistics) against a plain engine loop (one reused header-less record, produce() callbacks), on the
// same sandbox child, rounds interleaved. Targets: the app's bench within 10% of the plain loop's records/s, and its
// p99 latency at a paced 50,000 records/s within 1.5x of the plain loop's at the same pace.
//
//   npm run bench -- bench/app-bench-vs-engine.ts [--records 200000] [--rounds 3] [--paced 50000]
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
async function plainLoop(brokers: string[], topic: string, n: number, rate: number | null): Promise<{ recordsPerSec: number; p99: number }> {
  const engine = await ProducerEngine.start({ brokers, settings: SETTINGS });
  const record: OutgoingRecord = { topic, key: null, value: Buffer.alloc(100, 65), headers: [] };
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
    const recordsPerSec = await run(n, true);
    return { recordsPerSec, p99: stats.totals().latencyMs.p99 };
  } finally {
    await engine.close();
  }
}

async function appBench(brokers: string[], topic: string, n: number, rate: number | null): Promise<{ recordsPerSec: number; p99: number }> {
  await runProducerBench({ brokers, topic, records: 2000, recordSize: 100, throughput: null, settings: SETTINGS });
  const r = await runProducerBench({ brokers, topic, records: n, recordSize: 100, throughput: rate, settings: SETTINGS });
  if (r.report.errors > 0) throw new Error(`the app's bench failed ${r.report.errors} records: ${r.firstError}`);
  return { recordsPerSec: r.report.recordsPerSec, p99: r.report.latencyMs.p99 };
}

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
  try {
    for (let round = 0; round < rounds; round++) {
      const a = await appBench(brokers, `app-${round}`, records, null);
      const p = await plainLoop(brokers, `plain-${round}`, records, null);
      appRate.push(a.recordsPerSec);
      plainRate.push(p.recordsPerSec);
      ratio.push(a.recordsPerSec / p.recordsPerSec);
      const ap = await appBench(brokers, `app-paced-${round}`, paced * 4, paced);
      const pp = await plainLoop(brokers, `plain-paced-${round}`, paced * 4, paced);
      appP99.push(ap.p99);
      plainP99.push(pp.p99);
      p99Ratio.push(ap.p99 / pp.p99);
    }
  } finally {
    child.kill('SIGTERM');
  }
  console.log('min/median/max over the rounds');
  console.log(`unpaced rec/s   app bench ${mmm(appRate)}   plain engine loop ${mmm(plainRate)}   app/plain ${mmm(ratio, 2)}   (target >= 0.90)`);
  console.log(`p99 ms at ${paced} rec/s   app bench ${mmm(appP99, 1)}   plain engine loop ${mmm(plainP99, 1)}   app/plain ${mmm(p99Ratio, 2)}   (target <= 1.5)`);
}

await runBench(main);
