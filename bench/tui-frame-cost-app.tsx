// The app side of bench/tui-frame-cost.ts (run that): mounts the App at 120x40 with a real store fed by a fake engine,
// publishes --frames frames and prints each frame's CPU as JSON. Bundled by the driver like dist/ is.
import { render } from 'ink';
import { Writable, PassThrough } from 'node:stream';
import { App } from '../src/app.js';
import { OneRecordDelivery } from '../src/kafka/producer/batch-delivery.js';
import { effectiveConfig } from '../src/kafka/producer/config/settings.js';
import type { BrokerView, DeliveryReport, EngineEvent, PartitionView } from '../src/kafka/producer/engine-types.js';
import { AppStore, type StoreEngine } from '../src/state/store/app-store.js';
import { UiStore, initialUiState } from '../src/state/input/ui-store.js';
import type { AppActions } from '../src/state/input/app-actions.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const FRAMES = arg('frames', 300);
const PER_FRAME = 200;

class FakeEngine implements StoreEngine {
  private listeners = new Set<(e: EngineEvent) => void>();
  acked = 0;
  private reports: DeliveryReport[] = [];
  counters = { requests: 0, requestRecords: 0, requestBytes: 0, recordsPerRequest: () => 18.3, bytesPerRequest: () => 2400, queueTimeAvgMs: () => 2.1 };
  deliveries = { latest: (n: number) => this.reports.slice(-n), deadLetters: () => [], deadDropped: 0 };
  config = effectiveConfig({});
  status = { phase: 'ready' as const, producerId: 1000, producerEpoch: 0, detail: null };
  private brokers: BrokerView[] = [1, 2, 3].map((id) => ({ id, address: `127.0.0.1:${9091 + id}`, state: 'up', isController: id === 1, leaderCount: 2, inFlight: 1 }));
  private partitions: PartitionView[] = [0, 1, 2, 3, 4, 5].map((p) => ({ topic: 'playground', partition: p, leader: (p % 3) + 1, replicas: [1, 2, 3], isr: [1, 2, 3], logEndOffset: 0, highWatermark: 0, logStartOffset: 0, queuedRecords: 0, openBatchFill: 0, lingerRemainingMs: null, sent: 0, acked: 0 }) as PartitionView);
  on(fn: (e: EngineEvent) => void) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
  totals() {
    return { appended: this.acked + 3, acked: this.acked, failed: 0, retries: 0, requests: this.counters.requests, bytesOut: this.acked * 120, queuedRecords: 3, waitingAppends: 0, bufferAvailableBytes: 33_000_000, bufferTotalBytes: 33_554_432, compressionRate: 1, bytesBeforeCompression: this.acked * 110, bytesAfterCompression: this.acked * 110, compressionByCodec: {}, compressionType: 'none' };
  }
  partitionViews() {
    return this.partitions;
  }
  brokerViews() {
    return this.brokers;
  }
  /** The next `n` records acknowledged, as the producer reports them. */
  deliver(n: number, at: number) {
    for (let i = 0; i < n; i++) {
      const id = this.acked + 1;
      const partition = id % 6;
      const r: DeliveryReport = { id, topic: 'playground', partition, offset: Math.floor(id / 6), keyPreview: `key-${id % 100}`, valuePreview: `{"n":${id},"at":${at},"msg":"hello kafka"}`, bytes: 110, latencyMs: 2 + (id % 17) / 3, attempts: 1, error: null, at };
      this.acked++;
      this.reports.push(r);
      if (this.reports.length > 1000) this.reports = this.reports.slice(-100);
      const batch = new OneRecordDelivery(r, { topic: r.topic, key: null, value: null, headers: [] });
      for (const l of this.listeners) l({ t: 'delivered', batch });
    }
    this.counters.requests += Math.ceil(n / 18);
    this.counters.requestRecords += n;
  }
}

/** One run: mounts the app at 120x40 and publishes FRAMES frames; per frame the CPU (us) and the main thread's wall time until drawn (us), and bytes written. */
async function run(): Promise<{ cpu: number[]; wall: number[]; bytes: number }> {
  let now = Date.UTC(2026, 11, 7, 5, 0, 0);
  const store = new AppStore({ fps: 10, topic: 'playground', now: () => now });
  const engine = new FakeEngine();
  store.attach(engine);
  store.setConnection('ready', 'connected');
  store.setCluster({ label: 'built-in cluster 127.0.0.1:9092-9094', kind: 'sandbox', note: null, canControl: true, canInjectFaults: true });
  const workload = { running: true, ratePerSec: 1000, sent: 0, acked: 0, failed: 0, detail: '1,000 rec/s, keys key-0..key-99' };
  store.setWorkloadSource(() => workload);
  const noop = () => undefined;
  const actions = new Proxy({}, { get: () => noop }) as unknown as AppActions;
  const ui = new UiStore(actions, store.getSnapshot, initialUiState({ rate: '1000' }));
  let bytes = 0;
  const stdout = Object.assign(
    new Writable({
      write(chunk, _enc, cb) {
        bytes += chunk.length;
        cb();
      },
    }),
    { isTTY: true, columns: 120, rows: 40 },
  );
  const stdin = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => undefined, ref: noop, unref: noop });
  const app = render(<App snapshots={store} ui={ui} color />, { stdout: stdout as unknown as NodeJS.WriteStream, stdin: stdin as unknown as NodeJS.ReadStream, alternateScreen: true, incrementalRendering: true, maxFps: 50, exitOnCtrlC: false, patchConsole: false, interactive: true });
  const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
  await wait(100);
  const cpu: number[] = [];
  const wall: number[] = [];
  for (let f = 0; f < FRAMES; f++) {
    now += 200;
    engine.deliver(PER_FRAME, now);
    workload.sent = workload.acked = engine.acked;
    const t0 = process.cpuUsage();
    const w0 = performance.now();
    store.frame();
    // React renders in a microtask and Ink draws in its commit: all done by the next macrotask.
    await new Promise((r) => setImmediate(r));
    wall.push((performance.now() - w0) * 1000);
    await wait(25);
    const d = process.cpuUsage(t0);
    cpu.push(d.user + d.system);
  }
  app.unmount();
  return { cpu, wall, bytes };
}

const r = await run();
process.stdout.write(JSON.stringify(r) + '\n');
process.exit(0);
