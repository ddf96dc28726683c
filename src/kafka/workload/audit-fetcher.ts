/**
 * The live audit's reader: fetches one topic from each partition's leader, from given offsets on, forever, and
 * hands over per record only what the audit reads (offset, key, the audit stamp's text). It replaces a
 * kafkajs consumer, which decoded every record into objects, kept a consumer group and resolved a chain of
 * promises per fetch, beside every produce request of the app. It speaks Fetch over the producer's own
 * connection class (ApiVersions, TLS, SASL) and reads batches with the wire's record walk.
 *
 * Semantics are a plain consumer's (Kafka's Fetcher): fetch.min.bytes 1, fetch.max.wait.ms as given (and a least
 * time between two fetches of a broker, fetchGapMs), up to 1 MiB per partition and 10 MiB per fetch; control
 * records are never handed over; read_committed fetches up to the last stable offset and drops the batches of
 * aborted transactions (the response's aborted-transaction list, until the abort marker); an offset out of range
 * moves to the end of the log (auto.offset.reset=latest); a stale leader, a closed connection or a retriable
 * error refreshes the metadata and tries again.
 */
import { ErrorCode, errorName } from '../../wire/error-codes.js';
import type { BatchHeader } from '../../wire/record-batch.js';
import { isAbortMarker, walkRecords, wholeBatches, type BatchSlice } from '../../wire/record-walk.js';
import type { ClientTarget } from '../cluster/clients.js';
import { codecFor, COMPRESSION_TYPES, type CodecName } from '../producer/compression/compression.js';
import { KafkaError } from '../producer/errors.js';
import { BrokerConnection } from '../producer/sender/broker-connection.js';
import { parseAddress } from '../producer/sender/network-client.js';
import { Api } from '../producer/sender/protocol-client.js';
import type { SaslOptions } from '../producer/sender/sasl.js';
import { WireMonitor } from '../producer/sender/wire-monitor.js';
import type { IsolationLevel } from './topic-reader.js';

/** One record as the audit reads it: header values are text, null when the record lacks the header. */
export interface AuditedRecord {
  partition: number;
  offset: number;
  key: Buffer | null;
  /** The value of the header named `stampHeader` (the first, when repeated); null when absent. */
  stamp: string | null;
}

export interface AuditFetcherOptions {
  target: ClientTarget;
  topic: string;
  isolation: IsolationLevel;
  /** Next offset to read per partition: read from, and moved on as records are read (shared with the caller). */
  positions: Map<number, number>;
  maxWaitMs: number;
  /**
   * The least time from one fetch to the next of a broker (default 0). Each fetch is answered as soon as one record
   * arrives (fetch.min.bytes 1): at 1,000 records a second that was a fetch per produce request; a gap bounds them
   * while every record is still read within the gap of its arrival.
   */
  fetchGapMs?: number;
  /** The header picked from every record: the audit stamp's. */
  stampHeader: string;
  /** Each record read, once; `r` is reused for the next record, so it is read during the call only. */
  onRecord: (r: AuditedRecord) => void;
  /**
   * Each partition's last stable offset as a fetch answered it (the high watermark when no transaction is open: what
   * a consumer can read up to, as ListOffsets answers for read_committed), with the time the fetch was sent (`now`).
   */
  onWatermark: (partition: number, offset: number, sentAt: number) => void;
  now: () => number;
  /** A failure that retrying cannot fix (authorization, authentication): the reader stops. */
  onFailure: (message: string) => void;
  connectTimeoutMs?: number;
}

const PARTITION_MAX_BYTES = 1024 * 1024;
const MAX_BYTES = 10 * 1024 * 1024;
const REQUEST_TIMEOUT_MS = 30_000;
const BACKOFF_MS = 200;
const MAX_BACKOFF_MS = 1000;
/** Errors that no retry fixes. */
const FATAL = new Set<number>([ErrorCode.TOPIC_AUTHORIZATION_FAILED, ErrorCode.CLUSTER_AUTHORIZATION_FAILED]);

interface PartitionFetch {
  partitionIndex: number;
  errorCode: number;
  highWatermark: number;
  lastStableOffset: number;
  abortedTransactions: { producerId: number; firstOffset: number }[] | null;
  records: Buffer | null;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

export class AuditFetcher {
  private readonly wire = new WireMonitor();
  private readonly conns = new Map<string, Promise<BrokerConnection>>();
  private readonly headerNames: readonly Buffer[];
  /** Broker addresses by node id, and each partition's leader, from the latest metadata. */
  private brokers = new Map<number, string>();
  private leaders = new Map<number, number>();
  /** Node ids whose fetch loop runs. */
  private readonly loops = new Set<number>();
  private refreshing: Promise<void> | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  /** Per partition: the byte limit of its next fetch (doubled when a batch did not fit). */
  private readonly partitionMaxBytes = new Map<number, number>();
  private closed = false;

  constructor(private readonly opts: AuditFetcherOptions) {
    this.headerNames = [Buffer.from(opts.stampHeader, 'utf8')];
  }

  /** Reads the metadata and starts a fetch loop per leader; rejects when no bootstrap server answers. */
  async start(): Promise<void> {
    await this.refresh();
    this.startLoops();
  }

  close(): void {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    for (const c of this.conns.values()) void c.then((conn) => conn.close()).catch(() => {});
    this.conns.clear();
  }

  private connection(address: string): Promise<BrokerConnection> {
    let c = this.conns.get(address);
    if (!c) {
      const { host, port } = parseAddress(address);
      const security = this.opts.target.security;
      c = BrokerConnection.open(
        { host, port, clientId: 'kafka-producer-tui-live-audit', ssl: security?.ssl, sasl: security?.sasl as SaslOptions | undefined, setupTimeoutMs: this.opts.connectTimeoutMs ?? 3000 },
        this.wire,
      );
      this.conns.set(address, c);
      c.then(
        (conn) => conn.onClose(() => this.conns.get(address) === c && this.conns.delete(address)),
        () => this.conns.get(address) === c && this.conns.delete(address),
      );
    }
    return c;
  }

  /** One metadata refresh at a time; callers during one share it. */
  private refresh(): Promise<void> {
    this.refreshing ??= this.loadMetadata().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  private async loadMetadata(): Promise<void> {
    const known = [...this.brokers.values(), ...this.opts.target.brokers];
    let last: Error | null = null;
    for (const address of new Set(known)) {
      if (this.closed) return;
      try {
        const conn = await this.connection(address);
        const md = await conn.request(Api.Metadata, { topics: [{ name: this.opts.topic }], allowAutoTopicCreation: false }, REQUEST_TIMEOUT_MS);
        const topic = (md.topics as { name: string; errorCode: number; partitions: { partitionIndex: number; leaderId: number }[] }[]).find((t) => t.name === this.opts.topic);
        if (topic && FATAL.has(topic.errorCode)) {
          this.fail(`the live audit may not read ${this.opts.topic}: ${errorName(topic.errorCode)}`);
          return;
        }
        this.brokers = new Map((md.brokers as { nodeId: number; host: string; port: number }[]).map((b) => [b.nodeId, `${b.host}:${b.port}`]));
        this.leaders = new Map((topic?.partitions ?? []).map((p) => [p.partitionIndex, p.leaderId]));
        return;
      } catch (e) {
        last = e as Error;
        if (e instanceof KafkaError && !e.retriable) {
          this.fail(`the live audit cannot connect: ${e.message}`);
          return;
        }
      }
    }
    throw last ?? new Error('no bootstrap server');
  }

  private fail(message: string): void {
    if (this.closed) return;
    this.opts.onFailure(message);
    this.close();
  }

  private startLoops(): void {
    let leaderless = false;
    for (const partition of this.opts.positions.keys()) {
      const leader = this.leaders.get(partition) ?? -1;
      if (leader < 0 || !this.brokers.has(leader)) leaderless = true;
      if (leader < 0 || !this.brokers.has(leader) || this.loops.has(leader)) continue;
      this.loops.add(leader);
      void this.fetchLoop(leader).finally(() => {
        this.loops.delete(leader);
        // A partition whose leader moved while this loop ended may now need a loop of its own.
        if (!this.closed) this.startLoops();
      });
    }
    // A partition without a leader (an election under way) has no loop to notice when it gets one.
    if (leaderless && !this.retryTimer && !this.closed) {
      this.retryTimer = setTimeout(() => {
        this.retryTimer = null;
        void this.refresh()
          .catch(() => {})
          .then(() => !this.closed && this.startLoops());
      }, BACKOFF_MS);
      this.retryTimer.unref();
    }
  }

  /** Fetches the partitions `nodeId` leads, one fetch after another, until it leads none (or the reader closes). */
  private async fetchLoop(nodeId: number): Promise<void> {
    let failures = 0;
    while (!this.closed) {
      const partitions = [...this.leaders].filter(([p, leader]) => leader === nodeId && this.opts.positions.has(p)).map(([p]) => p);
      const address = this.brokers.get(nodeId);
      if (partitions.length === 0 || !address) return;
      let stale = false;
      const startedAt = performance.now();
      const sentAt = this.opts.now();
      try {
        const conn = await this.connection(address);
        const res = await conn.request(Api.Fetch, this.fetchRequest(partitions), REQUEST_TIMEOUT_MS + this.opts.maxWaitMs);
        if (this.closed) return;
        if (res.errorCode && res.errorCode !== 0) throw new KafkaError(errorName(res.errorCode), `fetch failed: ${errorName(res.errorCode)}`, true);
        for (const t of res.responses as { topic: string; partitions: PartitionFetch[] }[]) {
          if (t.topic !== this.opts.topic) continue;
          for (const p of t.partitions) {
            if (p.errorCode === 0) this.opts.onWatermark(p.partitionIndex, p.lastStableOffset >= 0 ? p.lastStableOffset : p.highWatermark, sentAt);
            const read = this.onPartition(p);
            stale = (read instanceof Promise ? await read : read) || stale;
          }
        }
        failures = 0;
      } catch (e) {
        if (this.closed) return;
        if (e instanceof KafkaError && !e.retriable) return this.fail(`the live audit's reader stopped: ${e.message}`);
        stale = true;
        failures++;
      }
      if (stale) {
        await sleep(Math.min(BACKOFF_MS * 2 ** Math.max(0, failures - 1), MAX_BACKOFF_MS));
        await this.refresh().catch(() => {});
        // Leaders moved: start the loops of the new ones (this one ends once it leads nothing).
        this.startLoops();
      } else {
        const wait = (this.opts.fetchGapMs ?? 0) - (performance.now() - startedAt);
        if (wait >= 1) await sleep(wait);
      }
    }
  }

  private fetchRequest(partitions: number[]): object {
    return {
      replicaId: -1,
      maxWaitMs: this.opts.maxWaitMs,
      minBytes: 1,
      maxBytes: MAX_BYTES,
      isolationLevel: this.opts.isolation === 'read_committed' ? 1 : 0,
      sessionId: 0,
      sessionEpoch: -1,
      topics: [
        {
          topic: this.opts.topic,
          partitions: partitions.map((p) => ({ partition: p, currentLeaderEpoch: -1, fetchOffset: this.opts.positions.get(p)!, logStartOffset: -1, partitionMaxBytes: this.partitionMaxBytes.get(p) ?? PARTITION_MAX_BYTES })),
        },
      ],
      forgottenTopicsData: [],
      rackId: '',
    };
  }

  /**
   * Hands over a partition's records; true when its error says the metadata is stale. Synchronous unless a
   * compressed batch has to be inflated (then a promise).
   */
  private onPartition(p: PartitionFetch): boolean | Promise<boolean> {
    const partition = p.partitionIndex;
    if (p.errorCode === ErrorCode.OFFSET_OUT_OF_RANGE) {
      // auto.offset.reset=latest, as the kafkajs consumer before it (fromBeginning false).
      this.opts.positions.set(partition, this.opts.isolation === 'read_committed' && p.lastStableOffset >= 0 ? p.lastStableOffset : p.highWatermark);
      return false;
    }
    if (FATAL.has(p.errorCode)) {
      this.fail(`the live audit may not read ${this.opts.topic}: ${errorName(p.errorCode)}`);
      return false;
    }
    // A stale leader (NOT_LEADER_OR_FOLLOWER, FENCED_LEADER_EPOCH, ...) or another retriable error: the metadata
    // is read again before the next fetch.
    if (p.errorCode !== 0) return true;
    const recordSet = p.records;
    if (!recordSet || recordSet.length === 0) return false;
    const batches = wholeBatches(recordSet);
    if (batches.length === 0) {
      // One batch larger than this partition's byte limit: ask for more next time (Kafka returns at least one
      // whole batch from v3 on, so this is for an answer cut short anyway).
      this.partitionMaxBytes.set(partition, Math.min((this.partitionMaxBytes.get(partition) ?? PARTITION_MAX_BYTES) * 2, MAX_BYTES));
      return false;
    }
    const aborted = this.opts.isolation === 'read_committed' && p.abortedTransactions?.length ? [...p.abortedTransactions].sort((a, b) => a.firstOffset - b.firstOffset) : [];
    return this.readBatches(partition, batches, 0, { aborted, pids: new Set() });
  }

  /** Reads batches[i..] in order; returns a promise only when a compressed batch has to be inflated first. */
  private readBatches(partition: number, batches: BatchSlice[], i: number, txns: AbortedState): false | Promise<false> {
    for (; i < batches.length; i++) {
      const { header, records } = batches[i];
      if (this.skipped(header, records, txns)) {
        this.advance(partition, header);
        continue;
      }
      if (header.codec !== 0) {
        const next = i + 1;
        return codecFor(COMPRESSION_TYPES[header.codec] as CodecName)
          .decompress(records)
          .then((inflated) => {
            if (this.closed) return false;
            this.readRecords(partition, header, inflated);
            return this.readBatches(partition, batches, next, txns);
          });
      }
      this.readRecords(partition, header, records);
    }
    return false;
  }

  /** Whether a batch's records are not handed over: control batches, and under read_committed aborted ones. */
  private skipped(h: BatchHeader, records: Buffer, txns: AbortedState): boolean {
    if (this.opts.isolation !== 'read_committed' || h.producerId < 0) return h.isControl;
    // Kafka's Fetcher: a transaction listed as aborted counts from its first offset until its abort marker.
    const lastOffset = h.baseOffset + h.lastOffsetDelta;
    while (txns.aborted.length > 0 && txns.aborted[0].firstOffset <= lastOffset) txns.pids.add(txns.aborted.shift()!.producerId);
    if (h.isControl) {
      if (isAbortMarker(records)) txns.pids.delete(h.producerId);
      return true;
    }
    return h.isTransactional && txns.pids.has(h.producerId);
  }

  private readRecords(partition: number, h: BatchHeader, records: Buffer): void {
    const positions = this.opts.positions;
    const onRecord = this.opts.onRecord;
    const start = positions.get(partition) ?? 0;
    let position = start;
    // One object for the batch's records, refilled per record (onRecord reads it during the call only).
    const r: AuditedRecord = { partition, offset: 0, key: null, stamp: null };
    try {
      walkRecords(records, h.baseOffset, this.headerNames, (offset, key, values) => {
        // A batch fetched again (a leader change, a compressed batch starting before the position) counts once.
        if (offset < position) return;
        position = offset + 1;
        r.offset = offset;
        r.key = key;
        r.stamp = values[0];
        onRecord(r);
      });
    } finally {
      // The position moves once per batch, to past the last record handed over (also when a record was malformed).
      if (position > start) positions.set(partition, position);
    }
    this.advance(partition, h);
  }

  /** Control records and aborted or compacted records leave gaps: the batch's last offset says where it ends. */
  private advance(partition: number, h: BatchHeader): void {
    const next = h.baseOffset + h.lastOffsetDelta + 1;
    if (next > (this.opts.positions.get(partition) ?? 0)) this.opts.positions.set(partition, next);
  }
}

interface AbortedState {
  /** The response's aborted transactions not reached yet, by first offset. */
  aborted: { producerId: number; firstOffset: number }[];
  /** Producers whose aborted transaction the batches read so far are inside. */
  pids: Set<number>;
}
