// What linger.ms and compression.type do to a producer, as one table: records per second, records per request,
// p99 latency and bytes on the wire (every byte the producer wrote to its sockets, from the wire monitor) for
// linger.ms 0 / 5 / 20 x compression none / gzip / snappy / lz4 / zstd, with the same workload in every cell
// (null keys, values of random capital letters; unlike kafka-producer-perf-test, fresh letters in every record, so
// compression sees text-like data, not one payload repeated). Paced at 10,000 records/s by default: below the
// producer's limit, so linger.ms decides how records group (with no limit, batches fill whatever linger.ms says).
// The sandbox runs in its own process; each cell gets a fresh topic and a fresh engine.
//
//   npm run bench -- bench/linger-compression-table.ts [--records 20000] [--record-size 100] [--partitions 6]
//                                                      [--throughput 10000 | -1] [--acks all|1|0]
import type { ChildProcess } from 'node:child_process';
import { Kafka, logLevel } from 'kafkajs';
import { COMPRESSION_TYPES, type CompressionType } from '../src/kafka/producer/compression/compression.js';
import { runProducerBench } from '../src/kafka/workload/producer-bench.js';
import { parseSettingValue, type ProducerSettings } from '../src/kafka/producer/config/settings.js';
import { runBench, spawnSandboxChild } from './sandbox-child.js';

const LINGERS = [0, 5, 20];
const RETENTION_BYTES = 64 * 1024 * 1024;

interface Options {
  records: number;
  recordSize: number;
  partitions: number;
  throughput: number | null;
  acks: ProducerSettings['acks'];
}

function parseOptions(argv: string[]): Options {
  const opts: Options = { records: 20_000, recordSize: 100, partitions: 6, throughput: 10_000, acks: 'all' };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1] ?? ''];
    if (flag === '--acks') {
      const acks = parseSettingValue('acks', value);
      if (!acks.ok) throw new Error(acks.error);
      opts.acks = acks.value;
      continue;
    }
    const n = Number(value);
    if (flag === '--throughput' && n === -1) {
      opts.throughput = null;
      continue;
    }
    if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} needs a positive integer, got "${value}"`);
    if (flag === '--records') opts.records = n;
    else if (flag === '--record-size') opts.recordSize = n;
    else if (flag === '--partitions') opts.partitions = n;
    else if (flag === '--throughput') opts.throughput = n;
    else throw new Error(`unknown option ${flag}`);
  }
  return opts;
}

async function startSandboxChild(partitions: number): Promise<{ brokers: string[]; child: ChildProcess }> {
  const { child, brokers } = await spawnSandboxChild({ partitions, retentionBytes: RETENTION_BYTES });
  return { brokers: brokers, child };
}

const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(2);

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  const { brokers, child } = await startSandboxChild(opts.partitions);
  const admin = new Kafka({ clientId: 'bench-table', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  const payload = opts.records * opts.recordSize;
  console.log(
    `${opts.records} records of ${opts.recordSize} B (${mib(payload)} MiB of values), ${opts.partitions} partitions, acks=${opts.acks}, ` +
      `${opts.throughput === null ? 'no rate limit' : `${opts.throughput} records/s`}, Node ${process.version}`,
  );
  console.log('linger.ms  compression   records/s   records/request   p99 ms   wire MiB   wire/values');
  try {
    for (const linger of LINGERS) {
      for (const compression of COMPRESSION_TYPES as readonly CompressionType[]) {
        const topic = `table-${linger}-${compression}`;
        await admin.createTopics({ topics: [{ topic, numPartitions: opts.partitions, replicationFactor: 3 }], waitForLeaders: true });
        const r = await runProducerBench({
          brokers,
          topic,
          records: opts.records,
          recordSize: opts.recordSize,
          throughput: opts.throughput,
          randomFill: true,
          settings: { 'linger.ms': linger, 'compression.type': compression, acks: opts.acks, ...(opts.acks === 'all' ? {} : { 'enable.idempotence': false }) },
        });
        if (r.report.errors > 0) throw new Error(`${r.report.errors} records failed (${topic}): ${r.firstError}`);
        console.log(
          `${String(linger).padStart(9)}  ${compression.padEnd(11)} ${r.report.recordsPerSec.toFixed(0).padStart(10)}   ${r.report.recordsPerRequest.toFixed(1).padStart(15)}   ` +
            `${r.report.latencyMs.p99.toFixed(1).padStart(6)}   ${mib(r.bytesOut).padStart(8)}   ${(r.bytesOut / payload).toFixed(2).padStart(11)}`,
        );
      }
    }
  } finally {
    await admin.disconnect();
    child.kill('SIGTERM');
  }
}

await runBench(main);
