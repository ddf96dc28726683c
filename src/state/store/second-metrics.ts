// Per-second metrics from the engine's events and counters: throughput, latency percentiles (HdrHistogram, one
// per second), retries, errors, requests, records per request, in-flight requests per broker and records per
// second per partition. Events only bump numbers here; the work happens once a second in closeSecond().
import * as hdr from 'hdr-histogram-js';
import type { BatchDelivery, EngineEvent, PartitionView } from '../../kafka/producer/engine-types.js';
import { Ring } from './ring.js';
import type { RatesView } from './snapshot.js';

/** What closeSecond() reads from the engine: cumulative counters (differences give the per-second values). */
/** The compression ratio is taken over a few seconds, so one second's lone batch does not swing it. */
const RATIO_SECONDS = 3;
const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
const ratio = (after: readonly number[], before: readonly number[]): number | null => (sum(before) > 0 && sum(after) > 0 ? sum(after) / sum(before) : null);

export interface CounterReading {
  acked: number;
  failed: number;
  retries: number;
  requests: number;
  requestRecords: number;
  requestBytes: number;
  /** Record batch bytes before and after compression. */
  bytesBefore: number;
  bytesAfter: number;
}

export interface SeriesSet {
  throughput: Ring;
  p50: Ring;
  p99: Ring;
  errors: Ring;
  retries: Ring;
  requests: Ring;
  recordsPerRequest: Ring;
  bytesPerRequest: Ring;
  bytesBefore: Ring;
  bytesAfter: Ring;
  /** By broker address; ids are resolved when drawing (addresses are what the socket monitor sees). */
  inFlight: Map<string, Ring>;
}

/** Latencies are recorded in microseconds so sub-millisecond deliveries on the built-in cluster still resolve. */
const newHistogram = () =>
  hdr.build({ useWebAssembly: false, lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 2 });

export class SecondMetrics {
  readonly series: SeriesSet;
  private readonly hist = newHistogram();
  private prev: CounterReading | null = null;
  private inFlightMax = new Map<string, number>();
  private partitionPrev = new Map<number, number>();
  /** Acknowledged records per second by partition, over the last closed second. */
  partitionRates = new Map<number, number>();
  /** Epoch second of the last closed bucket; markers are placed relative to it. */
  lastSecond = 0;

  constructor(readonly capacity: number) {
    const ring = () => new Ring(capacity);
    this.series = {
      throughput: ring(),
      p50: ring(),
      p99: ring(),
      errors: ring(),
      retries: ring(),
      requests: ring(),
      recordsPerRequest: ring(),
      bytesPerRequest: ring(),
      bytesBefore: ring(),
      bytesAfter: ring(),
      inFlight: new Map(),
    };
  }

  /** Counters as they are when the engine is attached: the first second counts from here. */
  baseline(reading: CounterReading): void {
    this.prev = { ...reading };
  }

  onEvent(e: EngineEvent): void {
    if (e.t === 'delivered') this.onDelivered(e.batch);
  }

  private onDelivered(d: BatchDelivery): void {
    if (d.error) return;
    for (let i = 0; i < d.count; i++) this.hist.recordValue(Math.max(1, Math.round(d.latencyMs(i) * 1000)));
  }

  /** From the socket monitor: the highest number of requests awaiting an answer on a broker during this second. */
  onInFlight(broker: string, inFlight: number): void {
    const max = this.inFlightMax.get(broker);
    if (max === undefined || inFlight > max) this.inFlightMax.set(broker, inFlight);
  }

  /** Ends the current second: appends one value to every series. `current` is what is in flight right now. */
  closeSecond(second: number, reading: CounterReading, partitions: readonly PartitionView[], current: ReadonlyMap<string, number>): void {
    const prev = this.prev ?? reading;
    const d = (k: keyof CounterReading) => Math.max(0, reading[k] - prev[k]);
    const requests = d('requests');
    this.series.throughput.push(d('acked'));
    this.series.errors.push(d('failed'));
    this.series.retries.push(d('retries'));
    this.series.requests.push(requests);
    this.series.recordsPerRequest.push(requests === 0 ? 0 : d('requestRecords') / requests);
    this.series.bytesPerRequest.push(requests === 0 ? 0 : d('requestBytes') / requests);
    this.series.bytesBefore.push(d('bytesBefore'));
    this.series.bytesAfter.push(d('bytesAfter'));
    const n = this.hist.totalCount;
    this.series.p50.push(n === 0 ? 0 : this.hist.getValueAtPercentile(50) / 1000);
    this.series.p99.push(n === 0 ? 0 : this.hist.getValueAtPercentile(99) / 1000);
    this.hist.reset();
    this.prev = { ...reading };

    for (const [broker, now] of current) this.onInFlight(broker, now);
    for (const broker of new Set([...this.inFlightMax.keys(), ...this.series.inFlight.keys()])) {
      let ring = this.series.inFlight.get(broker);
      if (!ring) this.series.inFlight.set(broker, (ring = new Ring(this.capacity)));
      ring.push(this.inFlightMax.get(broker) ?? 0);
    }
    this.inFlightMax = new Map();

    const rates = new Map<number, number>();
    for (const p of partitions) {
      const before = this.partitionPrev.get(p.partition);
      rates.set(p.partition, before === undefined ? 0 : Math.max(0, p.acked - before));
      this.partitionPrev.set(p.partition, p.acked);
    }
    this.partitionRates = rates;
    this.lastSecond = second;
  }

  /** The topic changed: per-partition rates start over. */
  resetPartitions(): void {
    this.partitionPrev.clear();
    this.partitionRates = new Map();
  }

  /** The latest second's rates, with the averages since the start from the engine's counters. */
  rates(c: { recordsPerRequest(): number; bytesPerRequest(): number; queueTimeAvgMs(): number } | null): RatesView {
    const s = this.series;
    return {
      recordsPerSec: s.throughput.latest(),
      errorsPerSec: s.errors.latest(),
      retriesPerSec: s.retries.latest(),
      requestsPerSec: s.requests.latest(),
      recordsPerRequest: s.recordsPerRequest.latest(),
      recordsPerRequestAvg: c?.recordsPerRequest() ?? 0,
      bytesPerRequestAvg: c?.bytesPerRequest() ?? 0,
      queueTimeAvgMs: c?.queueTimeAvgMs() ?? 0,
      p50Ms: s.p50.latest(),
      p99Ms: s.p99.latest(),
      bytesBeforePerSec: s.bytesBefore.latest(),
      bytesAfterPerSec: s.bytesAfter.latest(),
      compressionRatio: ratio(s.bytesAfter.last(RATIO_SECONDS), s.bytesBefore.last(RATIO_SECONDS)),
    };
  }
}
