// Sender (Java's name): takes ready batches from the accumulator as one request per leader broker and sends each
// with one kafkajs sendBatch call, with acks, compression and timeout from the current settings. kafkajs does the
// retries (inside the call); the retry tracker counts each call's attempts and reads its frames off the wire.
// Producer-level settings change by swapping the kafkajs producer without losing or reordering queued records.
import type { Kafka, Producer, TopicMessages, Transaction } from 'kafkajs';
import type { RecordAccumulator, ProducerRequest } from '../accumulator/record-accumulator.js';
import { COMPRESSION_ID } from '../compression/compression.js';
import type { DeliveryError, RequestCompletion } from '../engine-types.js';
import { acksValue, createKafka, createProducer, type ConnectionOptions, type Instrumentation } from './kafkajs-client.js';
import { topicMessages } from './kafkajs-messages.js';
import type { MetadataCache } from '../metadata-cache.js';
import { isFatalForProducer, isStaleMetadata, toDeliveryError } from './send-errors.js';
import type { ProducerSettings } from '../config/settings.js';

export interface SenderHooks {
  onRequest(c: RequestCompletion): void;
  /** kafkajs attempts a request again (or a batch goes back to its queue): `records` is what is retried. */
  onRetry(records: number, error: string): void;
  onFatal(error: DeliveryError): void;
}

export class Sender {
  private kafka!: Kafka;
  private producer!: Producer;
  /** The open transaction of a transactional producer; its batches go through it. */
  private txn: Transaction | null = null;
  private outstanding = new Set<Promise<void>>();
  private paused = true;
  /**
   * Wire order per broker. Concurrent kafkajs sendBatch calls overtake each other before they reach the socket
   * (its addMultipleTargetTopics lock wakes the next waiter before the releasing call resumes; compression is
   * asynchronous), which reordered batches of one partition with nothing failing. So a request to a broker
   * starts only once every batch of the previous one is on the wire (the retry tracker maps each Produce
   * frame to its batches), or that call is over.
   */
  private readonly lastWrite = new Map<number, Promise<void>>();

  constructor(
    private readonly acc: RecordAccumulator,
    private readonly metadata: MetadataCache,
    private readonly inst: Instrumentation,
    private readonly conn: ConnectionOptions,
    private settings: ProducerSettings,
    private readonly hooks: SenderHooks,
  ) {}

  async start(): Promise<void> {
    this.inst.retries.watch(this.inst.wire);
    this.kafka = createKafka(this.conn, this.settings, this.inst);
    this.producer = this.instrument(createProducer(this.kafka, this.settings));
    await this.producer.connect();
    this.paused = false;
    this.wakeup();
  }

  /** kafkajs's request timeouts say which frame failed (by broker and correlation id); nothing else does. */
  private instrument(producer: Producer): Producer {
    producer.on(producer.events.REQUEST_TIMEOUT, (e) => this.inst.retries.noteTimeout(e.payload.broker, e.payload.correlationId));
    return producer;
  }

  /** Per-send settings (acks, compression, request timeout on the broker) apply from the next request. */
  updateSettings(s: ProducerSettings): void {
    this.settings = s;
  }

  inFlightRequests(): number {
    return this.outstanding.size;
  }

  /**
   * Drains whatever is ready; called by the accumulator's wakeup and after every finished request. One drain
   * gives at most one request per broker, so it repeats until nothing more may go (Java's Sender loop does the
   * same): a burst of full batches fills max.in.flight at once instead of one request per completion.
   */
  wakeup(): void {
    if (this.paused) return;
    // A transactional producer sends only inside a transaction (the engine refuses records outside one).
    if (this.settings['transactional.id'] && !this.txn) return;
    for (let first = true; ; first = false) {
      const { requests, unknownLeaderTopics } = this.acc.drain((t, p) => this.metadata.leaderOf(t, p));
      if (first && unknownLeaderTopics.length > 0) {
        for (const t of unknownLeaderTopics) this.metadata.watch(t);
        void this.metadata.refresh().then(
          () => this.wakeup(),
          () => setTimeout(() => this.wakeup(), 250).unref(),
        );
      }
      if (requests.length === 0) return;
      for (const req of requests) {
        const p = this.send(req).finally(() => {
          this.outstanding.delete(p);
          this.wakeup();
        });
        this.outstanding.add(p);
      }
    }
  }

  private async send(req: ProducerRequest): Promise<void> {
    const s = this.settings;
    const producer = this.txn ?? this.producer;
    const acks = acksValue(s.acks);
    const records = req.batches.reduce((n, b) => n + b.recordCount, 0);
    // Wait for the frames the new one could be mistaken for, then for the previous request to this broker.
    const blockers = this.inst.retries.blockers(req.batches);
    const previous = this.lastWrite.get(req.brokerId);
    const tracked = this.inst.retries.track(req.batches, (n, error) => this.hooks.onRetry(n, error));
    this.lastWrite.set(req.brokerId, tracked.written);
    let started = performance.now();
    let ok = true;
    try {
      if (previous) await previous;
      for (const b of blockers) await b;
      started = performance.now();
      const results = await producer.sendBatch({
        topicMessages: topicMessages(req.batches, () => this.inst.retries.attempted(tracked)) as unknown as TopicMessages[],
        acks,
        timeout: s['request.timeout.ms'],
        compression: COMPRESSION_ID[s['compression.type']],
      });
      const offsets = new Map(results.map((r) => [`${r.topicName}\u0000${r.partition}`, Number(r.baseOffset)]));
      for (const b of req.batches) {
        const base = offsets.get(`${b.topic}\u0000${b.partition}`);
        if (base === undefined && acks !== 0) {
          // kafkajs 2.2.4 can resolve a send without an answer for a partition whose leader moved mid-send
          // (tulios/kafkajs#1303): that batch was never acknowledged, so it goes back for another try.
          this.hooks.onRetry(b.recordCount, `no acknowledgement for ${b.topicPartition} (its leader moved)`);
          void this.metadata.refresh().catch(() => {});
          this.acc.reenqueueFirst(b); // past delivery.timeout.ms it fails instead
          continue;
        }
        this.acc.complete(b, { baseOffset: base === undefined || Number.isNaN(base) || base < 0 ? null : base });
      }
    } catch (e) {
      ok = false;
      const err = toDeliveryError(e);
      for (const b of req.batches) this.acc.fail(b, Object.assign(new Error(err.message), { delivery: err }));
      if (isStaleMetadata(err)) void this.metadata.refresh().catch(() => {});
      if (isFatalForProducer(err)) this.hooks.onFatal(err);
    } finally {
      this.inst.retries.end(tracked);
      if (this.lastWrite.get(req.brokerId) === tracked.written) this.lastWrite.delete(req.brokerId);
    }
    this.hooks.onRequest({
      broker: req.brokerId,
      records,
      batches: req.batches.length,
      bytes: req.bytes,
      latencyMs: performance.now() - started,
      attempts: Math.max(1, tracked.attempts),
      ok,
      at: Date.now(),
    });
  }

  get transactionOpen(): boolean {
    return this.txn !== null;
  }

  /** Starts a transaction (kafkajs sends InitProducerId to the coordinator on the first one). */
  async beginTransaction(): Promise<void> {
    if (this.txn) throw new Error('a transaction is already open');
    this.txn = await this.producer.transaction();
    this.wakeup();
  }

  /** Adds a consumer group's offsets to the open transaction (consume-transform-produce). */
  async sendOffsets(offsets: { consumerGroupId: string; topics: { topic: string; partitions: { partition: number; offset: string }[] }[] }): Promise<void> {
    if (!this.txn) throw new Error('no open transaction');
    await this.txn.sendOffsets(offsets);
  }

  /** Ends the open transaction; the caller has flushed the accumulator so every record of it was sent. */
  async endTransaction(commit: boolean): Promise<void> {
    const txn = this.txn;
    if (!txn) throw new Error('no open transaction');
    await this.drainOutstanding();
    try {
      await (commit ? txn.commit() : txn.abort());
    } finally {
      this.txn = null;
    }
  }

  /**
   * Live swap (notes/kafkajs.md §8): stop draining (appends keep queueing), connect the new producer, let every
   * outstanding request of the old one finish (their kafkajs retries included), switch, resume, disconnect the
   * old one. Nothing queued is lost, duplicated or reordered: queued batches simply go out on the new producer.
   */
  async swap(next: ProducerSettings): Promise<void> {
    this.paused = true;
    const kafka = createKafka(this.conn, next, this.inst);
    const producer = this.instrument(createProducer(kafka, next));
    try {
      await producer.connect();
    } catch (e) {
      this.paused = false;
      this.wakeup();
      throw e;
    }
    await Promise.allSettled([...this.outstanding]);
    const old = this.producer;
    this.kafka = kafka;
    this.producer = producer;
    this.settings = next;
    this.paused = false;
    this.wakeup();
    await old.disconnect().catch(() => {});
  }

  /** Waits for requests on the wire; used by close after the accumulator has flushed. */
  async drainOutstanding(): Promise<void> {
    while (this.outstanding.size > 0) await Promise.allSettled([...this.outstanding]);
  }

  async stop(): Promise<void> {
    this.paused = true;
    await this.drainOutstanding();
    await this.producer?.disconnect().catch(() => {});
  }
}
