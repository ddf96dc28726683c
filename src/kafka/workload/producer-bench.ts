/**
 * The producer benchmark behind `kafka-producer-tui bench` and the bench/ scripts: N records of B bytes (null
 * keys, random capital letters, as kafka-producer-perf-test sends), at most R per second, through the engine
 * with the given settings; perf-test's statistics plus what only our engine can tell (requests, records per
 * request, batch size, retries). The report has the stable field names of the command-line contract (README).
 */
import type { ConnectionOptions } from '../producer/sender/connection-options.js';
import { PerfStats, type LatencySummary } from './perf-stats.js';
import { ProducerEngine, type EngineOptions } from '../producer/producer-engine.js';
import type { ProducerSettings } from '../producer/config/settings.js';
import { Workload } from './workload.js';
import { KafkaMetrics, roundedMetrics, type KafkaMetricValues } from '../producer/metrics/kafka-metrics.js';

export interface BenchOptions extends ConnectionOptions {
  topic: string;
  records: number;
  recordSize: number;
  /** Records per second; null for as fast as possible (perf-test's --throughput -1). */
  throughput: number | null;
  settings: Partial<ProducerSettings>;
  /** Fresh random letters per record instead of one payload reused (see RecordSpec.randomFill). */
  randomFill?: boolean;
  /** Gets perf-test's window line every reportIntervalMs (default 5000, as perf-test). */
  onWindow?: (line: string) => void;
  reportIntervalMs?: number;
  engine?: Pick<EngineOptions, 'brokerStates' | 'offsets'>;
}

/** `--json` of `bench`: exactly these fields. */
export interface BenchReport {
  records: number;
  recordsPerSec: number;
  mbPerSec: number;
  latencyMs: LatencySummary;
  requests: number;
  recordsPerRequest: number;
  batchSizeAvg: number;
  retries: number;
  errors: number;
  settings: ProducerSettings;
  /** The producer's metrics under the Java producer's names; rates over the whole run. */
  kafkaMetrics: KafkaMetricValues;
}

export interface BenchResult {
  report: BenchReport;
  /** perf-test's final line. */
  totalLine: string;
  /** Bytes the producer wrote to the sockets (compressed batches, headers and all). */
  bytesOut: number;
  /** The first delivery error, to say why records failed. */
  firstError: string | null;
}

const round = (v: number, digits: number) => Number(v.toFixed(digits));

export async function runProducerBench(opts: BenchOptions): Promise<BenchResult> {
  const engine = await ProducerEngine.start({ ...opts, ...opts.engine, settings: opts.settings });
  try {
    const created = Workload.create(
      engine,
      { topic: opts.topic, key: { kind: 'null' }, value: '', format: 'string', recordSize: opts.recordSize, randomFill: opts.randomFill },
      // A short tick paces a throughput limit smoothly, like perf-test's per-record throttle, not in bursts.
      { tickMs: 2 },
    );
    if (!created.ok) throw new Error(created.errors.join('; '));
    const workload = created.workload;
    // A window longer than any run: the rates are over the whole run, from this first sample.
    const metrics = new KafkaMetrics(engine, Number.MAX_SAFE_INTEGER);
    let firstError: string | null = null;
    const stats = new PerfStats();
    workload.onBatch((d) => {
      if (d.error) {
        const e = d.report(0).error!;
        firstError ??= e.code ? `${e.code}: ${e.message}` : e.message;
      }
      for (let i = 0; i < d.count; i++) stats.record(d.latencyMs(i), d.bytes(i));
    });
    const timer = opts.onWindow ? setInterval(() => opts.onWindow!(stats.windowLine()), opts.reportIntervalMs ?? 5000) : null;
    timer?.unref();
    try {
      await workload.sendN(opts.records, { collect: false, ...(opts.throughput !== null ? { ratePerSec: opts.throughput } : {}) });
    } finally {
      if (timer) clearInterval(timer);
    }
    const t = stats.totals();
    const totalLine = stats.totalLine(t);
    stats.destroy();
    const c = engine.counters;
    const report: BenchReport = {
      records: t.records,
      recordsPerSec: round(t.recordsPerSec, 1),
      mbPerSec: round(t.mbPerSec, 2),
      latencyMs: {
        avg: round(t.latencyMs.avg, 2),
        max: round(t.latencyMs.max, 2),
        p50: round(t.latencyMs.p50, 2),
        p95: round(t.latencyMs.p95, 2),
        p99: round(t.latencyMs.p99, 2),
        p999: round(t.latencyMs.p999, 2),
      },
      requests: c.requests,
      recordsPerRequest: round(c.recordsPerRequest(), 2),
      // batch-size-avg: bytes per partition batch in each request, from the requests themselves (a fresh engine).
      batchSizeAvg: round(c.requestBatches === 0 ? 0 : c.requestBytes / c.requestBatches, 1),
      retries: c.retries,
      errors: workload.stats().failed,
      settings: engine.settings,
      kafkaMetrics: roundedMetrics(metrics.values()),
    };
    return { report, totalLine, bytesOut: engine.wire.bytesOut, firstError };
  } finally {
    await engine.close(10_000);
  }
}
