// A plain engine loop on a sandbox in its own process: N records of B bytes through produce() callbacks, with
// the given settings as JSON; prints records/s and what the requests carried. For profiling the engine alone:
//   npm run bench -- bench/engine-loop.ts [--records 20000] [--record-size 10240] [--settings '{"acks":1}'] [--headers 0|1]
//   (--headers 1: each record carries one header shaped like the workload's audit stamp, a fresh string each)
//   node --cpu-prof bench/run.mjs bench/engine-loop.ts ...
import { performance } from 'node:perf_hooks';
import type { DeliveryReport, OutgoingRecord } from '../src/kafka/producer/engine-types.js';
import { ProducerEngine } from '../src/kafka/producer/producer-engine.js';
import { runBench, spawnSandboxChild } from './sandbox-child.js';


async function main(): Promise<void> {
  const arg = (name: string, fallback: string) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : fallback;
  };
  const records = Number(arg('--records', '20000'));
  const size = Number(arg('--record-size', '10240'));
  const settings = JSON.parse(arg('--settings', '{}'));
  const { child, brokers } = await spawnSandboxChild({ retentionBytes: 256 * 1024 * 1024 });
  try {
    const engine = await ProducerEngine.start({ brokers: brokers, settings });
    const headers = Number(arg('--headers', '0'));
    const value = Buffer.alloc(size, 65);
    let seq = 0;
    const plain: OutgoingRecord = { topic: 'loop', key: null, value, headers: [] };
    // The audit stamp's shape, as a header object and a string per record (what the engine's sequence header avoids).
    const next = (): OutgoingRecord => (headers === 0 ? plain : { topic: 'loop', key: null, value, headers: [{ key: 'kpt', value: `3f9a2c1b:${seq++}` }] });
    const send = (n: number) =>
      new Promise<void>((resolve, reject) => {
        let issued = 0;
        let done = 0;
        const onReport = (r: DeliveryReport) => {
          if (r.error) reject(new Error(r.error.message));
          else if (++done === n) resolve();
          else pump();
        };
        const pump = () => {
          while (issued < n && issued - done < 10_000) {
            issued++;
            engine.produce(next(), onReport);
          }
        };
        pump();
      });
    await send(500);
    const c = engine.counters;
    const before = { requests: c.requests, records: c.requestRecords };
    const t0 = performance.now();
    await send(records);
    const s = (performance.now() - t0) / 1000;
    const requests = c.requests - before.requests;
    console.log(`${records} x ${size} B, ${headers} header(s): ${(records / s).toFixed(0)} rec/s, ${((records * size) / s / 1e6).toFixed(1)} MB/s, ${requests} requests, ${((c.requestRecords - before.records) / requests).toFixed(2)} records/request`);
    await engine.close();
  } finally {
    child.kill('SIGTERM');
  }
}

await runBench(main);
