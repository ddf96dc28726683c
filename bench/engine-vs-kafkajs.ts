// Throughput of the instrumented engine (accumulator, partitioner, sender, wire monitor, delivery reports) against a
// plain kafkajs sendBatch loop sending the same batches to the same sandbox, measured in the same run. The sandbox
// runs in its own process, so both clients get this process to themselves. Target: engine / kafkajs >= 0.9.
//
//   npm run bench -- bench/engine-vs-kafkajs.ts [--records 200000] [--record-size 100] [--partitions 6] [--rounds 3]
//
// "The same batches": the engine runs first; its average records per partition batch is what the kafkajs loop puts
// per partition in each sendBatch call (all partitions per call, so one Produce per broker, as the engine sends),
// with as many calls outstanding as the engine may have requests in flight per broker. Rounds alternate engine and
// kafkajs on fresh topics; the best round of each is reported. Profile with: npx node --cpu-prof bench/run.mjs ...
import { spawn, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import type { OutgoingRecord } from '../src/kafka/engine-types.js';
import { ProducerEngine } from '../src/kafka/producer-engine.js';
import type { ProducerSettings } from '../src/kafka/settings.js';
import { serveSandboxChild } from './sandbox-child.js';

const CHILD_FLAG = '--sandbox-child';
const WINDOW = 10_000;
/** The sandbox's own default (64 MiB per partition): every round's records stay readable. */
const RETENTION_BYTES = 64 * 1024 * 1024;

interface Options {
  records: number;
  recordSize: number;
  partitions: number;
  rounds: number;
}

interface Config {
  name: string;
  settings: Partial<ProducerSettings>;
  acks: -1 | 1;
  idempotent: boolean;
  inFlight: number;
}

const CONFIGS: Config[] = [
  { name: 'acks=all idempotent', settings: {}, acks: -1, idempotent: true, inFlight: 1 },
  { name: 'acks=1 max.in.flight=5', settings: { acks: 1, 'enable.idempotence': false }, acks: 1, idempotent: false, inFlight: 5 },
];

function parseOptions(argv: string[]): Options {
  const opts: Options = { records: 200_000, recordSize: 100, partitions: 6, rounds: 3 };
  for (let i = 0; i < argv.length; i += 2) {
    const n = Number(argv[i + 1]);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${argv[i]} needs a positive integer, got "${argv[i + 1]}"`);
    if (argv[i] === '--records') opts.records = n;
    else if (argv[i] === '--record-size') opts.recordSize = n;
    else if (argv[i] === '--partitions') opts.partitions = n;
    else if (argv[i] === '--rounds') opts.rounds = n;
    else throw new Error(`unknown option ${argv[i]}`);
  }
  return opts;
}

async function startSandboxChild(partitions: number): Promise<{ bootstrap: string[]; child: ChildProcess }> {
  const child = spawn(process.execPath, [process.argv[1], CHILD_FLAG, '3', String(partitions), String(RETENTION_BYTES)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const bootstrap = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdout!.on('data', (d: Buffer) => {
      text += d.toString();
      const m = /^bootstrap (\S+)$/m.exec(text);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`sandbox child exited with ${code}`)));
  });
  return { bootstrap: bootstrap.split(','), child };
}

async function createTopic(kafka: Kafka, topic: string, partitions: number): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: partitions, replicationFactor: 3 }], waitForLeaders: true });
  await admin.disconnect();
}

interface EngineRun {
  recordsPerSec: number;
  recordsPerBatch: number;
  recordsPerRequest: number;
}

async function runEngine(brokers: string[], kafka: Kafka, topic: string, cfg: Config, opts: Options): Promise<EngineRun> {
  await createTopic(kafka, topic, opts.partitions);
  const engine = await ProducerEngine.start({ brokers, settings: cfg.settings });
  const value = Buffer.alloc(opts.recordSize, 65);
  const record: OutgoingRecord = { topic, key: null, value, headers: [] };
  const send = (n: number) =>
    new Promise<void>((resolve) => {
      let issued = 0;
      let done = 0;
      const pump = () => {
        while (issued < n && issued - done < WINDOW) {
          issued++;
          void engine.send(record).then((r) => {
            if (r.error) throw new Error(`engine send failed: ${r.error.message}`);
            if (++done === n) resolve();
            else pump();
          });
        }
      };
      pump();
    });
  await send(2000); // connections, metadata, JIT
  let records = 0;
  let batches = 0;
  let requests = 0;
  engine.on((e) => {
    if (e.t !== 'request') return;
    records += e.request.records;
    batches += e.request.batches;
    requests++;
  });
  const t0 = performance.now();
  await send(opts.records);
  const seconds = (performance.now() - t0) / 1000;
  await engine.close();
  return { recordsPerSec: opts.records / seconds, recordsPerBatch: records / batches, recordsPerRequest: records / requests };
}

async function runKafkajs(kafka: Kafka, topic: string, cfg: Config, opts: Options, perBatch: number): Promise<number> {
  await createTopic(kafka, topic, opts.partitions);
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: cfg.idempotent, maxInFlightRequests: cfg.inFlight });
  await producer.connect();
  const value = Buffer.alloc(opts.recordSize, 65);
  const call = (records: number) => {
    const messages = [];
    for (let i = 0; i < records; i++) messages.push({ partition: Math.floor(i / perBatch) % opts.partitions, value });
    return { topicMessages: [{ topic, messages }], acks: cfg.acks };
  };
  const perCall = perBatch * opts.partitions;
  const run = async (n: number) => {
    const calls = Math.ceil(n / perCall);
    const full = call(perCall);
    const last = call(n - (calls - 1) * perCall);
    let next = 0;
    // idempotent kafkajs holds one request per broker anyway; otherwise as many calls as requests in flight.
    const worker = async () => {
      while (next < calls) {
        const i = next++;
        await producer.sendBatch(i === calls - 1 ? last : full);
      }
    };
    await Promise.all(Array.from({ length: cfg.inFlight }, worker));
  };
  await run(2000);
  const t0 = performance.now();
  await run(opts.records);
  const seconds = (performance.now() - t0) / 1000;
  await producer.disconnect();
  return opts.records / seconds;
}

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  const { bootstrap, child } = await startSandboxChild(opts.partitions);
  const kafka = new Kafka({ clientId: 'bench-kafkajs', brokers: bootstrap, logLevel: logLevel.NOTHING });
  console.log(`${opts.records} records of ${opts.recordSize} B, ${opts.partitions} partitions, 3-broker sandbox in its own process, ${opts.rounds} round(s), Node ${process.version}`);
  console.log('config                    engine rec/s   kafkajs rec/s   ratio   records/batch   records/request (engine)');
  try {
    for (const cfg of CONFIGS) {
      let bestEngine: EngineRun | null = null;
      let bestKafkajs = 0;
      for (let round = 0; round < opts.rounds; round++) {
        const tag = `${cfg.idempotent ? 'idem' : 'acks1'}-${round}`;
        const e = await runEngine(bootstrap, kafka, `engine-${tag}`, cfg, opts);
        const k = await runKafkajs(kafka, `kafkajs-${tag}`, cfg, opts, Math.max(1, Math.round(e.recordsPerBatch)));
        if (!bestEngine || e.recordsPerSec > bestEngine.recordsPerSec) bestEngine = e;
        bestKafkajs = Math.max(bestKafkajs, k);
      }
      const e = bestEngine!;
      console.log(
        `${cfg.name.padEnd(24)}  ${e.recordsPerSec.toFixed(0).padStart(12)}   ${bestKafkajs.toFixed(0).padStart(13)}   ${(e.recordsPerSec / bestKafkajs).toFixed(2).padStart(5)}   ${e.recordsPerBatch.toFixed(1).padStart(13)}   ${e.recordsPerRequest.toFixed(1).padStart(10)}`,
      );
    }
  } finally {
    child.kill('SIGTERM');
  }
}

if (process.argv[2] === CHILD_FLAG) await serveSandboxChild(Number(process.argv[3]), Number(process.argv[4]), Number(process.argv[5]));
else await main();
