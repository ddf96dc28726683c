// The store the UI reads: engine events -> counters, per-second series, markers -> one immutable snapshot
// published at most `fps` times a second through subscribe/getSnapshot (useSyncExternalStore). No Kafka event
// reaches React directly; an idle lab publishes once a second at most.
import type { BrokerView, EngineEvent } from '../../kafka/producer/engine-types.js';
import { SETTINGS, SETTING_NAMES, type ProducerSettings } from '../../kafka/producer/config/settings.js';
import type { WireEvent } from '../../kafka/producer/sender/wire-monitor.js';
import { EMPTY_LABS, type LabsView } from '../lab-run-view.js';
import { SecondMetrics, type CounterReading } from './second-metrics.js';
import type { TxnOffsetsView } from '../../kafka/cluster/txn-offsets.js';
import type { ClusterTruth } from '../../kafka/cluster/cluster-truth.js';
import type { AuditFinding, LiveAuditView } from '../../kafka/workload/live-audit.js';
import type { ClusterInfo, ConnectionPhase, EventLine, AppSnapshot, LogLine, Marker, Notice, PipelineView, SeriesView, WorkloadView } from './snapshot.js';
import { healthOf } from './health.js';
import { HealthWatch } from './health-watch.js';
import { LogBuffer } from './log-buffer.js';
import { metadataDiffs } from './metadata-diff.js';
import { sameAnswer, sameTruth } from './same-answer.js';
import { brokerRows, partitionRows, truthIfFresh } from './truth-views.js';
import type { ClusterSources, StoreEngine, StoreOptions } from './store-inputs.js';
export type { ClusterSources, StoreEngine, StoreOptions } from './store-inputs.js';

const KEEP_EVENTS = 100;
const KEEP_MARKERS = 50;
const KEEP_DELIVERIES = 100;
const KEEP_REQUESTS = 60;
/**
 * While records flow, counters change on every frame; redrawing them 5 times a second instead of 10 halves the
 * app's rendering CPU (Ink redraws the whole screen per frame) and nobody reads a number faster. Anything else
 * (a key's answer, a marker, a broker's state, an event) still shows on the next frame.
 */
const BUSY_PUBLISH_MS = 200;

const emptySeries = (n: number): SeriesView => {
  const zeros = new Array<number>(n).fill(0);
  return { lastSecond: 0, throughput: zeros, p50: zeros, p99: zeros, errors: zeros, retries: zeros, requests: zeros, recordsPerRequest: zeros, inFlight: [], markers: [] };
};

export class AppStore {
  readonly fps: number;
  readonly historySeconds: number;
  private readonly now: () => number;
  private listeners = new Set<() => void>();
  private snapshot: AppSnapshot;
  private engine: StoreEngine | null = null;
  private sources: ClusterSources = {};
  private unsubscribe: (() => void)[] = [];
  private metrics: SecondMetrics;
  private series: SeriesView;
  private markers: Marker[] = [];
  private events: EventLine[] = [];
  private notice: Notice | null = null;
  private connection: { phase: ConnectionPhase; detail: string } = { phase: 'connecting', detail: 'starting' };
  private cluster: ClusterInfo | null = null;
  private workload: () => WorkloadView | null = () => null;
  private topic: string;
  private settingsSeen: ProducerSettings | null = null;
  private brokerStates = new Map<number, string>();
  private labs: LabsView = EMPTY_LABS;
  private txnOffsets: TxnOffsetsView | null = null;
  private audit: AppSnapshot['audit'] = null;
  private pipeline: () => PipelineView | null = () => null;
  private lastRetryCause: string | null = null;
  private topicSettings: AppSnapshot['topicSettings'] = null;
  /** Last known address per broker id: metadata stops listing a broker while it is down. */
  private brokerAddresses = new Map<number, string>();
  private currentSecond: number;
  private dirty = true;
  private timer: NodeJS.Timeout | null = null;
  private version = 0;
  /** Only counters moved since the last publish (records flowing): published at most every BUSY_PUBLISH_MS. */
  private churn = false;
  private lastPublish = -Infinity;
  private readonly health: HealthWatch;
  private truth: ClusterTruth | null = null;
  private readonly log = new LogBuffer();

  constructor(opts: StoreOptions = {}) {
    this.fps = Math.min(60, Math.max(1, opts.fps ?? 10));
    this.historySeconds = opts.historySeconds ?? 600;
    this.now = opts.now ?? Date.now;
    this.topic = opts.topic ?? 'playground';
    this.metrics = new SecondMetrics(this.historySeconds);
    this.series = emptySeries(this.historySeconds);
    this.health = new HealthWatch(this.now);
    this.currentSecond = Math.floor(this.now() / 1000);
    this.snapshot = this.build();
  }

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  getSnapshot = (): AppSnapshot => this.snapshot;

  /** Starts the frame timer: samples every 1/fps s, closes a second when the clock passes one, publishes if changed. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.frame(), Math.round(1000 / this.fps));
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  attach(engine: StoreEngine, sources: ClusterSources = {}): void {
    this.detach();
    this.engine = engine;
    this.sources = sources;
    this.settingsSeen = engine.config.settings;
    this.metrics.baseline(this.reading(engine));
    this.health.reset();
    this.unsubscribe.push(
      engine.on((e) => this.onEngineEvent(e)),
      ...(engine.wire ? [engine.wire.on((e) => this.onWire(e))] : []),
    );
    this.brokerStates = new Map(engine.brokerViews().map((b) => [b.id, b.state]));
    for (const b of engine.brokerViews()) if (b.address) this.brokerAddresses.set(b.id, b.address);
    this.dirty = true;
  }

  detach(): void {
    for (const u of this.unsubscribe.splice(0)) u();
    this.engine = null;
    this.sources = {};
  }

  setTopic(topic: string): void {
    if (topic === this.topic) return;
    this.topic = topic;
    this.metrics.resetPartitions();
    this.dirty = true;
  }

  setConnection(phase: ConnectionPhase, detail: string): void {
    this.connection = { phase, detail };
    this.dirty = true;
    this.publish();
  }

  setCluster(info: ClusterInfo | null): void {
    this.cluster = info;
    this.dirty = true;
  }

  setWorkloadSource(fn: () => WorkloadView | null): void {
    this.workload = fn;
    this.dirty = true;
  }

  setLabs(view: LabsView): void {
    this.labs = view;
    this.dirty = true;
  }

  setTxnOffsets(view: TxnOffsetsView | null): void {
    if (sameAnswer(this.txnOffsets, view)) this.churn = true;
    else this.dirty = true;
    this.txnOffsets = view;
  }

  /** The cluster's own state of the topic (polled by the session); shown beside the producer's metadata. */
  setClusterTruth(truth: ClusterTruth | null): void {
    if (sameTruth(this.truth, truth)) this.churn = true;
    else this.dirty = true;
    this.truth = truth;
  }

  /** Every log line also goes to `sink` (the --log-file), as it arrives. */
  setLogSink(sink: ((line: LogLine) => void) | null): void {
    this.log.sink = sink;
  }

  /** A line for the log the user opens with L (not the Events list). */
  addLog(level: LogLine['level'], text: string): void {
    this.log.add({ at: this.now(), level, text });
    this.dirty = true;
  }

  setPipelineSource(fn: () => PipelineView | null): void {
    this.pipeline = fn;
    this.dirty = true;
  }

  setTopicSettings(view: AppSnapshot['topicSettings']): void {
    if (sameAnswer(this.topicSettings, view)) this.churn = true;
    else this.dirty = true;
    this.topicSettings = view;
  }

  setLiveAudit(view: LiveAuditView, findings: readonly AuditFinding[]): void {
    const before = this.audit;
    this.audit = { view, findings: [...findings] };
    // Records read and not yet read move with every fetch, like the producer's counters: they join the busy
    // cadence; a finding, a phase or a new run shows on the next frame.
    const same = (['runId', 'topic', 'isolation', 'phase', 'problem', 'lost', 'duplicated', 'reordered'] as const).every((k) => before?.view[k] === view[k]);
    if (same && before?.findings.length === findings.length) this.churn = true;
    else this.dirty = true;
  }

  /** The one-line answer to the user's last action, shown at the bottom of the screen. */
  notify(level: Notice['level'], text: string): void {
    this.notice = { at: this.now(), level, text };
    this.dirty = true;
  }

  addEvent(level: EventLine['level'], text: string): void {
    this.events.push({ at: this.now(), level, text });
    if (this.events.length > KEEP_EVENTS * 2) this.events = this.events.slice(-KEEP_EVENTS);
    this.dirty = true;
  }

  addMarker(kind: Marker['kind'], text: string, event = true): void {
    this.markers.push({ second: Math.floor(this.now() / 1000), kind, text });
    if (this.markers.length > KEEP_MARKERS) this.markers = this.markers.slice(-KEEP_MARKERS);
    if (event) this.addEvent('info', text);
  }

  private onEngineEvent(e: EngineEvent): void {
    this.metrics.onEvent(e);
    this.health.onEngine(e);
    this.churn = true;
    if (e.t === 'settings') this.onSettingsChanged(e.changed);
    else if (e.t === 'transaction') this.dirty = true;
    else if (e.t === 'retry') this.lastRetryCause = e.error;
    else if (e.t === 'producer' && e.status.detail) this.addEvent(e.status.phase === 'fatal' ? 'error' : 'info', `producer ${e.status.phase}: ${e.status.detail}`);
    // The client's own log lines go to the log, not the Events list (the cluster's and the producer's events).
    else if (e.t === 'log') this.addLog(e.level, e.message);
  }

  private onWire(e: WireEvent): void {
    this.health.onWire(e);
    if (e.t === 'req.start' || e.t === 'req.end' || e.t === 'req.lost') this.metrics.onInFlight(e.req.broker, e.inFlight);
  }

  private onSettingsChanged(changed: readonly string[]): void {
    const after = this.engine?.config.settings;
    if (!after) return;
    const before = this.settingsSeen;
    const parts = changed
      .filter((n): n is keyof ProducerSettings => (SETTING_NAMES as string[]).includes(n))
      .map((n) => {
        const fmt = (s: ProducerSettings) => SETTINGS[n].format(s[n] as never) || '(none)';
        return before ? `${n} ${fmt(before)}->${fmt(after)}` : `${n}=${fmt(after)}`;
      });
    this.settingsSeen = after;
    if (parts.length > 0) this.addMarker('setting', parts.join(', '));
  }

  /** One frame: sample, close the second if the clock passed one, publish when anything changed. */
  frame(): void {
    const second = Math.floor(this.now() / 1000);
    if (second > this.currentSecond) {
      this.closeSecond(second - 1);
      this.currentSecond = second;
    }
    if (this.engine) {
      this.watchBrokers(this.engine.brokerViews());
      const t = this.engine.totals();
      // An open batch counts down its linger: keep drawing while records wait.
      if (t.queuedRecords > 0 || this.workload()?.running) this.churn = true;
    }
    if (this.dirty || (this.churn && this.now() - this.lastPublish >= BUSY_PUBLISH_MS)) this.publish();
  }

  private watchBrokers(brokers: readonly BrokerView[]): void {
    for (const b of brokers) {
      if (b.address) this.brokerAddresses.set(b.id, b.address);
      const before = this.brokerStates.get(b.id);
      if (before !== undefined && before !== b.state) this.addMarker('broker', `broker ${b.id} ${before}->${b.state}`, !this.sources.brokerEvents);
      if (before !== b.state) this.dirty = true;
      this.brokerStates.set(b.id, b.state);
    }
  }

  /** Appends one value to every series for `second` (public so tests can step time without timers). */
  closeSecond(second: number): void {
    const e = this.engine;
    if (e) {
      this.metrics.closeSecond(
        second,
        this.reading(e),
        e.partitionViews(this.topic),
        // Every known broker gets a series, also those no request has reached yet.
        new Map(this.brokers(e).filter((b) => b.address !== '').map((b) => [b.address, b.inFlight])),
      );
    } else {
      this.metrics.closeSecond(second, { acked: 0, failed: 0, retries: 0, requests: 0, requestRecords: 0, requestBytes: 0, bytesBefore: 0, bytesAfter: 0 }, [], new Map());
    }
    const s = this.metrics.series;
    const n = this.historySeconds;
    const names = new Map([...this.brokerAddresses].map(([id, address]) => [address, `broker ${id}`]));
    this.series = {
      lastSecond: second,
      throughput: s.throughput.last(n),
      p50: s.p50.last(n),
      p99: s.p99.last(n),
      errors: s.errors.last(n),
      retries: s.retries.last(n),
      requests: s.requests.last(n),
      recordsPerRequest: s.recordsPerRequest.last(n),
      inFlight: [...s.inFlight.entries()]
        .map(([address, ring]) => ({ label: names.get(address) ?? address, values: ring.last(n) }))
        .sort((a, b) => a.label.localeCompare(b.label)),
      markers: [...this.markers],
    };
    // A new point on each chart: drawn with the next counters (within BUSY_PUBLISH_MS), or at once when idle.
    this.churn = true;
  }

  private reading(e: StoreEngine): CounterReading {
    const t = e.totals();
    return {
      acked: t.acked,
      failed: t.failed,
      retries: t.retries,
      requests: e.counters.requests,
      requestRecords: e.counters.requestRecords,
      requestBytes: e.counters.requestBytes,
      bytesBefore: t.bytesBeforeCompression,
      bytesAfter: t.bytesAfterCompression,
    };
  }

  /** The engine's broker views, with the last known address of brokers that are down. */
  private brokers(e: StoreEngine): BrokerView[] {
    return e.brokerViews().map((b) => (b.address ? b : { ...b, address: this.brokerAddresses.get(b.id) ?? '' }));
  }

  publish(): void {
    this.snapshot = this.build();
    this.dirty = false;
    this.churn = false;
    this.lastPublish = this.now();
    for (const l of [...this.listeners]) l();
  }

  private build(): AppSnapshot {
    const e = this.engine;
    const rates = this.metrics.rates(e?.counters ?? null);
    const now = this.now();
    const truth = truthIfFresh(this.truth, this.topic, now);
    const producerPartitions = e ? e.partitionViews(this.topic) : [];
    const partitions = partitionRows(producerPartitions, truth, this.metrics.partitionRates);
    const totals = e?.totals() ?? null;
    const metadataAgeMs = e?.metadata && e.metadata.lastRefreshAt > 0 ? Math.max(0, now - e.metadata.lastRefreshAt) : null;
    const facts = this.health.facts({
      connection: this.connection.phase,
      connectionDetail: this.connection.detail,
      producer: e ? { phase: e.status.phase, detail: e.status.detail } : null,
      totals,
      requestTimeoutMs: e?.config.settings['request.timeout.ms'] ?? 30_000,
      lingerMs: e?.config.settings['linger.ms'] ?? 0,
      brokerId: (address) => [...this.brokerAddresses].find(([, a]) => a === address)?.[0],
      brokerState: (id) => truth?.brokers.find((b) => b.id === id)?.state ?? null,
      brokerStates: truth?.brokers ?? [],
      partitions,
      minInsyncReplicas: truth?.minInsyncReplicas ?? null,
      reachability: e?.reachability?.(),
    });
    const brokers = e ? brokerRows(this.brokers(e), truth, facts.notAnswering?.broker ?? null) : [];
    return {
      version: ++this.version,
      now,
      connection: this.connection,
      cluster: this.cluster,
      topic: this.topic,
      producer: e?.status ?? null,
      config: e?.config ?? null,
      totals,
      rates,
      series: this.series,
      partitions,
      brokers,
      deliveries: e?.deliveries.latest(KEEP_DELIVERIES) ?? [],
      deadLetters: e ? [...e.deliveries.deadLetters()] : [],
      deadDropped: e?.deliveries.deadDropped ?? 0,
      workload: this.workload(),
      events: this.events.slice(-KEEP_EVENTS),
      requests: this.sources.requests?.(KEEP_REQUESTS) ?? [],
      faults: this.sources.faults?.() ?? [],
      notice: this.notice,
      labs: this.labs,
      transaction: e?.transactions?.view() ?? null,
      txnOffsets: this.txnOffsets,
      health: healthOf(facts),
      clusterTruth: truth,
      metadataAgeMs,
      metadataDiffs: metadataDiffs(truth, { partitions: producerPartitions, controller: e?.metadata?.controller ?? null, metadataAgeMs }),
      log: this.log.latest(),
      liveAudit: this.audit ? { lost: this.audit.view.lost, duplicated: this.audit.view.duplicated, reordered: this.audit.view.reordered } : null,
      audit: this.audit,
      pipeline: e ? this.pipeline() : null,
      lastRetryCause: this.lastRetryCause,
      topicSettings: this.topicSettings?.topic === this.topic ? this.topicSettings : null,
    };
  }
}
