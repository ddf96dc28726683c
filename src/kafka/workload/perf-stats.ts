/**
 * kafka-producer-perf-test's statistics (Java `ProducerPerformance.Stats`): records, bytes and latency per
 * reporting window and in total, printed in its exact line formats so output can be compared side by side.
 * Percentiles come from an HDR histogram (microsecond resolution, 3 significant digits) instead of Java's
 * sampled array: the library's WebAssembly build, which records a value about 4x faster than its JavaScript one (a
 * bench records one per record). Its memory is outside the JavaScript heap: destroy() frees it.
 */
import * as hdr from 'hdr-histogram-js';

export interface LatencySummary {
  avg: number;
  max: number;
  p50: number;
  p95: number;
  p99: number;
  p999: number;
}

export interface PerfTotals {
  records: number;
  bytes: number;
  elapsedMs: number;
  recordsPerSec: number;
  mbPerSec: number;
  latencyMs: LatencySummary;
}

const MIB = 1024 * 1024;

interface Window {
  start: number;
  count: number;
  bytes: number;
  latencySum: number;
  maxLatency: number;
}

let wasmReady = false;

export class PerfStats {
  private readonly histogram = PerfStats.histogram();
  private readonly start: number;
  private count = 0;
  private bytes = 0;
  private latencySum = 0;
  private maxLatency = 0;
  private window: Window;

  constructor(private readonly now: () => number = () => performance.now()) {
    this.start = now();
    this.window = this.freshWindow(this.start);
  }

  private static histogram(): hdr.Histogram {
    if (!wasmReady) {
      hdr.initWebAssemblySync();
      wasmReady = true;
    }
    return hdr.build({ useWebAssembly: true, lowestDiscernibleValue: 1, numberOfSignificantValueDigits: 3 });
  }

  /** Frees the histogram's memory; the statistics cannot be read after. */
  destroy(): void {
    this.histogram.destroy();
  }

  /** One completed record: its latency (send to delivery report) and its value bytes. */
  record(latencyMs: number, bytes: number): void {
    this.histogram.recordValue(Math.max(1, Math.round(latencyMs * 1000)));
    this.count++;
    this.bytes += bytes;
    this.latencySum += latencyMs;
    this.maxLatency = Math.max(this.maxLatency, latencyMs);
    const w = this.window;
    w.count++;
    w.bytes += bytes;
    w.latencySum += latencyMs;
    w.maxLatency = Math.max(w.maxLatency, latencyMs);
  }

  /** The window line ("N records sent, X records/sec (Y MB/sec), Z ms avg latency, W ms max latency.") and a new window. */
  windowLine(): string {
    const w = this.window;
    const elapsed = Math.max(1e-3, this.now() - w.start);
    const perSec = (1000 * w.count) / elapsed;
    const mb = (1000 * w.bytes) / elapsed / MIB;
    const avg = w.count === 0 ? 0 : w.latencySum / w.count;
    this.window = this.freshWindow(this.now());
    return `${w.count} records sent, ${perSec.toFixed(1)} records/sec (${mb.toFixed(2)} MB/sec), ${avg.toFixed(1)} ms avg latency, ${w.maxLatency.toFixed(1)} ms max latency.`;
  }

  totals(): PerfTotals {
    const elapsedMs = Math.max(1e-3, this.now() - this.start);
    const ms = (us: number) => us / 1000;
    const at = (p: number) => (this.count === 0 ? 0 : ms(this.histogram.getValueAtPercentile(p)));
    return {
      records: this.count,
      bytes: this.bytes,
      elapsedMs,
      recordsPerSec: (1000 * this.count) / elapsedMs,
      mbPerSec: (1000 * this.bytes) / elapsedMs / MIB,
      latencyMs: {
        avg: this.count === 0 ? 0 : this.latencySum / this.count,
        max: this.maxLatency,
        p50: at(50),
        p95: at(95),
        p99: at(99),
        p999: at(99.9),
      },
    };
  }

  /** The final line, with percentiles in whole milliseconds as the Java tool prints them. */
  totalLine(t: PerfTotals = this.totals()): string {
    const l = t.latencyMs;
    const whole = (v: number) => Math.floor(v);
    return (
      `${t.records} records sent, ${t.recordsPerSec.toFixed(6)} records/sec (${t.mbPerSec.toFixed(2)} MB/sec), ` +
      `${l.avg.toFixed(2)} ms avg latency, ${l.max.toFixed(2)} ms max latency, ` +
      `${whole(l.p50)} ms 50th, ${whole(l.p95)} ms 95th, ${whole(l.p99)} ms 99th, ${whole(l.p999)} ms 99.9th.`
    );
  }

  private freshWindow(start: number): Window {
    return { start, count: 0, bytes: 0, latencySum: 0, maxLatency: 0 };
  }
}
