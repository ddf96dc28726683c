// The app's bench alone on a sandbox child, for profiling:  node --cpu-prof bench/run.mjs bench/app-bench-profile.ts
import { runProducerBench } from '../src/kafka/workload/producer-bench.js';
import { runBench, spawnSandboxChild } from './sandbox-child.js';

async function main(): Promise<void> {
  const { child, brokers } = await spawnSandboxChild();
  try {
    const r = await runProducerBench({ brokers: brokers, topic: 'p', records: 200_000, recordSize: 100, throughput: null, settings: { acks: 'all', 'enable.idempotence': true } });
    console.log(r.totalLine);
  } finally {
    child.kill('SIGTERM');
  }
}

await runBench(main);
