// The producer engine: serializer output -> partitioner -> RecordAccumulator -> Sender (own connections) ->
// delivery reports, with live settings and honest counters. The one object the store, the labs and the bench drive.
import { RecordAccumulator } from './accumulator/record-accumulator.js';
import { registerCodecs } from './compression/compression.js';
import { DeliveryLog } from './delivery-log.js';
import { OneRecordDelivery } from './batch-delivery.js';
import { EngineCounters } from './metrics/engine-counters.js';
import type { BatchDelivery, BrokerState, BrokerView, SenderView, DeliveryError, DeliveryReport, EngineEvent, EngineTotals, OffsetsView, OutgoingRecord, PartitionSequence, PartitionView, ProducerStatus, Reachability } from './engine-types.js';
import { brokerViews, engineTotals, partitionViews } from './engine-views.js';
import type { ConnectionOptions } from './sender/connection-options.js';
import { NetworkClient } from './sender/network-client.js';
import { MetadataCache } from './metadata-cache.js';
import { Partitioner, type PartitionInfo } from './partitioner.js';
import { ProducerClosedError } from './errors.js';
import { RecordFlow, type BatchReportCallback, type ReportCallback } from './record-flow.js';
import { Sender } from './sender/sender.js';
import { TransactionManager } from './transaction-manager.js';
import { accumulatorConfig, changesNeedingSwap, effectiveConfig, partitionStrategy, type ConfigProblem, type EffectiveConfig, type ProducerSettings } from './config/settings.js';
import { WireMonitor } from './sender/wire-monitor.js';
import { batchCodec } from './metrics/batch-codec.js';
import { plural } from './plural.js';

/** Longest partitionsReady waits for the leaders' connections. */
const READY_WAIT_MS = 200;


/** No periodic metadata refresh comes sooner than this, whatever metadata.max.age.ms and retry.backoff.ms say. */
const MIN_METADATA_REFRESH_MS = 10;

/**
 * The periodic refresh, as Java's Metadata schedules it: every metadata.max.age.ms, but not sooner than its refresh
 * backoff (retry.backoff.ms), so metadata.max.age.ms=0 asks again after each backoff rather than in a loop.
 */
function metadataRefreshMs(s: ProducerSettings): number {
  return Math.max(s['metadata.max.age.ms'], s['retry.backoff.ms'], MIN_METADATA_REFRESH_MS);
}

export interface EngineOptions extends ConnectionOptions {
  settings?: Partial<ProducerSettings>;
  /** A fixed periodic metadata refresh instead of the one metadata.max.age.ms sets. */
  metadataRefreshMs?: number;
  /** Broker states where the cluster can tell (the sandbox, containers); otherwise brokers in Metadata are 'up'. */
  brokerStates?: () => ReadonlyMap<number, BrokerState>;
  /** Log end offsets and watermarks where the cluster can tell them directly (the sandbox). */
  offsets?: (topic: string) => ReadonlyMap<number, OffsetsView>;
}

export type ApplyResult = { ok: true; changed: string[]; swapped: boolean } | { ok: false; problems: readonly ConfigProblem[] };

export class ProducerEngine {
  readonly wire = new WireMonitor();
  readonly net: NetworkClient;
  readonly counters = new EngineCounters();
  readonly deliveries = new DeliveryLog();
  readonly metadata: MetadataCache;
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
    this.net = new NetworkClient(opts, this.wire, () => this.config.settings['request.timeout.ms']);
    this.metadata = new MetadataCache(
      // A broker that stopped answering must not hold the metadata (and the screens) for request.timeout.ms.
      (apiKey, body) => this.net.requestAny(apiKey, body, 3, Math.min(2000, this.config.settings['request.timeout.ms'])),
      (brokers) => this.net.setBrokers(brokers),
    );
    this.metadata.onChange(() => {
      this.partitionCache.clear();
      this.sender?.wakeup();
    });
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
        batchDone: (b, outcome) => {
          if (outcome === 'expired') this.sender.batchExpired(b);
          this.records.reportBatch(b);
        },
        repartition: (r) => this.records.repartition(r),
      },
    });
    this.sender = new Sender(this.acc, this.metadata, this.net, s, {
      onRequest: (c) => {
        this.counters.onRequest(c.records, c.batches, c.bytes, c.latencyMs);
        this.emit({ t: 'request', request: c });
      },
      onRetry: (records, error, topicPartition) => {
        this.counters.retries += records;
        this.emit({ t: 'retry', records, error, at: Date.now(), partitions: [topicPartition] });
      },
      onProducerId: (producerId, producerEpoch, why) => {
        const was = this.status;
        if (was.producerId === producerId && was.producerEpoch !== null && was.producerEpoch !== producerEpoch) {
          this.emit({ t: 'epoch-bump', producerId, from: was.producerEpoch, to: producerEpoch, why, at: Date.now() });
        }
        this.setStatus({ ...this.status, producerId, producerEpoch });
        this.emit({ t: 'log', level: 'info', message: `producer id ${producerId}, epoch ${producerEpoch} (${why})`, at: Date.now() });
      },
      onFatal: (err) => this.onFatal(err),
      // Bytes after compression per codec, from the batches as the Sender writes them.
      onBatchWritten: (bytes) => this.counters.onBatchWritten(batchCodec(bytes), bytes.length),
      onSplit: (b, parts) => {
        this.counters.batchSplits++;
        const message = `${b.topicPartition}: a batch of ${b.recordCount} records was refused as too large (MESSAGE_TOO_LARGE); split into ${parts} and sent again`;
        this.emit({ t: 'log', level: 'warn', message, at: Date.now() });
      },
      onAnswerAfterExpiry: (b, written, offset) => {
        const what = written ? `written after all${offset !== null && offset >= 0 ? ` at offset ${offset}` : ''}` : 'not known to be written';
        const message = `${b.topicPartition}: ${plural(b.recordCount, 'record')} reported as expired (delivery.timeout.ms) ${b.recordCount === 1 ? 'was' : 'were'} ${what}`;
        this.emit({ t: 'log', level: 'warn', message, at: Date.now() });
      },
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
        if (this.listeners.size > 0) this.emit({ t: 'delivered', batch: new OneRecordDelivery(r, rec) });
      },
      deliveredBatch: (d) => this.deliveredBatch(d),
    });
  }

  static async start(opts: EngineOptions): Promise<ProducerEngine> {
    const engine = new ProducerEngine(opts);
    await registerCodecs();
    try {
      await engine.metadata.refresh();
      // As Java's producer: errors, disconnects and timeouts refresh at once; otherwise every metadata.max.age.ms. The
      // screens read the cluster's own state apart from this, so a leader the producer has not heard of yet shows.
      engine.metadata.start(opts.metadataRefreshMs ?? metadataRefreshMs(engine.config.settings));
      await engine.sender.start();
    } catch (e) {
      engine.metadata.stop();
      engine.net.close();
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
    // A topic being auto-created answers LEADER_NOT_AVAILABLE at first: ask again, within max.block.ms. The first
    // retry comes soon (the sandbox has the leaders by the next request; a real cluster's creation takes longer, so
    // the wait doubles): starting at 50 ms held `bench` on a new topic back ~52 ms, 13% of a 200,000-record run.
    const until = Date.now() + Math.min(this.settings['max.block.ms'], 10_000);
    for (let wait = 5; infos.length === 0; wait = Math.min(wait * 2, 500)) {
      this.metadata.watch(topic);
      await this.metadata.refresh();
      infos = this.metadata.partitionInfos(topic);
      const err = this.metadata.topicErrors.get(topic);
      if (infos.length > 0 || Date.now() >= until || (err !== undefined && err !== 'LEADER_NOT_AVAILABLE' && err !== 'UNKNOWN_TOPIC_OR_PARTITION')) break;
      await new Promise((r) => setTimeout(r, wait));
    }
    if (infos.length === 0) throw new Error(`topic "${topic}" does not exist and the cluster did not create it`);
    return infos;
  }

  /**
   * partitionsFor, then the connections to the partitions' leaders opened (failures ignored: the sends report
   * them). For a caller about to send many records at once: Java's producer opens these from its own I/O thread
   * while the application appends; here one thread does both, so a connection's handshake opened by the first
   * drain waits behind the appends (tens of ms before the first request of a fresh producer). Waits at most
   * READY_WAIT_MS for them: a broker that does not answer (paused, far away) must not hold the first records back.
   */
  async partitionsReady(topic: string): Promise<PartitionInfo[]> {
    const infos = await this.partitionsFor(topic);
    const addresses = new Set<string>();
    for (const p of infos) {
      const address = p.leader >= 0 ? this.net.addressOf(p.leader) : undefined;
      if (address !== undefined) addresses.add(address);
    }
    let timer: NodeJS.Timeout | undefined;
    const opened = Promise.all([...addresses].map((a) => this.net.open(a).catch(() => {})));
    await Promise.race([opened, new Promise((r) => (timer = setTimeout(r, READY_WAIT_MS)))]);
    clearTimeout(timer);
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
   * (errors included; it never throws), never before produce() returns, with `rec` itself, so a caller sending many
   * can pass one callback for all. Reports come per batch as the broker answers, in append order. The engine keeps
   * no reference to `rec` once its report is out: the caller may reuse the object for another record then.
   */
  produce(rec: OutgoingRecord, onReport: ReportCallback): void {
    this.records.produce(rec, onReport);
  }

  /**
   * produce() with reports per batch, for callers that send very many: `onBatch` gets one call per finished batch
   * (per run of consecutive records of this callback in it) instead of a report object and a call per record. The
   * delivery log and 'delivered' listeners still see every record, a report made only when someone reads it.
   */
  produceBatched(rec: OutgoingRecord, onBatch: BatchReportCallback): void {
    this.records.produceBatched(rec, onBatch);
  }

  private deliveredBatch(d: BatchDelivery): void {
    this.deliveries.addBatch(d);
    if (this.listeners.size > 0) this.emit({ t: 'delivered', batch: d });
  }

  /** Re-sends dead letters (all, or the given report ids); returns their new reports. */
  resendDeadLetters(ids?: readonly number[]): Promise<DeliveryReport[]> {
    return Promise.all(this.deliveries.takeDeadLetters(ids).map((d) => this.send(d.record)));
  }

  /**
   * Applies a settings change. Per-send settings take effect at once; producer-level ones (idempotence, the
   * transactional.id) get a new producer id without losing, duplicating or reordering queued records. Invalid combinations change nothing.
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
      const refreshMs = metadataRefreshMs(after);
      if (this.opts.metadataRefreshMs === undefined && refreshMs !== metadataRefreshMs(before)) this.metadata.start(refreshMs);
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

  /** A producer that cannot go on (fenced, or its id lost): a transactional one stays dead, others get a new id. */
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
    const deadline = Date.now() + timeoutMs;
    const flushed = await Promise.race([
      this.acc.close().then(() => true),
      new Promise<boolean>((r) => setTimeout(() => r(false), timeoutMs).unref()),
    ]);
    if (!flushed) this.acc.abortQueued(new ProducerClosedError());
    // Requests still in flight get what is left of the time, then their connections close and they fail.
    await this.sender.stop(Math.max(0, deadline - Date.now()));
    this.metadata.stop();
    this.setStatus({ phase: 'closed', producerId: this.status.producerId, producerEpoch: this.status.producerEpoch, detail: null });
    // Let the rejected appends report themselves before counting.
    await new Promise((r) => setImmediate(r));
    return { unsent: this.counters.failed - before };
  }

  /** Records waiting for buffer.memory (totals().waitingAppends), cheap enough to ask per send. */
  waitingForMemory(): number {
    return this.records.waitingForMemory;
  }

  totals(): EngineTotals {
    return engineTotals(this.acc.metrics(), this.counters, this.wire, this.config.settings['compression.type']);
  }

  partitionViews(topic: string): PartitionView[] {
    return partitionViews(topic, this.acc.metrics(), this.counters, this.metadata, this.opts.offsets?.(topic));
  }

  senderView(): SenderView {
    const pid = this.sender.pid;
    return {
      producerId: pid.valid ? pid.producerId : null,
      producerEpoch: pid.valid ? pid.epoch : null,
      epochBumps: pid.bumps,
      brokers: this.net.brokerStates().map((b) => ({ ...b, rttMs: this.wire.lastRttMs.get(b.address) ?? null })),
      bytesOut: this.wire.bytesOut,
      bytesIn: this.wire.bytesIn,
      retriesByCause: Object.fromEntries(this.sender.retryCauses),
      sequences: pid.view(),
    };
  }

  /** The idempotent producer's sequences per partition of `topic`, by partition number, from the Sender's own state. */
  partitionSequences(topic: string): PartitionSequence[] {
    return this.sender.pid
      .view()
      .filter((q) => q.topic === topic)
      .sort((a, b) => a.partition - b.partition)
      .map(({ partition, producerId, epoch, nextSequence, lastAckedSequence, unacked }) => ({ topic, partition, producerId, epoch, nextSequence, lastAckedSequence: lastAckedSequence < 0 ? null : lastAckedSequence, unacked }));
  }

  brokerViews(): BrokerView[] {
    return brokerViews(this.metadata, this.wire, this.opts.brokerStates?.());
  }

  /** The brokers the producer knows, and those it cannot connect to now (not connected, the last attempt failed). */
  reachability(): Reachability {
    const brokers = this.net.brokerStates();
    return { known: brokers.length, unreachable: brokers.flatMap((b) => (!b.connected && b.lastError !== null ? [{ id: b.id, error: b.lastError }] : [])) };
  }
}
