// The app's bench alone on a sandbox child, for profiling:  node --cpu-prof bench/run.mjs bench/app-bench-profile.ts
import { spawn } from 'node:child_process';
import { runProducerBench } from '../src/kafka/workload/producer-bench.js';
import { serveSandboxChild } from './sandbox-child.js';

async function main(): Promise<void> {
  const child = spawn(process.execPath, [process.argv[1], '--sandbox-child'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const bootstrap = await new Promise<string>((resolve) => {
    let text = '';
    child.stdout!.on('data', (d: Buffer) => {
      const m = /^bootstrap (\S+)$/m.exec((text += d.toString()));
      if (m) resolve(m[1]);
    });
  });
  try {
    const r = await runProducerBench({ brokers: bootstrap.split(','), topic: 'p', records: 200_000, recordSize: 100, throughput: null, settings: { acks: 'all', 'enable.idempotence': true } });
    console.log(r.totalLine);
  } finally {
    child.kill('SIGTERM');
  }
}

if (process.argv[2] === '--sandbox-child') await serveSandboxChild(3, 6, 64 * 1024 * 1024);
else await main();
