// The store without React or a cluster: a small fake engine, time stepped by hand.
import { describe, expect, it } from 'vitest';
import type { BrokerView, DeliveryReport, EngineEvent, PartitionView } from '../../../src/kafka/producer/engine-types.js';
import { OneRecordDelivery } from '../../../src/kafka/producer/batch-delivery.js';
import { effectiveConfig, type ProducerSettings } from '../../../src/kafka/producer/config/settings.js';
import { AppStore, type StoreEngine } from '../../../src/state/store/app-store.js';

class FakeEngine implements StoreEngine {
  listeners = new Set<(e: EngineEvent) => void>();
  acked = 0;
  failed = 0;
  retries = 0;
  counters = { requests: 0, requestRecords: 0, requestBytes: 0, recordsPerRequest: () => 0, bytesPerRequest: () => 0, queueTimeAvgMs: () => 0 };
  deliveries = { latest: (n: number) => this.reports.slice(-n), deadLetters: () => [], deadDropped: 0 };
  reports: DeliveryReport[] = [];
  config = effectiveConfig({});
  status = { phase: 'ready' as const, producerId: null, producerEpoch: null, detail: null };
  brokers: BrokerView[] = [1, 2, 3].map((id) => ({ id, address: `h:${id}`, state: 'up', isController: id === 1, leaderCount: 2, inFlight: 0 }));
  partitions: PartitionView[] = [];

  on(fn: (e: EngineEvent) => void) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
  emit(e: EngineEvent) {
    for (const l of this.listeners) l(e);
  }
  bytesBefore = 0;
  bytesAfter = 0;
  totals() {
    return { appended: this.acked, acked: this.acked, failed: this.failed, retries: this.retries, requests: this.counters.requests, bytesOut: 0, queuedRecords: 0, waitingAppends: 0, bufferAvailableBytes: 1, bufferTotalBytes: 1, compressionRate: 1, bytesBeforeCompression: this.bytesBefore, bytesAfterCompression: this.bytesAfter, compressionByCodec: {}, compressionType: 'none' };
  }
  partitionViews() {
    return this.partitions;
  }
  brokerViews() {
    return this.brokers;
  }
  deliver(latencyMs: number, error = false) {
    const r: DeliveryReport = { id: this.reports.length + 1, topic: 't', partition: 0, offset: error ? null : this.acked, keyPreview: null, valuePreview: 'v', bytes: 1, latencyMs, attempts: 1, error: error ? { message: 'x', code: 'X', retriable: false } : null, at: 0 };
    if (error) this.failed++;
    else this.acked++;
    this.reports.push(r);
    this.emit({ t: 'delivered', batch: new OneRecordDelivery(r, { topic: r.topic, key: null, value: null, headers: [] }) });
  }
  setSettings(change: Partial<ProducerSettings>) {
    this.config = effectiveConfig({ ...this.config.settings, ...change });
    this.emit({ t: 'settings', changed: Object.keys(change), at: 0 });
  }
}

function setup() {
  let now = 1_000_000;
  const store = new AppStore({ fps: 10, historySeconds: 30, topic: 't', now: () => now });
  const engine = new FakeEngine();
  store.attach(engine);
  return { store, engine, advance: (ms: number) => (now += ms), second: () => Math.floor(now / 1000) };
}

describe('AppStore', () => {
  it('turns deliveries into per-second throughput and latency percentiles', () => {
    const { store, engine, advance, second } = setup();
    for (let i = 1; i <= 100; i++) engine.deliver(i);
    engine.deliver(5, true);
    store.closeSecond(second());
    store.publish();
    const s = store.getSnapshot();
    expect(s.rates.recordsPerSec).toBe(100);
    expect(s.rates.errorsPerSec).toBe(1);
    expect(s.rates.p50Ms).toBeCloseTo(50, 0);
    expect(s.rates.p99Ms).toBeCloseTo(99, 0);
    expect(s.series.throughput).toHaveLength(30);
    advance(1000);
    store.closeSecond(second());
    store.publish();
    expect(store.getSnapshot().rates.recordsPerSec).toBe(0);
    expect(store.getSnapshot().series.throughput.slice(-2)).toEqual([100, 0]);
  });

  it('keeps fixed memory: series never grow past the history', () => {
    const { store, advance, second } = setup();
    for (let i = 0; i < 100; i++) {
      advance(1000);
      store.closeSecond(second());
    }
    expect(store.getSnapshot().series.throughput.length).toBeLessThanOrEqual(30);
    store.publish();
    expect(store.getSnapshot().series.throughput).toHaveLength(30);
  });

  it('marks a setting change and a broker state change on the charts', () => {
    const { store, engine, second } = setup();
    engine.setSettings({ 'linger.ms': 50 });
    engine.brokers = engine.brokers.map((b) => (b.id === 2 ? { ...b, state: 'stopped' } : b));
    store.frame();
    store.closeSecond(second());
    store.publish();
    const markers = store.getSnapshot().series.markers;
    expect(markers.map((m) => [m.kind, m.text])).toEqual([
      ['setting', 'linger.ms 5->50'],
      ['broker', 'broker 2 up->stopped'],
    ]);
    expect(markers.every((m) => m.second === second())).toBe(true);
  });

  it('publishes only when something changed; while records flow, at most 5 times a second', () => {
    const { store, engine, advance } = setup();
    let published = 0;
    store.subscribe(() => published++);
    store.frame();
    expect(published).toBe(1);
    store.frame();
    store.frame();
    expect(published).toBe(1);
    for (let i = 0; i < 500; i++) engine.deliver(1);
    expect(published).toBe(1);
    // Counters alone: not before 200 ms after the last publish.
    advance(100);
    store.frame();
    expect(published).toBe(1);
    advance(100);
    store.frame();
    expect(published).toBe(2);
    // The answer to an action shows on the very next frame.
    engine.deliver(1);
    store.notify('ok', 'done');
    store.frame();
    expect(published).toBe(3);
  });

  it("draws a poll's answer at once when it changed, with the next busy frame when it is the same again", () => {
    const { store, engine, advance } = setup();
    const truth = (leader: number, at: number) => ({ source: 'the built-in cluster' as const, at, topic: 't', controller: 1, brokers: [], partitions: [{ partition: 0, leader, replicas: [1, 2], isr: [1, 2] }], minInsyncReplicas: 1 });
    let published = 0;
    store.subscribe(() => published++);
    store.setClusterTruth(truth(1, advance(0)));
    store.frame();
    expect(published).toBe(1);
    // Records flowing, then the same state read again 100 ms later: no frame of its own...
    engine.deliver(1);
    advance(100);
    const again = advance(0);
    store.setClusterTruth(truth(1, again));
    store.frame();
    expect(published).toBe(1);
    // ...it is drawn with the counters, 200 ms after the last frame.
    advance(100);
    store.frame();
    expect(published).toBe(2);
    expect(store.getSnapshot().clusterTruth?.at).toBe(again);
    // A new leader shows on the very next frame.
    advance(100);
    store.setClusterTruth(truth(2, advance(0)));
    store.frame();
    expect(published).toBe(3);
    expect(store.getSnapshot().clusterTruth?.partitions[0].leader).toBe(2);
  });

  it('gives every snapshot a new identity and leaves the old one untouched', () => {
    const { store, engine } = setup();
    store.publish();
    const before = store.getSnapshot();
    engine.deliver(1);
    store.publish();
    const after = store.getSnapshot();
    expect(after).not.toBe(before);
    expect(before.deliveries).toHaveLength(0);
    expect(after.deliveries).toHaveLength(1);
    // Series change once a second, so an unchanged chart keeps its array (React.memo skips it).
    expect(after.series).toBe(before.series);
  });
});
