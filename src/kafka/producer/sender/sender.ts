// Sender (Java's name): drains ready batches from the accumulator as one Produce request per leader broker, on the
// producer's own connections, up to max.in.flight.requests.per.connection per broker (with idempotence too: sequence
// numbers keep the order). Each batch's answer decides its fate as in Java's Sender.completeBatch: written, retried
// (back at the front of its partition's queue, in sequence order, after backoff), split into smaller batches
// (MESSAGE_TOO_LARGE for several records) or failed. A batch still in flight at delivery.timeout.ms has already failed
// (the accumulator expires it); its answer then only resolves its sequence. Requests that time out or lose their
// connection are retried on whichever broker leads the partition once metadata has been refreshed from another broker.
import type { RecordAccumulator, ProducerRequest } from '../accumulator/record-accumulator.js';
import type { ProducerBatch } from '../accumulator/producer-batch.js';
import type { DeliveryError } from '../engine-types.js';
import { KafkaError, ProducerClosedError } from '../errors.js';
import type { MetadataCache } from '../metadata-cache.js';
import type { ProducerSettings } from '../config/settings.js';
import type { BatchProducerState } from '../../../wire/record-batch-builder.js';
import { encodeBatch, encodeCompressedBatch } from './batch-encoding.js';
import type { AnswerHandler } from './broker-connection.js';
import type { NetworkClient } from './network-client.js';
import { ProducerIdState } from './producer-id-state.js';
import { Api } from './protocol-client.js';
import { describeError, RETRIABLE_ERRORS, STALE_METADATA_ERRORS } from './send-errors.js';
import { SenderTransactions } from './sender-transactions.js';
import { TransactionClient, FENCED } from './transaction-client.js';
import { partitionAnswer, type ProduceAnswer, type SenderHooks } from './sender-hooks.js';

export type { SenderHooks } from './sender-hooks.js';
const RESOLVED = Promise.resolve();
const idempotent = (s: ProducerSettings) => s['enable.idempotence'] || s['transactional.id'] !== null;
const idKey = (s: ProducerSettings) => (s['transactional.id'] !== null ? `txn:${s['transactional.id']}` : s['enable.idempotence'] ? 'idempotent' : 'none');

export class Sender {
  readonly pid = new ProducerIdState();
  readonly txnClient: TransactionClient;
  readonly txn: SenderTransactions;
  /** Retries by cause (Kafka error name) since start. */
  readonly retryCauses = new Map<string, number>();
  private paused = true;
  private closing = false;
  private inFlight = 0;
  private readonly idle: (() => void)[] = [];
  /** With compression, requests to a broker leave in drain order though each waits for its codec. */
  private readonly writeChain = new Map<number, Promise<void>>();
  private fatal: DeliveryError | null = null;
  private wakeupQueued = false;
  private initializing: Promise<void> | null = null;
  /** The idempotence and transactional.id the producer id was obtained for. */
  private idFor = 'none';

  constructor(
    private readonly acc: RecordAccumulator,
    private readonly metadata: MetadataCache,
    readonly net: NetworkClient,
    private settings: ProducerSettings,
    private readonly hooks: SenderHooks,
  ) {
    this.txnClient = new TransactionClient(net, this.pid, () => ({
      transactionalId: this.settings['transactional.id'],
      transactionTimeoutMs: this.settings['transaction.timeout.ms'],
      retryBackoffMs: this.settings['retry.backoff.ms'],
      maxBlockMs: this.settings['max.block.ms'],
    }));
    this.txn = new SenderTransactions(this.txnClient, this.pid, {
      wakeup: () => this.wakeup(),
      drainInFlight: () => this.drainOutstanding(),
      abortQueued: (e) => this.acc.abortQueued(e),
      initProducerId: (why) => this.initProducerId(why),
      fatal: (e) => this.setFatal(e),
    });
    net.onStateChange = () => this.wakeup();
    net.onDisconnect = () => void this.metadata.refresh().catch(() => {});
  }

  async start(): Promise<void> {
    if (idempotent(this.settings)) await this.initProducerId('producer start');
    this.paused = false;
    this.wakeup();
  }

  private async initProducerId(why: string): Promise<void> {
    this.idFor = idKey(this.settings);
    this.initializing ??= this.txnClient.initProducerId().finally(() => (this.initializing = null));
    await this.initializing;
    this.hooks.onProducerId(this.pid.producerId, this.pid.epoch, why);
    this.wakeup();
  }

  /** Per-send settings (acks, compression, timeouts, retries) apply from the next request. */
  updateSettings(s: ProducerSettings): void {
    this.settings = s;
  }

  inFlightRequests(): number {
    return this.inFlight;
  }

  get transactionOpen(): boolean {
    return this.txn.open;
  }

  /**
   * Drains whatever may go; called by the accumulator's wakeup, when a connection opens or fails, and after every
   * answer. One drain gives at most one request per broker, so it repeats until nothing more may go.
   */
  wakeup(): void {
    if (this.paused || this.fatal) return;
    const s = this.settings;
    if (idempotent(s) && !this.pid.valid) return;
    if (this.pid.bumpRequested !== null && !this.maybeBump()) return;
    const transactional = s['transactional.id'] !== null;
    if (transactional && !this.txn.mayDrain()) return;
    const mayDrain = !idempotent(s) ? undefined : transactional ? this.mayDrainTransactional : this.mayDrainIdempotent;
    for (let first = true; ; first = false) {
      const { requests, unknownLeaderTopics } = this.acc.drain(this.leaderOf, this.connected, undefined, mayDrain);
      if (first && unknownLeaderTopics.length > 0) {
        for (const t of unknownLeaderTopics) this.metadata.watch(t);
        void this.metadata.refresh().then(
          () => this.wakeup(),
          () => setTimeout(() => this.wakeup(), s['retry.backoff.ms']).unref(),
        );
      }
      if (requests.length === 0) return;
      for (const req of requests) {
        if (idempotent(s)) for (const b of req.batches) this.pid.assign(b);
        this.send(req);
      }
    }
  }

  // The drain's questions, made once, not per drain.
  private readonly leaderOf = (topic: string, partition: number): number => this.metadata.leaderOf(topic, partition);
  private readonly connected = (broker: number): boolean => this.net.ready(broker) !== null;
  private readonly mayDrainIdempotent = (b: ProducerBatch): boolean => this.pid.mayDrain(b);
  private readonly mayDrainTransactional = (b: ProducerBatch): boolean => this.pid.mayDrain(b) && this.txn.added(b.topic, b.partition);

  /** KIP-360: a sequence that cannot be resolved bumps the epoch once nothing is in flight. */
  private maybeBump(): boolean {
    if (this.inFlight > 0) return false;
    if (this.pid.resolveWithoutBump()) return true;
    const why = this.pid.bumpRequested!;
    if (this.settings['transactional.id'] !== null) {
      // A transactional producer bumps through the coordinator when the transaction is aborted.
      this.txn.abortable({ code: 'OUT_OF_ORDER_SEQUENCE_NUMBER', message: `abort the transaction: ${why}`, retriable: false });
      this.pid.bumpRequested = null;
      return true;
    }
    if (this.pid.epoch >= 32766) {
      void this.initProducerId(`epoch exhausted after ${why}`).catch((e) => this.setFatal({ code: 'UNKNOWN_PRODUCER_ID', message: (e as Error).message, retriable: false }));
      this.pid.producerId = -1;
      return false;
    }
    this.pid.bumpEpoch();
    this.hooks.onProducerId(this.pid.producerId, this.pid.epoch, `epoch bumped: ${why}`);
    return true;
  }

  private producerState(b: ProducerBatch): BatchProducerState {
    return { producerId: b.producerId, producerEpoch: b.producerEpoch, baseSequence: b.baseSequence, transactional: this.settings['transactional.id'] !== null };
  }

  private send(req: ProducerRequest): void {
    this.inFlight++;
    const compressed = this.settings['compression.type'] !== 'none';
    const previous = this.writeChain.get(req.brokerId);
    if (!compressed && !previous) {
      const buffers: Buffer[] = new Array(req.batches.length);
      for (let i = 0; i < buffers.length; i++) buffers[i] = encodeBatch(req.batches[i], this.producerState(req.batches[i]));
      return this.write(req, buffers);
    }
    const type = this.settings['compression.type'];
    const encoded = Promise.all(req.batches.map((b) => (compressed ? encodeCompressedBatch(b, this.producerState(b), type) : encodeBatch(b, this.producerState(b)))));
    const written = (previous ?? Promise.resolve()).then(() => encoded).then(
      (buffers) => this.write(req, buffers),
      (e: unknown) => this.failed(req, new KafkaError('UNKNOWN_SERVER_ERROR', `could not compress: ${(e as Error).message}`, false), performance.now()),
    );
    this.writeChain.set(req.brokerId, written);
    void written.then(() => {
      if (this.writeChain.get(req.brokerId) === written) this.writeChain.delete(req.brokerId);
    });
  }

  private write(req: ProducerRequest, buffers: Buffer[]): void {
    const s = this.settings;
    const acks = s.acks === 'all' ? -1 : s.acks;
    const started = performance.now();
    for (let i = 0; i < req.batches.length; i++) {
      const b = req.batches[i];
      if (b.attempts === 0) this.hooks.onBatchWritten?.(buffers[i]);
      b.sendAttempts = b.attempts + 1;
    }
    const conn = this.net.ready(req.brokerId);
    if (!conn) {
      this.failed(req, new KafkaError('NETWORK_EXCEPTION', `no connection to broker ${req.brokerId}`, true), started);
      return;
    }
    const topicData: { name: string; partitionData: { index: number; records: Buffer }[] }[] = [];
    for (let i = 0; i < req.batches.length; i++) {
      const b = req.batches[i];
      const partitionData = topicData.find((x) => x.name === b.topic)?.partitionData;
      if (partitionData) partitionData.push({ index: b.partition, records: buffers[i] });
      else topicData.push({ name: b.topic, partitionData: Array.of({ index: b.partition, records: buffers[i] }) }); // no nested literal: cold, a runtime call
    }
    const body = { transactionalId: s['transactional.id'], acks, timeoutMs: s['request.timeout.ms'], topicData };
    req.started = started;
    conn.send(Api.Produce, body, s['request.timeout.ms'], conn.version(Api.Produce), acks !== 0, this.answers, req);
  }

  /** Each Produce request's answer or failure: one handler, not two closures per request. */
  private readonly answers: AnswerHandler<ProducerRequest> = {
    answered: (req, res: ProduceAnswer | null) => this.answered(req, res, req.started),
    failed: (req, e) => this.failed(req, e instanceof KafkaError ? e : new KafkaError('NETWORK_EXCEPTION', e.message, true), req.started, true),
  };

  private answered(req: ProducerRequest, res: ProduceAnswer | null, started: number): void {
    let ok = true;
    for (const b of req.batches) {
      if (res === null) {
        this.completed(b, null); // acks=0: no answer, no offset
        continue;
      }
      const p = partitionAnswer(res, b.topic, b.partition);
      const code = p ? p.errorCode : 13;
      // DUPLICATE_SEQUENCE_NUMBER: the broker has this batch already (Java counts it as written).
      const written = code === 0 || code === 46;
      if (!written) ok = false;
      if (b.expiredInFlight) this.answeredAfterExpiry(b, written, written && code === 0 ? p!.baseOffset : null);
      else if (written) this.completed(b, code === 0 && p!.baseOffset >= 0 ? p!.baseOffset : null);
      else {
        const { name, message } = describeError(code);
        // Java's completeBatch: a batch of several records refused as too large is split and sent again.
        if (name === 'MESSAGE_TOO_LARGE' && b.recordCount > 1) this.split(b);
        else this.retryOrFail(b, name, `${message} (broker ${req.brokerId}, ${b.topicPartition})`, RETRIABLE_ERRORS.has(name));
        if (STALE_METADATA_ERRORS.has(name)) void this.metadata.refresh().catch(() => {});
      }
    }
    this.finished(req, started, ok);
  }

  /** `unanswered`: sent and never answered (a timeout, a lost connection), so the broker may have written it. */
  private failed(req: ProducerRequest, e: KafkaError, started: number, unanswered = false): void {
    for (const b of req.batches) {
      b.mayBeWritten ||= unanswered;
      if (b.expiredInFlight) this.answeredAfterExpiry(b, false, null);
      else this.retryOrFail(b, e.code, e.message, e.retriable);
    }
    // Java: a disconnect or a timeout means the metadata may be stale; ask another broker.
    if (e.retriable) void this.metadata.refresh().catch(() => {});
    this.finished(req, started, false);
  }

  private completed(b: ProducerBatch, baseOffset: number | null): void {
    if (b.producerId >= 0) this.pid.acked(b);
    b.encoded = null;
    this.acc.complete(b, { baseOffset });
  }

  /**
   * A batch expired (delivery.timeout.ms) off the wire, holding a sequence (a retry in backoff): the sequence is
   * unresolved (Java's markSequenceUnresolved), so the epoch is bumped. On the wire: see answeredAfterExpiry.
   */
  batchExpired(b: ProducerBatch): void {
    if (b.expiredInFlight || b.producerId < 0) return;
    this.pid.failed(b, 'DELIVERY_TIMEOUT');
    this.wakeup();
  }

  /** Smaller batches take the refused one's place (and its sequences); no attempt is counted (Java's recordBatchSplit). */
  private split(b: ProducerBatch): void {
    b.encoded = null;
    const parts = this.acc.splitAndReenqueue(b);
    this.pid.split(b, parts);
    this.hooks.onSplit?.(b, parts.length);
  }

  /**
   * The answer to a batch that expired in flight (its sender was told TimeoutException; Java logs the answer). Written:
   * its sequences are acknowledged. Not written, or not known: unresolved, so the epoch is bumped (KIP-360).
   */
  private answeredAfterExpiry(b: ProducerBatch, written: boolean, baseOffset: number | null): void {
    b.encoded = null;
    this.acc.answered(b);
    if (b.producerId >= 0 && written) this.pid.acked(b);
    else if (b.producerId >= 0) this.pid.failed(b, 'DELIVERY_TIMEOUT');
    this.hooks.onAnswerAfterExpiry?.(b, written, baseOffset);
  }

  /** Java's completeBatch for an error: another try when Kafka allows one and time is left, else a failure. */
  private retryOrFail(b: ProducerBatch, code: string, message: string, retriable: boolean): void {
    const s = this.settings;
    const transactional = s['transactional.id'] !== null;
    if (code === 'OUT_OF_ORDER_SEQUENCE_NUMBER' && this.pid.writtenAlready(b)) {
      this.completed(b, null); // written, offset unknown (Java's answer to DUPLICATE_SEQUENCE_NUMBER)
      return;
    }
    let canRetry = retriable && !this.closing && !this.fatal;
    if (b.producerId >= 0 && !this.closing && (code === 'OUT_OF_ORDER_SEQUENCE_NUMBER' || code === 'UNKNOWN_PRODUCER_ID')) {
      canRetry = this.pid.canRetrySequenceError(code, b, transactional);
    }
    if (canRetry && b.attempts < s.retries) {
      // Past delivery.timeout.ms the batch expires instead (batchExpired resolves its sequence).
      if (this.acc.reenqueueFirst(b) === 'requeued') {
        this.retryCauses.set(code, (this.retryCauses.get(code) ?? 0) + 1);
        this.hooks.onRetry(b.recordCount, code, b.topicPartition);
      }
      return;
    }
    const delivery: DeliveryError = { message, code, retriable };
    this.pid.failed(b, code);
    b.encoded = null;
    this.acc.fail(b, Object.assign(new KafkaError(code, message, retriable), { delivery }));
    if (FENCED.has(code) && transactional) this.setFatal(delivery);
    else if (transactional) this.txn.abortable(delivery);
  }

  private finished(req: ProducerRequest, started: number, ok: boolean): void {
    this.inFlight--;
    let records = 0;
    let attempts = 1;
    for (const b of req.batches) {
      records += b.recordCount;
      if (b.sendAttempts > attempts) attempts = b.sendAttempts;
    }
    const latencyMs = performance.now() - started;
    this.hooks.onRequest({ broker: req.brokerId, records, batches: req.batches.length, bytes: req.bytes, latencyMs, attempts, ok, at: Date.now() });
    if (this.inFlight === 0 && this.idle.length > 0) for (const fn of this.idle.splice(0)) fn();
    // Answers that arrive together (one socket read) are all handled before the next drain, as Java's Sender
    // handles every completed receive of a poll before draining: fewer, fuller requests.
    if (this.wakeupQueued) return;
    this.wakeupQueued = true;
    void RESOLVED.then(this.queuedWakeup); // not queueMicrotask: it makes an AsyncResource per call
  }

  private readonly queuedWakeup = (): void => {
    this.wakeupQueued = false;
    this.wakeup();
  };

  private setFatal(e: DeliveryError): void {
    if (this.fatal) return;
    this.fatal = e;
    this.acc.abortQueued(Object.assign(new KafkaError(e.code ?? 'UNKNOWN_SERVER_ERROR', e.message, false), { delivery: e }));
    this.hooks.onFatal(e);
  }

  /** Starts a transaction (InitProducerId first, if this producer has none yet). */
  beginTransaction(): Promise<void> {
    return this.txn.begin(this.fatal);
  }

  /** A record of the open transaction was appended: its partition joins the transaction before it is sent. */
  partitionAppended(topic: string, partition: number): void {
    this.txn.partitionAppended(topic, partition);
  }

  sendOffsets(offsets: { consumerGroupId: string; topics: { topic: string; partitions: { partition: number; offset: string }[] }[] }): Promise<void> {
    return this.txn.sendOffsets(offsets.consumerGroupId, offsets.topics);
  }

  endTransaction(commit: boolean): Promise<void> {
    return this.txn.end(commit);
  }

  /**
   * New producer-level settings: stop draining, let requests in flight finish, and get a new producer id when
   * idempotence or the transactional.id changed. Queued records are kept, in order.
   */
  async swap(next: ProducerSettings): Promise<void> {
    this.paused = true;
    await this.drainOutstanding();
    this.settings = next;
    // The engine may have passed the new settings already (updateSettings): compare with those the id is for.
    const newId = this.idFor !== idKey(next) || this.fatal !== null;
    this.fatal = null;
    try {
      if (newId) {
        this.txn.reset();
        this.pid.reset(-1, -1);
        // Recorded here too: a swap to a producer without an id must not look like the old idempotent one later.
        this.idFor = idKey(next);
        if (idempotent(next)) await this.initProducerId('settings changed');
      }
    } finally {
      this.paused = false;
      this.wakeup();
    }
  }

  /** Resolves once no request is in flight. */
  drainOutstanding(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  /** Waits up to `graceMs` for requests in flight, then closes every connection (their batches fail). */
  async stop(graceMs = 5000): Promise<void> {
    this.paused = true;
    await Promise.race([this.drainOutstanding(), new Promise((r) => setTimeout(r, graceMs).unref())]);
    this.closing = true;
    this.net.close();
    this.acc.abortQueued(new ProducerClosedError());
  }
}
