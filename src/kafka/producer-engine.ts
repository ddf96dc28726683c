// The producer engine: serializer output -> partitioner -> RecordAccumulator -> Sender (kafkajs) -> delivery
// reports, with live settings and honest counters. The one object the store, the labs and the bench drive.
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { RecordAccumulator } from './accumulator.js';
import { registerCodecs } from './compression.js';
import { DeliveryLog } from './delivery-log.js';
import { EngineCounters } from './engine-counters.js';
import type { BrokerState, BrokerView, DeliveryError, DeliveryReport, EngineEvent, EngineTotals, OutgoingRecord, PartitionView, ProducerStatus } from './engine-types.js';
import type { ConnectionOptions } from './kafkajs-client.js';
import { MetadataCache } from './metadata-cache.js';
import { Partitioner, type PartitionInfo } from './partitioner.js';
import { ProducerClosedError } from './producer-errors.js';
import { RetryTracker } from './retry-tracker.js';
import { toDeliveryError } from './send-errors.js';
import { Sender } from './sender.js';
import { TransactionManager } from './transaction-manager.js';
import { accumulatorConfig, changesNeedingSwap, effectiveConfig, partitionStrategy, type ConfigProblem, type EffectiveConfig, type ProducerSettings } from './settings.js';
import { WireMonitor } from './wire-monitor.js';

export interface OffsetsView {
  logEndOffset: number | null;
  highWatermark: number | null;
  logStartOffset: number | null;
}

export interface EngineOptions extends ConnectionOptions {
  settings?: Partial<ProducerSettings>;
  metadataRefreshMs?: number;
  /** Broker states where the cluster can tell (the sandbox, containers); otherwise brokers in Metadata are 'up'. */
  brokerStates?: () => ReadonlyMap<number, BrokerState>;
  /** Log end offsets and watermarks where the cluster can tell them directly (the sandbox). */
  offsets?: (topic: string) => ReadonlyMap<number, OffsetsView>;
}

export type ApplyResult = { ok: true; changed: string[]; swapped: boolean } | { ok: false; problems: readonly ConfigProblem[] };

// Decodes only the bytes a preview can show (4 per character at most), not a whole large value per record.
const previewText = (b: Buffer | null, max = 60): string | null => (b === null ? null : b.toString('utf8', 0, Math.min(b.length, max * 4)).slice(0, max));

export class ProducerEngine {
  readonly wire = new WireMonitor();
  readonly retries = new RetryTracker();
  readonly counters = new EngineCounters();
  readonly deliveries = new DeliveryLog();
  readonly metadata: MetadataCache;
  private readonly admin: Admin;
  private readonly acc: RecordAccumulator;
  private readonly partitioner: Partitioner;
  private readonly sender: Sender;
  readonly transactions: TransactionManager;
  private user: Partial<ProducerSettings>;
  config: EffectiveConfig;
  status: ProducerStatus = { phase: 'connecting', producerId: null, producerEpoch: null, detail: null };
  private listeners = new Set<(e: EngineEvent) => void>();
  private nextId = 1;
  private settingsChain: Promise<unknown> = Promise.resolve();
  private recreating = false;
  private readonly partitionCache = new Map<string, PartitionInfo[]>();

  private constructor(private readonly opts: EngineOptions) {
    this.user = { ...opts.settings };
    this.config = effectiveConfig(this.user);
    if (!this.config.ok) {
      throw new Error(`invalid producer settings: ${this.config.problems.filter((p) => p.level === 'error').map((p) => p.message).join('; ')}`);
    }
    const s = this.config.settings;
    // The admin client is not instrumented: its Metadata requests are not the producer's in-flight requests.
    this.admin = new Kafka({
      clientId: `${opts.clientId ?? 'kafka-producer-tui'}-admin`,
      brokers: opts.brokers,
      ssl: opts.ssl,
      sasl: opts.sasl,
      connectionTimeout: opts.connectionTimeoutMs ?? 3000,
      logLevel: logLevel.NOTHING,
      retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1000 },
    }).admin();
    this.metadata = new MetadataCache(this.admin);
    this.metadata.onChange(() => this.partitionCache.clear());
    this.partitioner = new Partitioner(partitionStrategy(s['partitioner.class'], s['partitioner.ignore.keys']));
    this.acc = new RecordAccumulator(accumulatorConfig(s), {
      events: {
        wakeup: () => this.sender.wakeup(),
        batchDrained: (_b, queueTimeMs) => {
          this.counters.batchesDrained++;
          this.counters.queueTimeMsTotal += queueTimeMs;
        },
      },
    });
    this.sender = new Sender(this.acc, this.metadata, { wire: this.wire, retries: this.retries }, opts, s, {
      onRequest: (c) => {
        this.counters.requests++;
        this.counters.requestRecords += c.records;
        this.counters.requestBytes += c.bytes;
        this.emit({ t: 'request', request: c });
      },
      onRetry: (records, error) => {
        this.counters.retries += records;
        this.emit({ t: 'retry', records, error, at: Date.now() });
      },
      onFatal: (err) => this.onFatal(err),
    });
    this.transactions = new TransactionManager(
      this.sender,
      () => this.acc.flush(),
      () => this.config.settings['transactional.id'],
      () => this.emit({ t: 'transaction', view: this.transactions.view(), at: Date.now() }),
    );
    // The producer id and epoch come off the wire (kafkajs only logs them at DEBUG level).
    this.wire.on((e) => {
      if (e.t === 'producer-id') this.setStatus({ ...this.status, producerId: e.producerId, producerEpoch: e.epoch });
    });
    this.retries.onLog((l) => {
      if (l.level !== 'debug') this.emit({ t: 'log', level: l.level, message: `${l.namespace}: ${l.message}`, at: l.at });
    });
  }

  static async start(opts: EngineOptions): Promise<ProducerEngine> {
    const engine = new ProducerEngine(opts);
    await registerCodecs();
    await engine.admin.connect();
    try {
      await engine.metadata.refresh();
      engine.metadata.start(opts.metadataRefreshMs ?? 1000);
      await engine.sender.start();
    } catch (e) {
      engine.metadata.stop();
      await engine.admin.disconnect().catch(() => {});
      throw e;
    }
    engine.setStatus({ ...engine.status, phase: 'ready', detail: null });
    return engine;
  }

  on(fn: (e: EngineEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private emit(e: EngineEvent): void {
    for (const l of this.listeners) l(e);
  }

  private setStatus(status: ProducerStatus): void {
    this.status = status;
    this.emit({ t: 'producer', status, at: Date.now() });
  }

  get settings(): ProducerSettings {
    return this.config.settings;
  }

  /** Partitions of a topic, fetching (and auto-creating, where the cluster allows) its metadata on first use. */
  async partitionsFor(topic: string): Promise<PartitionInfo[]> {
    let infos = this.metadata.partitionInfos(topic);
    if (infos.length === 0) {
      this.metadata.watch(topic);
      await this.metadata.refresh();
      infos = this.metadata.partitionInfos(topic);
    }
    if (infos.length === 0) throw new Error(`topic "${topic}" does not exist and the cluster did not create it`);
    return infos;
  }

  /** Partitions of a topic from the metadata, kept until the metadata changes (not a new array per record). */
  private knownPartitions(topic: string): PartitionInfo[] {
    let infos = this.partitionCache.get(topic);
    if (!infos) {
      infos = this.metadata.partitionInfos(topic);
      if (infos.length > 0) this.partitionCache.set(topic, infos);
    }
    return infos;
  }

  /** Sends one record. Never rejects: the report says what happened, including errors. */
  async send(rec: OutgoingRecord): Promise<DeliveryReport> {
    const id = this.nextId++;
    const started = performance.now();
    const bytes = (rec.key?.length ?? 0) + (rec.value?.length ?? 0);
    const report = (partition: number, offset: number | null, attempts: number, error: DeliveryError | null): DeliveryReport => ({
      id,
      topic: rec.topic,
      partition,
      offset,
      keyPreview: rec.keyPreview !== undefined ? rec.keyPreview : previewText(rec.key),
      valuePreview: rec.valuePreview ?? previewText(rec.value) ?? '(null)',
      bytes,
      latencyMs: performance.now() - started,
      attempts,
      error,
      at: Date.now(),
    });
    let partition = rec.partition ?? -1;
    let batchAttempts: (() => number) | null = null;
    const refused = this.transactions.refusal();
    if (refused) {
      this.counters.failed++;
      return this.finish(report(partition, null, 0, refused), rec);
    }
    try {
      // Known topics skip the async lookup: one promise fewer per record on the hot path.
      const known = this.knownPartitions(rec.topic);
      const infos = known.length > 0 ? known : await this.partitionsFor(rec.topic);
      // Only the sticky strategy re-partitions when a batch fills; round-robin already moves on every record.
      const sticky = rec.partition === undefined && rec.key === null && (this.partitioner.getStrategy().nullKey ?? 'sticky') === 'sticky';
      partition = this.partitioner.partition({ topic: rec.topic, key: rec.key, partition: rec.partition, partitions: infos });
      const input = { topic: rec.topic, partition, key: rec.key, value: rec.value, headers: rec.headers };
      let res = this.acc.appendNow(input, { abortOnNewBatch: sticky }) ?? (await this.acc.append(input, { abortOnNewBatch: sticky }));
      // Concurrent sends can all abort on the same full partition before any of them re-partitions: only the
      // one that moves the sticky partition opens the new batch, the others join it (Java's append does this in
      // one synchronous call). Each extra round means another send opened a batch, so this ends; the cap is a guard.
      for (let tries = 0; res.status === 'aborted-for-new-batch'; tries++) {
        const before = this.partitioner.currentStickyPartition(rec.topic);
        this.partitioner.onNewBatch(rec.topic, partition, infos);
        const moved = this.partitioner.currentStickyPartition(rec.topic) !== before;
        partition = this.partitioner.partition({ topic: rec.topic, key: null, partitions: infos });
        res = await this.acc.append({ ...input, partition }, { abortOnNewBatch: !moved && tries < 100 });
      }
      if (res.status !== 'appended') throw new Error('append was not accepted');
      const batch = res.batch;
      batchAttempts = () => this.sender.attempts.get(batch) ?? 1;
      this.counters.appended++;
      if (this.transactions.isOpen) this.transactions.recordAppended(rec.topic, partition);
      const pc = this.counters.partition(rec.topic, partition);
      pc.sent++;
      const meta = await res.delivered;
      pc.acked++;
      this.counters.acked++;
      const offset = meta.offset >= 0 ? meta.offset : null;
      if (offset !== null) pc.lastOffset = Math.max(pc.lastOffset ?? -1, offset);
      return this.finish(report(partition, offset, batchAttempts(), null), rec);
    } catch (e) {
      const err = (e as { delivery?: DeliveryError }).delivery ?? toDeliveryError(e);
      this.transactions.noteError(err);
      this.counters.failed++;
      if (partition >= 0) this.counters.partition(rec.topic, partition).failed++;
      return this.finish(report(partition, null, batchAttempts ? batchAttempts() : 0, err), rec);
    }
  }

  private finish(r: DeliveryReport, rec: OutgoingRecord): DeliveryReport {
    this.deliveries.add(r, rec);
    this.emit({ t: 'delivery', report: r });
    return r;
  }

  /** Re-sends dead letters (all, or the given report ids); returns their new reports. */
  resendDeadLetters(ids?: readonly number[]): Promise<DeliveryReport[]> {
    return Promise.all(this.deliveries.takeDeadLetters(ids).map((d) => this.send(d.record)));
  }

  /**
   * Applies a settings change. Per-send settings take effect at once; producer-level ones swap the kafkajs
   * producer without losing, duplicating or reordering queued records. Invalid combinations change nothing.
   */
  applySettings(change: Partial<ProducerSettings>): Promise<ApplyResult> {
    const run = async (): Promise<ApplyResult> => {
      const nextUser = { ...this.user, ...change };
      const next = effectiveConfig(nextUser);
      if (!next.ok) return { ok: false, problems: next.problems };
      const before = this.config.settings;
      const after = next.settings;
      const needSwap = changesNeedingSwap(before, after);
      const changed = (Object.keys(after) as (keyof ProducerSettings)[]).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
      this.user = nextUser;
      this.config = next;
      this.partitioner.setStrategy(partitionStrategy(after['partitioner.class'], after['partitioner.ignore.keys']));
      this.acc.reconfigure(accumulatorConfig(after));
      this.sender.updateSettings(after);
      if (needSwap.length > 0) {
        this.setStatus({ ...this.status, phase: 'swapping', detail: `new producer for ${needSwap.join(', ')}` });
        await this.sender.swap(after);
        this.setStatus({ phase: 'ready', producerId: this.status.producerId, producerEpoch: this.status.producerEpoch, detail: `producer replaced for ${needSwap.join(', ')}` });
      }
      if (changed.length > 0) this.emit({ t: 'settings', changed, at: Date.now() });
      return { ok: true, changed, swapped: needSwap.length > 0 };
    };
    const p = this.settingsChain.then(run, run);
    this.settingsChain = p.catch(() => {});
    return p;
  }

  /** kafkajs cannot repair sequence errors: recreate the producer (a new producer id), as Java would need to. */
  private onFatal(err: DeliveryError): void {
    if (this.config.settings['transactional.id']) {
      // A fenced transactional producer stays dead: recreating it would fence the newer producer in turn.
      this.transactions.noteError(err);
      this.setStatus({ phase: 'fatal', producerId: this.status.producerId, producerEpoch: this.status.producerEpoch, detail: `${err.code}: ${err.message}` });
      return;
    }
    if (this.recreating) return;
    this.recreating = true;
    this.setStatus({ phase: 'fatal', producerId: this.status.producerId, producerEpoch: this.status.producerEpoch, detail: `${err.code}: recreating the producer` });
    void this.sender
      .swap(this.config.settings)
      .then(() => this.setStatus({ phase: 'ready', producerId: this.status.producerId, producerEpoch: this.status.producerEpoch, detail: `producer recreated after ${err.code}` }))
      .catch((e) => this.setStatus({ phase: 'fatal', producerId: this.status.producerId, producerEpoch: this.status.producerEpoch, detail: `could not recreate the producer: ${(e as Error).message}` }))
      .finally(() => (this.recreating = false));
  }

  async flush(): Promise<void> {
    await this.acc.flush();
  }

  /**
   * Flushes (up to timeoutMs), then disconnects. Records that could not be sent in time fail with a clear error and
   * are counted in the result, so a caller can say what was not sent.
   */
  async close(timeoutMs = 10_000): Promise<{ unsent: number }> {
    const before = this.counters.failed;
    const flushed = await Promise.race([
      this.acc.close().then(() => true),
      new Promise<boolean>((r) => setTimeout(() => r(false), timeoutMs).unref()),
    ]);
    if (!flushed) this.acc.abortQueued(new ProducerClosedError());
    await this.sender.stop();
    this.metadata.stop();
    await this.admin.disconnect().catch(() => {});
    this.setStatus({ phase: 'closed', producerId: this.status.producerId, producerEpoch: this.status.producerEpoch, detail: null });
    // Let the rejected appends report themselves before counting.
    await new Promise((r) => setImmediate(r));
    return { unsent: this.counters.failed - before };
  }

  totals(): EngineTotals {
    const m = this.acc.metrics();
    return {
      appended: this.counters.appended,
      acked: this.counters.acked,
      failed: this.counters.failed,
      retries: this.counters.retries,
      requests: this.counters.requests,
      bytesOut: this.wire.bytesOut,
      queuedRecords: m.partitions.reduce((n, p) => n + p.queuedRecords, 0),
      waitingAppends: m.waitingAppends,
      bufferAvailableBytes: m.bufferAvailableBytes,
      bufferTotalBytes: m.bufferTotalBytes,
      compressionRate: 1,
    };
  }

  partitionViews(topic: string): PartitionView[] {
    const queues = new Map(this.acc.metrics().partitions.filter((p) => p.topic === topic).map((p) => [p.partition, p]));
    const offsets = this.opts.offsets?.(topic);
    return this.metadata.partitions(topic).map((p) => {
      const q = queues.get(p.partition);
      const c = this.counters.peekPartition(topic, p.partition);
      const o = offsets?.get(p.partition);
      return {
        topic,
        partition: p.partition,
        leader: p.leader,
        replicas: p.replicas,
        isr: p.isr,
        logEndOffset: o?.logEndOffset ?? null,
        highWatermark: o?.highWatermark ?? null,
        logStartOffset: o?.logStartOffset ?? null,
        queuedRecords: q?.queuedRecords ?? 0,
        openBatchFill: q?.openBatchFill ?? 0,
        lingerRemainingMs: q?.lingerRemainingMs ?? null,
        sent: c?.sent ?? 0,
        acked: c?.acked ?? 0,
        failed: c?.failed ?? 0,
        lastOffset: c?.lastOffset ?? null,
      };
    });
  }

  brokerViews(): BrokerView[] {
    const states = this.opts.brokerStates?.();
    const inFlight = this.wire.inFlightByBroker();
    const leaders = new Map<number, number>();
    for (const t of this.metadata.topicNames()) for (const p of this.metadata.partitions(t)) leaders.set(p.leader, (leaders.get(p.leader) ?? 0) + 1);
    const ids = new Set([...this.metadata.brokers.map((b) => b.id), ...(states?.keys() ?? [])]);
    const known = new Map(this.metadata.brokers.map((b) => [b.id, b]));
    return [...ids].sort((a, b) => a - b).map((id) => {
      const b = known.get(id);
      const address = b ? `${b.host}:${b.port}` : '';
      return {
        id,
        address,
        state: states?.get(id) ?? (b ? 'up' : 'unknown'),
        isController: this.metadata.controller === id,
        leaderCount: leaders.get(id) ?? 0,
        inFlight: address ? inFlight.get(address) ?? 0 : 0,
      };
    });
  }
}
