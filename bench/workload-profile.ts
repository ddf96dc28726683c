// Profiles this process over unpaced runs of one side of app-bench-vs-engine (app | plain | headers), after warm-up
// passes, with the inspector's CPU profiler (only the measured runs), and prints CPU us/record. For finding where the
// app's per-record cost goes:  npm run bench -- bench/workload-profile.ts app /tmp/app.cpuprofile [--records 200000] [--runs 3]
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
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

function plainRun(engine: ProducerEngine, record: OutgoingRecord, count: number, stats: PerfStats): Promise<void> {
  return new Promise((resolve, reject) => {
    let issued = 0;
    let done = 0;
    const onReport = (r: DeliveryReport) => {
      if (r.error) return reject(new Error(r.error.message));
      stats.record(r.latencyMs, r.bytes);
      if (++done === count) resolve();
      else pump();
    };
    const pump = () => {
      while (issued < count && issued - done < 10_000) {
        issued++;
        engine.produce(record, onReport);
      }
    };
    pump();
  });
}

async function side(mode: string, brokers: string[], topic: string, n: number): Promise<void> {
  if (mode === 'app') {
    const r = await runProducerBench({ brokers, topic, records: n, recordSize: 100, throughput: null, settings: SETTINGS });
    if (r.report.errors > 0) throw new Error(r.firstError ?? 'errors');
    return;
  }
  const headers = mode === 'headers' ? [{ key: 'kpt', value: 'abcdefgh:100000' }] : [];
  const record: OutgoingRecord = { topic, key: null, value: Buffer.alloc(100, 65), headers };
  const stats = new PerfStats();
  const engine = await ProducerEngine.start({ brokers, settings: SETTINGS });
  try {
    await engine.partitionsReady(topic);
    await plainRun(engine, record, n, stats);
  } finally {
    await engine.close();
    stats.destroy();
  }
}

async function main(): Promise<void> {
  const [mode, out] = process.argv.slice(2);
  const n = arg('--records', 200_000);
  const runs = arg('--runs', 3);
  const { child, brokers } = await spawnSandboxChild();
  try {
    for (let i = 0; i < 3; i++) await side(mode, brokers, `warm-${i}`, n);
    const session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 100 });
    await session.post('Profiler.start');
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < runs; i++) await side(mode, brokers, `m-${i}`, n);
    const cpu = process.cpuUsage(cpu0);
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(out, JSON.stringify(profile));
    console.log(`${mode}: cpu us/rec ${((cpu.user + cpu.system) / (n * runs)).toFixed(3)}, rec/s ${((n * runs) / ((performance.now() - t0) / 1000)).toFixed(0)}`);
  } finally {
    child.kill('SIGTERM');
  }
}

await runBench(main);
