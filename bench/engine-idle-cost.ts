// The engine's own CPU at a low steady rate (the TUI's case: 1,000 records/s), apart from the UI: records paced in
// ticks (default 10 ms) through produce(), on a sandbox child; prints the CPU share of one core and the timers and
// wakeups per second behind it.
//   npm run bench -- bench/engine-idle-cost.ts [--rate 1000] [--seconds 10] [--tick 10]
import type { OutgoingRecord } from '../src/kafka/producer/engine-types.js';
import { ProducerEngine } from '../src/kafka/producer/producer-engine.js';
import { runBench, spawnSandboxChild } from './sandbox-child.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};

async function main(): Promise<void> {
  const rate = arg('--rate', 1000);
  const seconds = arg('--seconds', 10);
  const tick = arg('--tick', 10);
  const { child, brokers } = await spawnSandboxChild();
  try {
    const engine = await ProducerEngine.start({ brokers: brokers, settings: { acks: 'all', 'enable.idempotence': true, 'linger.ms': 5 } });
    let seq = 0;
    const rec = (): OutgoingRecord => ({ topic: 'idle', key: Buffer.from(`k${seq % 50}`), value: Buffer.alloc(100, 65), headers: [{ key: 'kpt', value: `r:${seq++}` }] });
    let acked = 0;
    const timer = setInterval(() => {
      for (let i = 0; i < (rate * tick) / 1000; i++) engine.produce(rec(), () => acked++);
    }, tick);
    await new Promise((r) => setTimeout(r, 2000));
    const requests0 = engine.counters.requests;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const cpu = process.cpuUsage(cpu0);
    const wall = (performance.now() - t0) / 1000;
    clearInterval(timer);
    console.log(`${rate} rec/s in ${tick} ms ticks: engine process CPU ${(((cpu.user + cpu.system) / 1e6 / wall) * 100).toFixed(1)}% of one core (user ${((cpu.user / 1e6 / wall) * 100).toFixed(1)}%, system ${((cpu.system / 1e6 / wall) * 100).toFixed(1)}%), ${((engine.counters.requests - requests0) / wall).toFixed(0)} Produce requests/s, acked ${acked}`);
    await engine.close();
  } finally {
    child.kill('SIGTERM');
  }
}

await runBench(main);
