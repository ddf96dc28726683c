// `kafka-producer-tui bench`: flag parsing and the cluster; the benchmark itself is kafka/producer-bench.ts.
// Text output follows kafka-producer-perf-test's lines on stdout; notes and warnings go to stderr.
import { runProducerBench } from '../kafka/workload/producer-bench.js';
import { ensureTopic } from '../kafka/cluster/topic-setup.js';
import type { ClusterHandle } from '../kafka/cluster/cluster-handle.js';
import type { ConnectionSecurity } from '../kafka/cluster/connection-config.js';
import { openCluster } from '../kafka/cluster/open-cluster.js';
import { connectionFromFlags, parseBrokers, securityFlagsHelp, securityMeowFlags } from './connection-flags.js';
import { parseCommandLine } from './exact-flags.js';
import { producerFlagsHelp, producerMeowFlags, producerSettingsFromFlags } from './producer-flags.js';

const HELP = `
  Usage
    $ kafka-producer-tui bench [--records N] [--record-size B] [--throughput R] [producer settings] [--json] [--brokers h:p,...]

  Producer benchmark on the built-in cluster (started in this process), or on a real cluster with --brokers.
  Prints kafka-producer-perf-test's lines: one every 5 seconds and a total with latency percentiles.
  Exit code 0 when every record was acknowledged, 1 when some failed or the cluster could not be used,
  2 for a bad flag.

  Options
    --records N        records to send (default 100000)
    --record-size B    bytes per record value, random capital letters (default 100)
    --throughput R     at most R records per second; -1 for no limit (default -1)
    --topic NAME       topic to produce to (default kpt-bench); created if missing
    --partitions N     partitions when the topic is created (default 6)
    --brokers h:p,...  a real cluster's bootstrap servers instead of the built-in cluster
    --json             print one JSON object instead of the text lines

  With --brokers: security (user and password only from the environment)
${securityFlagsHelp(4)}

  Producer settings (Kafka's names)
${producerFlagsHelp(4)}

  Examples
    $ kafka-producer-tui bench --records 200000 --linger-ms 20 --compression lz4
    $ kafka-producer-tui bench --acks 1 --no-idempotent --json
`;

export interface BenchFlags {
  records: number;
  recordSize: number;
  throughput: number | null;
  topic: string;
  partitions: number;
  brokers: string[] | null;
}

function wholeNumber(flag: string, text: string, min: number, max: number): number | string {
  const t = text.trim();
  if (!/^\d[\d_]*$/.test(t)) return `${flag} must be a whole number from ${min} to ${max}; got '${text}'`;
  const n = Number(t.replaceAll('_', ''));
  return n < min || n > max ? `${flag} must be a whole number from ${min} to ${max}; got ${n}` : n;
}

/** Checks the bench's own flags; every problem is reported. */
export function validateBenchFlags(raw: { records: string; recordSize: string; throughput: string; topic: string; partitions: string; brokers?: string }): BenchFlags | string[] {
  const errors: string[] = [];
  const records = wholeNumber('--records', raw.records, 1, 1_000_000_000);
  const recordSize = wholeNumber('--record-size', raw.recordSize, 1, 10 * 1024 * 1024);
  const partitions = wholeNumber('--partitions', raw.partitions, 1, 10_000);
  let throughput: number | string | null = null;
  if (raw.throughput.trim() !== '-1') {
    throughput = wholeNumber('--throughput', raw.throughput, 1, 10_000_000);
    if (typeof throughput === 'string') throughput += ' (or -1 for no limit)';
  }
  for (const v of [records, recordSize, partitions, throughput]) if (typeof v === 'string') errors.push(v);
  const topic = raw.topic.trim();
  if (!/^[A-Za-z0-9._-]{1,249}$/.test(topic)) errors.push(`--topic must be 1-249 letters, digits, '.', '_' or '-'; got '${raw.topic}'`);
  let brokers: string[] | null = null;
  if (raw.brokers !== undefined) {
    const parsed = parseBrokers(raw.brokers);
    if (typeof parsed === 'string') errors.push(parsed);
    else brokers = parsed;
  }
  if (errors.length > 0) return errors;
  return { records: records as number, recordSize: recordSize as number, throughput: throughput as number | null, topic, partitions: partitions as number, brokers };
}

export interface BenchIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

const processIo: BenchIo = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };

const BENCH_FLAGS = {
  ...producerMeowFlags,
  records: { type: 'string', default: '100000' },
  recordSize: { type: 'string', default: '100' },
  throughput: { type: 'string', default: '-1' },
  topic: { type: 'string', default: 'kpt-bench' },
  partitions: { type: 'string', default: '6' },
  brokers: { type: 'string' },
  json: { type: 'boolean', default: false },
  ...securityMeowFlags,
} as const;

export async function run(argv: string[], importMeta: ImportMeta, io: BenchIo = processIo): Promise<number> {
  const cli = parseCommandLine('kafka-producer-tui bench', HELP, BENCH_FLAGS, argv, importMeta);
  if (!cli.ok) {
    io.err(`kafka-producer-tui bench: ${cli.message}\n`);
    return 2;
  }
  if (cli.input.length > 0) {
    io.err(`kafka-producer-tui bench: unexpected argument '${cli.input[0]}' (see --help)\n`);
    return 2;
  }
  const f = cli.flags as Record<string, unknown>;
  const own = validateBenchFlags({
    records: String(f.records),
    recordSize: String(f.recordSize),
    throughput: String(f.throughput),
    topic: String(f.topic),
    partitions: String(f.partitions),
    brokers: f.brokers === undefined ? undefined : String(f.brokers),
  });
  const producer = producerSettingsFromFlags(f, argv);
  const connection = connectionFromFlags(f, f.brokers !== undefined);
  const errors = [...(Array.isArray(own) ? own : []), ...(producer.ok ? [] : producer.errors), ...(typeof connection === 'string' ? [connection] : [])];
  if (errors.length > 0 || Array.isArray(own) || !producer.ok || typeof connection === 'string') {
    for (const e of errors) io.err(`kafka-producer-tui bench: ${e}\n`);
    return 2;
  }
  for (const w of [...producer.warnings, ...connection.security.warnings]) io.err(`warning: ${w}\n`);
  return bench(own, producer.settings, Boolean(f.json), io, connection.security);
}

async function bench(
  flags: BenchFlags,
  settings: Parameters<typeof runProducerBench>[0]['settings'],
  json: boolean,
  io: BenchIo,
  security: ConnectionSecurity,
): Promise<number> {
  let cluster: ClusterHandle | null = null;
  try {
    cluster = await openCluster({ brokers: flags.brokers ?? undefined, sandbox: true, sandboxPort: 0, security, containerControl: false });
    const brokers = cluster.brokers;
    if (cluster.kind === 'sandbox' && !json) io.err(`built-in cluster: ${brokers.join(',')} (3 brokers in this process)\n`);
    try {
      await ensureTopic(cluster.client, flags.topic, { partitions: flags.partitions, replicationFactor: 3, minInsyncReplicas: 2 });
    } catch (e) {
      io.err(`kafka-producer-tui bench: cannot use the cluster at ${brokers.join(',')}: ${(e as Error).message}\n`);
      return 1;
    }
    const result = await runProducerBench({
      brokers,
      ...cluster.client.security,
      topic: flags.topic,
      records: flags.records,
      recordSize: flags.recordSize,
      throughput: flags.throughput,
      settings,
      onWindow: json ? undefined : (line) => io.out(`${line}\n`),
    });
    if (json) io.out(`${JSON.stringify(result.report)}\n`);
    else io.out(`${result.totalLine}\n`);
    if (result.report.errors > 0) {
      io.err(`${result.report.errors} of ${flags.records} records failed; the first: ${result.firstError}\n`);
      return 1;
    }
    return 0;
  } catch (e) {
    io.err(`kafka-producer-tui bench: ${(e as Error).message}\n`);
    return 1;
  } finally {
    await cluster?.close();
  }
}
