// The producer's metrics under the Java producer's names (producer-metrics group), each with a one-line meaning,
// computed from the engine's counters. Totals and averages are since start; rates are per second over the last
// 30 s (Kafka's metrics.sample.window.ms), or over the whole run for the bench.
import type { EngineTotals } from '../engine-types.js';
import type { EngineCounters } from './engine-counters.js';

export const KAFKA_METRICS = [
  ['record-send-total', 'records acked (acks=0: records sent)'],
  ['record-send-rate', 'records sent per second'],
  ['record-error-total', 'records that failed for good'],
  ['record-error-rate', 'failed records per second'],
  ['record-retry-total', 'records sent again after an error'],
  ['record-retry-rate', 'retried records per second'],
  ['batch-split-total', 'batches too large for the topic, split'],
  ['batch-split-rate', 'batch splits per second'],
  ['request-latency-avg', 'ms from Produce request to response'],
  ['request-latency-max', 'slowest Produce request, ms'],
  ['record-queue-time-avg', 'ms a batch waited in the accumulator'],
  ['record-queue-time-max', 'longest accumulator wait, ms'],
  ['batch-size-avg', 'bytes per batch, before compression'],
  ['batch-size-max', 'largest batch, bytes'],
  ['records-per-request-avg', 'records per Produce request'],
  ['compression-rate-avg', 'bytes after / before compression'],
  ['outgoing-byte-rate', 'bytes per second sent to brokers'],
  ['request-rate', 'Produce requests per second'],
  ['requests-in-flight', 'requests awaiting a response now'],
  ['buffer-total-bytes', 'buffer.memory'],
  ['buffer-available-bytes', 'buffer.memory not held by batches'],
  ['bufferpool-wait-time-total', 'ms sends blocked on a full buffer'],
  ['waiting-threads', 'sends blocked on a full buffer now'],
  ['metadata-age', 's since metadata was refreshed'],
] as const;

export type KafkaMetricName = (typeof KAFKA_METRICS)[number][0];
export type KafkaMetricValues = Record<KafkaMetricName, number>;

/** What the metrics read; ProducerEngine has it all. */
export interface MetricsSource {
  totals(): EngineTotals;
  readonly counters: EngineCounters;
  readonly wire: { bytesOut: number; inFlightByBroker(): ReadonlyMap<string, number> };
  readonly metadata: { lastRefreshAt: number };
}

interface Sample {
  at: number;
  sent: number;
  errors: number;
  retries: number;
  splits: number;
  requests: number;
  bytesOut: number;
}

const WINDOW_MS = 30_000;

export class KafkaMetrics {
  private samples: Sample[] = [];
  /** bufferpool-wait-time-total: appends waiting for memory, integrated over time between samples. */
  private waitMs = 0;
  private lastWaiting = 0;

  constructor(
    private readonly source: MetricsSource,
    private readonly windowMs = WINDOW_MS,
    private readonly now: () => number = Date.now,
  ) {
    this.sample();
  }

  /** Takes a sample (call about once a second); rates come from the samples inside the window. */
  sample(): void {
    const at = this.now();
    const t = this.source.totals();
    const c = this.source.counters;
    const last = this.samples[this.samples.length - 1];
    if (last) this.waitMs += this.lastWaiting * (at - last.at);
    this.lastWaiting = t.waitingAppends;
    this.samples.push({ at, sent: t.acked, errors: t.failed, retries: t.retries, splits: c.batchSplits, requests: c.requests, bytesOut: this.source.wire.bytesOut });
    while (this.samples.length > 2 && at - this.samples[1].at >= this.windowMs) this.samples.shift();
  }

  values(): KafkaMetricValues {
    this.sample();
    const t = this.source.totals();
    const c = this.source.counters;
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    const secs = (last.at - first.at) / 1000;
    const rate = (k: keyof Omit<Sample, 'at'>) => (secs <= 0 ? 0 : (last[k] - first[k]) / secs);
    let inFlight = 0;
    for (const n of this.source.wire.inFlightByBroker().values()) inFlight += n;
    const refreshed = this.source.metadata.lastRefreshAt;
    return {
      'record-send-total': t.acked,
      'record-send-rate': rate('sent'),
      'record-error-total': t.failed,
      'record-error-rate': rate('errors'),
      'record-retry-total': t.retries,
      'record-retry-rate': rate('retries'),
      'batch-split-total': c.batchSplits,
      'batch-split-rate': rate('splits'),
      'request-latency-avg': c.requests === 0 ? 0 : c.requestLatencyMsTotal / c.requests,
      'request-latency-max': c.requestLatencyMsMax,
      'record-queue-time-avg': c.queueTimeAvgMs(),
      'record-queue-time-max': c.queueTimeMsMax,
      'batch-size-avg': c.requestBatches === 0 ? 0 : c.requestBytes / c.requestBatches,
      'batch-size-max': c.batchBytesMax,
      'records-per-request-avg': c.recordsPerRequest(),
      'compression-rate-avg': t.compressionRate,
      'outgoing-byte-rate': rate('bytesOut'),
      'request-rate': rate('requests'),
      'requests-in-flight': inFlight,
      'buffer-total-bytes': t.bufferTotalBytes,
      'buffer-available-bytes': t.bufferAvailableBytes,
      'bufferpool-wait-time-total': this.waitMs,
      'waiting-threads': t.waitingAppends,
      'metadata-age': refreshed === 0 ? 0 : (this.now() - refreshed) / 1000,
    };
  }
}

/** Rounded for JSON: whole numbers stay whole, the rest get 3 decimals. */
export function roundedMetrics(v: KafkaMetricValues): KafkaMetricValues {
  const out = {} as KafkaMetricValues;
  for (const [name] of KAFKA_METRICS) out[name] = Number.isInteger(v[name]) ? v[name] : Number(v[name].toFixed(3));
  return out;
}
