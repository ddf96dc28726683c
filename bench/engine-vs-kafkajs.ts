// Throughput of the instrumented engine (accumulator, partitioner, sender, wire monitor, delivery reports) against a
// plain kafkajs sendBatch loop sending the same batches to the same sandbox, measured in the same run. The sandbox
// runs in its own process, so both clients get this process to themselves. Target: engine / kafkajs >= 0.9.
//
//   npm run bench -- bench/engine-vs-kafkajs.ts [--records 200000] [--record-size 100] [--partitions 6] [--rounds 3]
//     [--kafkajs-sockets nodelay|default]   (default: nodelay, as the engine; "default" keeps kafkajs's Nagle on)
//
// Like with like: the engine runs first; its average records per partition batch is what the kafkajs loop puts per
// partition in each sendBatch call (all partitions per call, so one Produce per broker, as the engine sends), with
// as many calls outstanding as the engine may have requests in flight per broker. Both send the same records
// (null key, the same value, no headers, a create-time timestamp, a fresh message object per record), with the
// same acks, idempotence, max.in.flight, compression (none) and request timeout, over sockets set up alike
// (keep-alive, Nagle off, as the engine's socketFactory does: notes/kafkajs.md §2.3). linger.ms and batch.size
// exist only in the engine; the kafkajs loop gets their outcome, the measured batch size. The engine reports every
// record (produce() callbacks, no promise per record). Rounds alternate engine and kafkajs on fresh topics; the
// best round of each is reported. Profile with: npx node --cpu-prof bench/run.mjs bench/engine-vs-kafkajs.ts ...
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { Kafka, logLevel, Partitioners, type ISocketFactory, type Message } from 'kafkajs';
import type { DeliveryReport, OutgoingRecord } from '../src/kafka/producer/engine-types.js';
import { ProducerEngine } from '../src/kafka/producer/producer-engine.js';
import type { ProducerSettings } from '../src/kafka/producer/config/settings.js';
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
  /** The kafkajs loop's sockets: Nagle off as the engine's (like with like), or kafkajs's own default (Nagle on). */
  kafkajsSockets: 'nodelay' | 'default';
}

interface Config {
  name: string;
  settings: Partial<ProducerSettings>;
}

/** linger.ms and batch.size at Kafka's defaults, spelled out; idempotent kafkajs holds one request per broker. */
const COMMON: Partial<ProducerSettings> = { 'linger.ms': 5, 'batch.size': 16384, 'compression.type': 'none' };
const CONFIGS: Config[] = [
  { name: 'acks=all idempotent', settings: { ...COMMON, acks: 'all', 'enable.idempotence': true, 'max.in.flight.requests.per.connection': 5 } },
  { name: 'acks=1 max.in.flight=5', settings: { ...COMMON, acks: 1, 'enable.idempotence': false, 'max.in.flight.requests.per.connection': 5 } },
];

/** What both clients send with, read back from the engine's effective settings. */
interface Shared {
  acks: -1 | 0 | 1;
  idempotent: boolean;
  inFlight: number;
  timeoutMs: number;
}

/** kafkajs's own socket, plus what the engine's socketFactory adds: Nagle off. */
const plainSocket: ISocketFactory = ({ host, port, onConnect }) => {
  const socket = net.connect({ host, port }, onConnect);
  socket.setKeepAlive(true, 60_000);
  socket.setNoDelay(true);
  return socket;
};

function parseOptions(argv: string[]): Options {
  const opts: Options = { records: 200_000, recordSize: 100, partitions: 6, rounds: 3, kafkajsSockets: 'nodelay' };
  for (let i = 0; i < argv.length; i += 2) {
    if (argv[i] === '--kafkajs-sockets') {
      if (argv[i + 1] !== 'nodelay' && argv[i + 1] !== 'default') throw new Error(`--kafkajs-sockets is nodelay or default, got "${argv[i + 1]}"`);
      opts.kafkajsSockets = argv[i + 1] as Options['kafkajsSockets'];
      continue;
    }
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
  shared: Shared;
}

async function runEngine(brokers: string[], kafka: Kafka, topic: string, cfg: Config, opts: Options): Promise<EngineRun> {
  await createTopic(kafka, topic, opts.partitions);
  const engine = await ProducerEngine.start({ brokers, settings: cfg.settings });
  const s = engine.settings;
  const shared: Shared = { acks: s.acks === 'all' ? -1 : s.acks, idempotent: s['enable.idempotence'], inFlight: s['max.in.flight.requests.per.connection'], timeoutMs: s['request.timeout.ms'] };
  const value = Buffer.alloc(opts.recordSize, 65);
  const record: OutgoingRecord = { topic, key: null, value, headers: [] };
  const send = (n: number) =>
    new Promise<void>((resolve, reject) => {
      let issued = 0;
      let done = 0;
      const onReport = (r: DeliveryReport) => {
        if (r.error) reject(new Error(`engine send failed: ${r.error.message}`));
        else if (++done === n) resolve();
        else pump();
      };
      const pump = () => {
        while (issued < n && issued - done < WINDOW) {
          issued++;
          engine.produce(record, onReport);
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
  return { recordsPerSec: opts.records / seconds, recordsPerBatch: records / batches, recordsPerRequest: records / requests, shared };
}

async function runKafkajs(kafka: Kafka, topic: string, shared: Shared, opts: Options, perBatch: number): Promise<number> {
  await createTopic(kafka, topic, opts.partitions);
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: shared.idempotent, maxInFlightRequests: shared.inFlight });
  await producer.connect();
  const value = Buffer.alloc(opts.recordSize, 65);
  // A fresh message per record with its create time, as the engine hands kafkajs.
  const call = (records: number) => {
    const timestamp = String(Date.now());
    const messages: Message[] = [];
    for (let i = 0; i < records; i++) messages.push({ key: null, value, partition: Math.floor(i / perBatch) % opts.partitions, timestamp });
    return { topicMessages: [{ topic, messages }], acks: shared.acks, timeout: shared.timeoutMs };
  };
  const perCall = perBatch * opts.partitions;
  const run = async (n: number) => {
    const calls = Math.ceil(n / perCall);
    let next = 0;
    // idempotent kafkajs holds one request per broker anyway; otherwise as many calls as requests in flight.
    const worker = async () => {
      while (next < calls) {
        const i = next++;
        await producer.sendBatch(call(i === calls - 1 ? n - (calls - 1) * perCall : perCall));
      }
    };
    await Promise.all(Array.from({ length: shared.idempotent ? 1 : shared.inFlight }, worker));
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
  const kafka = new Kafka({ clientId: 'bench-kafkajs', brokers: bootstrap, logLevel: logLevel.NOTHING, ...(opts.kafkajsSockets === 'nodelay' ? { socketFactory: plainSocket } : {}) });
  console.log(`${opts.records} records of ${opts.recordSize} B, ${opts.partitions} partitions, 3-broker sandbox in its own process, ${opts.rounds} round(s), Node ${process.version}`);
  console.log(
    'Like with like: the same records (null key, one value, no headers, create-time timestamp, a new message object each), the same ' +
      `acks, idempotence, max.in.flight, compression (none) and request timeout, ${opts.kafkajsSockets === 'nodelay' ? 'the same sockets (Nagle off)' : "kafkajs's default sockets (Nagle on; the engine turns it off)"}; the kafkajs loop puts ` +
      "the engine's measured records per batch in each partition of every sendBatch call (linger.ms and batch.size exist only in the engine). " +
      'The engine reports every record through produce() callbacks.',
  );
  console.log('config                    engine rec/s   kafkajs rec/s   ratio   records/batch   records/request (engine)   settings');
  try {
    for (const cfg of CONFIGS) {
      let bestEngine: EngineRun | null = null;
      let bestKafkajs = 0;
      for (let round = 0; round < opts.rounds; round++) {
        const tag = `${CONFIGS.indexOf(cfg)}-${round}`;
        const e = await runEngine(bootstrap, kafka, `engine-${tag}`, cfg, opts);
        const k = await runKafkajs(kafka, `kafkajs-${tag}`, e.shared, opts, Math.max(1, Math.round(e.recordsPerBatch)));
        if (!bestEngine || e.recordsPerSec > bestEngine.recordsPerSec) bestEngine = e;
        bestKafkajs = Math.max(bestKafkajs, k);
      }
      const e = bestEngine!;
      const sh = e.shared;
      const inFlight = sh.idempotent ? `${sh.inFlight} (1 per broker while idempotent, in both)` : String(sh.inFlight);
      const settings = `both: acks=${sh.acks} idempotent=${sh.idempotent} max.in.flight=${inFlight} compression=none; engine: linger.ms=${cfg.settings['linger.ms']} batch.size=${cfg.settings['batch.size']}`;
      console.log(
        `${cfg.name.padEnd(24)}  ${e.recordsPerSec.toFixed(0).padStart(12)}   ${bestKafkajs.toFixed(0).padStart(13)}   ${(e.recordsPerSec / bestKafkajs).toFixed(2).padStart(5)}   ${e.recordsPerBatch.toFixed(1).padStart(13)}   ${e.recordsPerRequest.toFixed(1).padStart(24)}   ${settings}`,
      );
    }
  } finally {
    child.kill('SIGTERM');
  }
}

if (process.argv[2] === CHILD_FLAG) await serveSandboxChild(Number(process.argv[3]), Number(process.argv[4]), Number(process.argv[5]));
else await main();
