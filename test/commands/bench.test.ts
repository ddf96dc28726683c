// `kafka-producer-tui bench` in process, on the built-in cluster it starts itself.
import { describe, expect, it } from 'vitest';
import { run, validateBenchFlags } from '../../src/commands/bench.js';
import { PerfStats } from '../../src/kafka/workload/perf-stats.js';
import { KAFKA_METRICS } from '../../src/kafka/producer/metrics/kafka-metrics.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t) }, out, err };
}

describe('bench command', () => {
  it('--json prints exactly the contract fields', async () => {
    const c = capture();
    const code = await run(['--records', '3000', '--record-size', '200', '--linger-ms', '10', '--compression', 'lz4', '--json'], import.meta, c.io);
    expect(c.err.join('')).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(c.out.join(''));
    expect(Object.keys(report)).toEqual(['records', 'recordsPerSec', 'mbPerSec', 'latencyMs', 'requests', 'recordsPerRequest', 'batchSizeAvg', 'retries', 'errors', 'settings', 'kafkaMetrics']);
    expect(Object.keys(report.latencyMs)).toEqual(['avg', 'max', 'p50', 'p95', 'p99', 'p999']);
    expect(report).toMatchObject({ records: 3000, errors: 0, settings: { 'linger.ms': 10, 'compression.type': 'lz4', acks: 'all' } });
    expect(report.recordsPerRequest * report.requests).toBeCloseTo(3000, 0);
    const l = report.latencyMs;
    expect(l.p50).toBeLessThanOrEqual(l.p95);
    expect(l.p95).toBeLessThanOrEqual(l.p99);
    expect(l.p99).toBeLessThanOrEqual(l.p999);
    expect(report.batchSizeAvg).toBeGreaterThan(200);
    // The Java producer's metric names, every one a number; record-send-total is the records sent.
    expect(Object.keys(report.kafkaMetrics)).toEqual(KAFKA_METRICS.map(([name]) => name));
    for (const v of Object.values(report.kafkaMetrics)) expect(typeof v).toBe('number');
    const m = report.kafkaMetrics;
    expect(m['record-send-total']).toBe(3000);
    expect(m['record-error-total']).toBe(0);
    expect(m['record-send-rate']).toBeGreaterThan(0);
    expect(m['compression-rate-avg']).toBeGreaterThan(0);
    expect(m['compression-rate-avg']).toBeLessThan(1);
    expect(m['buffer-total-bytes']).toBe(report.settings['buffer.memory']);
    expect(m['records-per-request-avg']).toBeCloseTo(report.recordsPerRequest, 1);
  });

  it("prints perf-test's final line in text mode", async () => {
    const c = capture();
    expect(await run(['--records', '1000', '--throughput', '5000'], import.meta, c.io)).toBe(0);
    expect(c.out.join('')).toMatch(
      /^1000 records sent, \d+\.\d{6} records\/sec \(\d+\.\d{2} MB\/sec\), \d+\.\d{2} ms avg latency, \d+\.\d{2} ms max latency, \d+ ms 50th, \d+ ms 95th, \d+ ms 99th, \d+ ms 99\.9th\.\n$/,
    );
    expect(c.err.join('')).toMatch(/^built-in cluster: /);
  });

  it('refuses bad values with clear messages and exit code 2, before starting anything', async () => {
    const c = capture();
    expect(await run(['--records', '0', '--throughput', 'fast', '--acks', 'two', '--brokers', 'nohost'], import.meta, c.io)).toBe(2);
    expect(c.err).toEqual([
      "kafka-producer-tui bench: --records must be a whole number from 1 to 1000000000; got 0\n",
      "kafka-producer-tui bench: --throughput must be a whole number from 1 to 10000000; got 'fast' (or -1 for no limit)\n",
      "kafka-producer-tui bench: --brokers takes host:port,... with ports 1-65535; not 'nohost'\n",
      'kafka-producer-tui bench: --acks: acks must be 0, 1 or all (-1 also means all); got "two"\n',
    ]);
    expect(c.out).toEqual([]);
    expect(validateBenchFlags({ records: '1_000', recordSize: '10', throughput: '-1', topic: 't', partitions: '1' })).toMatchObject({ records: 1000, throughput: null, brokers: null });
  });

  it('says so when the cluster cannot be reached (exit 1)', async () => {
    const c = capture();
    expect(await run(['--brokers', '127.0.0.1:1', '--records', '10'], import.meta, c.io)).toBe(1);
    expect(c.err.join('')).toMatch(/^kafka-producer-tui bench: 127\.0\.0\.1:1 is unreachable \(ECONNREFUSED\)/);
  });
});

describe('perf-test statistics', () => {
  it('prints window and total lines in the Java tool formats, with HDR percentiles', () => {
    let now = 0;
    const s = new PerfStats(() => now);
    for (let i = 1; i <= 1000; i++) s.record(i / 10, 100); // 0.1 .. 100 ms
    now = 2000;
    expect(s.windowLine()).toBe('1000 records sent, 500.0 records/sec (0.05 MB/sec), 50.0 ms avg latency, 100.0 ms max latency.');
    now = 4000;
    expect(s.windowLine()).toBe('0 records sent, 0.0 records/sec (0.00 MB/sec), 0.0 ms avg latency, 0.0 ms max latency.');
    const t = s.totals();
    expect(t.latencyMs.p50).toBeCloseTo(50, 0);
    expect(t.latencyMs.p99).toBeCloseTo(99, 0);
    expect(s.totalLine(t)).toBe(
      '1000 records sent, 250.000000 records/sec (0.02 MB/sec), 50.05 ms avg latency, 100.00 ms max latency, 50 ms 50th, 95 ms 95th, 99 ms 99th, 99 ms 99.9th.',
    );
  });
});
