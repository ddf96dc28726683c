// The producer engine: serializer output -> partitioner -> RecordAccumulator -> Sender (kafkajs) -> delivery
// reports, with live settings and honest counters. The one object the store, the labs and the bench drive.
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { RecordAccumulator } from './accumulator/record-accumulator.js';
import { registerCodecs } from './compression/compression.js';
import { DeliveryLog } from './delivery-log.js';
import { EngineCounters } from './metrics/engine-counters.js';
import type { BrokerState, BrokerView, DeliveryError, DeliveryReport, EngineEvent, EngineTotals, OffsetsView, OutgoingRecord, PartitionView, ProducerStatus } from './engine-types.js';
import { brokerViews, engineTotals, partitionViews } from './engine-views.js';
import type { ConnectionOptions } from './sender/kafkajs-client.js';
import { MetadataCache } from './metadata-cache.js';
import { Partitioner, type PartitionInfo } from './partitioner.js';
import { ProducerClosedError } from './errors.js';
import { RetryTracker } from './sender/retry-tracker.js';
import { RecordFlow } from './record-flow.js';
import { Sender } from './sender/sender.js';
import { TransactionManager } from './transaction-manager.js';
import { accumulatorConfig, changesNeedingSwap, effectiveConfig, partitionStrategy, type ConfigProblem, type EffectiveConfig, type ProducerSettings } from './config/settings.js';
import { WireMonitor } from './sender/wire-monitor.js';
import { BatchesWritten, ProducerSequences, type ProducedBatch } from './metrics/batches-written.js';


export interface EngineOptions extends ConnectionOptions {
  settings?: Partial<ProducerSettings>;
  metadataRefreshMs?: number;
  /** Broker states where the cluster can tell (the sandbox, containers); otherwise brokers in Metadata are 'up'. */
  brokerStates?: () => ReadonlyMap<number, BrokerState>;
  /** Log end offsets and watermarks where the cluster can tell them directly (the sandbox). */
  offsets?: (topic: string) => ReadonlyMap<number, OffsetsView>;
}

export type ApplyResult = { ok: true; changed: string[]; swapped: boolean } | { ok: false; problems: readonly ConfigProblem[] };

export class ProducerEngine {
  readonly wire = new WireMonitor();
  readonly retries = new RetryTracker();
  readonly counters = new EngineCounters();
  readonly deliveries = new DeliveryLog();
  /** Per partition: the producer id, epoch and sequences of the batches written (idempotence made visible). */
  readonly sequences = new ProducerSequences();
  readonly metadata: MetadataCache;
  private readonly admin: Admin;
  private readonly acc: RecordAccumulator;
  private readonly partitioner: Partitioner;
  private readonly sender: Sender;
  private readonly records: RecordFlow;
  readonly transactions: TransactionManager;
  private user: Partial<ProducerSettings>;
  config: EffectiveConfig;
  status: ProducerStatus = { phase: 'connecting', producerId: null, producerEpoch: null, detail: null };
  private listeners = new Set<(e: EngineEvent) => void>();
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
    // Adaptive (KIP-794): the accumulator's queued batches per partition weigh the next sticky partition.
    this.partitioner = new Partitioner(partitionStrategy(s['partitioner.class'], s['partitioner.ignore.keys']), Math.random, (topic) =>
      new Map(this.acc.metrics().partitions.filter((p) => p.topic === topic).map((p) => [p.partition, p.queuedBatches])),
    );
    this.acc = new RecordAccumulator(accumulatorConfig(s), {
      events: {
        wakeup: () => this.sender.wakeup(),
        batchDrained: (b, queueTimeMs) => {
          this.counters.onBatchDrained(b, b.sizeInBytes, this.config.settings['compression.type']);
          this.counters.batchesDrained++;
          this.counters.queueTimeMsTotal += queueTimeMs;
          if (queueTimeMs > this.counters.queueTimeMsMax) this.counters.queueTimeMsMax = queueTimeMs;
        },
        batchDone: (b) => this.records.reportBatch(b),
      },
    });
    this.sender = new Sender(this.acc, this.metadata, { wire: this.wire, retries: this.retries }, opts, s, {
      onRequest: (c) => {
        this.counters.onRequest(c.records, c.batches, c.bytes, c.latencyMs);
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
    this.records = new RecordFlow({
      acc: this.acc,
      partitioner: this.partitioner,
      counters: this.counters,
      transactions: this.transactions,
      knownPartitions: (topic) => this.knownPartitions(topic),
      partitionsFor: (topic) => this.partitionsFor(topic),
      delivered: (r, rec) => {
        this.deliveries.add(r, rec);
        this.emit({ t: 'delivery', report: r });
      },
    });
    // The producer id and epoch come off the wire (kafkajs only logs them at DEBUG level), and so do the batches'
    // bytes after compression.
    const written = new BatchesWritten();
    this.wire.on((e) => {
      if (e.t === 'producer-id') this.setStatus({ ...this.status, producerId: e.producerId, producerEpoch: e.epoch });
      // The batches of a Produce request, where the wire monitor parses them (the kafkajs-based Sender's socket watch).
      const produced = (e.t === 'req.start' || e.t === 'req.end' ? (e.req as { produced?: ProducedBatch[] }).produced : undefined) ?? [];
      if (e.t === 'req.start') for (const b of produced) written.add(b, this.counters, this.sequences);
      if (e.t === 'req.end') for (const b of produced) written.answered(b, this.sequences);
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
  send(rec: OutgoingRecord): Promise<DeliveryReport> {
    return new Promise((resolve) => this.produce(rec, resolve));
  }

  /**
   * send() without a promise per record, for callers that send many: `onReport` gets the record's report once
   * (errors included; it never throws), never before produce() returns. Reports come per batch as the broker
   * answers, in append order.
   */
  produce(rec: OutgoingRecord, onReport: (r: DeliveryReport) => void): void {
    this.records.produce(rec, onReport);
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
    return engineTotals(this.acc.metrics(), this.counters, this.wire, this.config.settings['compression.type']);
  }

  partitionViews(topic: string): PartitionView[] {
    return partitionViews(topic, this.acc.metrics(), this.counters, this.metadata, this.opts.offsets?.(topic));
  }

  brokerViews(): BrokerView[] {
    return brokerViews(this.metadata, this.wire, this.opts.brokerStates?.());
  }
}
