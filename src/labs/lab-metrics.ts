// Metrics of a lab, or of one phase of it: records per second, delivery latency percentiles (HdrHistogram over
// the delivery reports), retries, errors, requests, records per request and Produce bytes on the wire. A phase
// is measured from the engine's events and counter differences, so phases of one run never mix.
import * as hdr from 'hdr-histogram-js';
import type { BatchDelivery } from '../kafka/producer/engine-types.js';
import type { ProducerEngine } from '../kafka/producer/producer-engine.js';

export interface PhaseMetrics extends LabMetrics {
  /** Delivery reports in the phase. */
  records: number;
  acked: number;
  failed: number;
  /** From the first record handed to the producer to the last report. */
  seconds: number;
  /** Produce request bytes written to the sockets (after compression). */
  produceBytes: number;
  /** Uncompressed record batch bytes the requests carried. */
  batchBytes: number;
}

const PRODUCE_API = 0;
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Latencies in microseconds, so sub-millisecond deliveries on the built-in cluster still resolve. */
const newHistogram = () =>
  hdr.build({ useWebAssembly: false, lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 2 });

class PhaseRecorder {
  readonly hist = newHistogram();
  records = 0;
  acked = 0;
  failed = 0;
  firstStart = Infinity;
  lastEnd = -Infinity;
  produceBytes = 0;

  add(d: BatchDelivery, now: number): void {
    this.records += d.count;
    if (d.error) this.failed += d.count;
    else this.acked += d.count;
    for (let i = 0; i < d.count; i++) {
      const latencyMs = d.latencyMs(i);
      if (!d.error) this.hist.recordValue(Math.max(1, Math.round(latencyMs * 1000)));
      this.firstStart = Math.min(this.firstStart, now - latencyMs);
    }
    this.lastEnd = Math.max(this.lastEnd, now);
  }
}

/** Follows one engine for a lab run; measure() and overall() read it. */
export class MetricsTracker {
  private readonly active = new Set<PhaseRecorder>();
  private readonly unsubscribe: (() => void)[];

  constructor(private readonly engine: ProducerEngine) {
    this.unsubscribe = [
      engine.on((e) => {
        if (e.t !== 'delivered') return;
        const now = performance.now();
        for (const r of this.active) r.add(e.batch, now);
      }),
      engine.wire.on((e) => {
        if (e.t !== 'req.start' || e.req.apiKey !== PRODUCE_API) return;
        for (const r of this.active) r.produceBytes += e.req.bytes;
      }),
    ];
  }

  /** Starts recording; the returned function stops and gives the phase's metrics. */
  begin(): () => PhaseMetrics {
    const c = this.engine.counters;
    const before = { retries: c.retries, requests: c.requests, requestRecords: c.requestRecords, requestBytes: c.requestBytes };
    const rec = new PhaseRecorder();
    this.active.add(rec);
    return () => {
      this.active.delete(rec);
      const requests = c.requests - before.requests;
      const seconds = rec.records === 0 ? 0 : Math.max(0.001, (rec.lastEnd - rec.firstStart) / 1000);
      const pct = (p: number) => (rec.acked === 0 ? 0 : round(rec.hist.getValueAtPercentile(p) / 1000));
      const metrics: PhaseMetrics = {
        records: rec.records,
        acked: rec.acked,
        failed: rec.failed,
        seconds: round(seconds, 3),
        recordsPerSec: seconds === 0 ? 0 : Math.round(rec.acked / seconds),
        latencyMs: { p50: pct(50), p99: pct(99) },
        retries: c.retries - before.retries,
        errors: rec.failed,
        requests,
        recordsPerRequest: requests === 0 ? 0 : round((c.requestRecords - before.requestRecords) / requests),
        produceBytes: rec.produceBytes,
        batchBytes: c.requestBytes - before.requestBytes,
      };
      rec.hist.destroy();
      return metrics;
    };
  }

  async measure(fn: () => Promise<unknown>): Promise<PhaseMetrics> {
    const end = this.begin();
    // A phase that throws still stops recording; its metrics go with the error.
    let metrics: PhaseMetrics;
    try {
      await fn();
    } finally {
      metrics = end();
    }
    return metrics;
  }

  close(): void {
    for (const u of this.unsubscribe) u();
    this.active.clear();
  }
}

/** The report's metrics object from a phase's metrics. */
export function labMetrics(m: PhaseMetrics): LabMetrics {
  return { recordsPerSec: m.recordsPerSec, latencyMs: m.latencyMs, retries: m.retries, errors: m.errors, requests: m.requests, recordsPerRequest: m.recordsPerRequest };
}

/** The lab report's metrics object (the `lab --json` contract in the README). */
export interface LabMetrics {
  recordsPerSec: number;
  latencyMs: { p50: number; p99: number };
  retries: number;
  errors: number;
  requests: number;
  recordsPerRequest: number;
}
