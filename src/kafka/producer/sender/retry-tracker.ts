// kafkajs retries inside one sendBatch call and has no retry event; its per-attempt ERROR line names no call
// (notes/kafkajs.md §4.4). So each call's attempts are counted on the call itself: every attempt that tries to
// produce starts by grouping the call's messages by partition, and the sender's message array reports that (see
// kafkajs-messages.ts); every attempt after the first is a retry of the call's records. No AsyncLocalStorage, whose
// promise hooks slow every promise in the process on Node 22.
//
// The Produce frames on the wire say the rest. A batch's first frame is recognised by its record count and
// first/last timestamps, a re-send by its bytes (kafkajs encodes the same batch identically every time): so the
// sender knows when a request is on the wire (it keeps per-broker order with that), and why an attempt failed, from
// kafkajs's Connection error line (broker and correlation id), its request_timeout event, or the connection closing.
// Frames map to batches exactly with two rules the sender keeps (see blockers()): at most one live batch of a
// partition is unsent with a given count and timestamps, and no two live batches of a partition have identical
// records.
import { logLevel, type logCreator } from 'kafkajs';
import type { ProducerBatch } from '../accumulator/producer-batch.js';
import type { ProducedBatch, WireMonitor, WireRequest } from './wire-monitor.js';

export interface LogLine {
  level: 'error' | 'warn' | 'info' | 'debug';
  namespace: string;
  message: string;
  at: number;
}

const levelName = (l: logLevel): LogLine['level'] =>
  l === logLevel.ERROR ? 'error' : l === logLevel.WARN ? 'warn' : l === logLevel.INFO ? 'info' : 'debug';

const partitionKey = (topic: string, partition: number): string => `${topic}\u0000${partition}`;
const frameKey = (broker: string, correlationId: number): string => `${broker}#${correlationId}`;

/** A batch of a request being sent; `bytes` is its latest frame's batch, null until it first went out. */
interface TrackedBatch {
  readonly batch: ProducerBatch;
  readonly owner: TrackedRequest;
  bytes: Buffer | null;
}

interface Frame {
  readonly wire: WireRequest;
  readonly owner: TrackedRequest;
}

/** One sendBatch call: `written` resolves once every batch of it is on the wire, or the call is over. */
export class TrackedRequest {
  readonly written: Promise<void>;
  readonly settled: Promise<void>;
  /** kafkajs attempts at producing it so far. */
  attempts = 0;
  /** The latest failure of any of its frames, and when (on the tracker's event count), and when it last tried. */
  lastError: string | null = null;
  lastErrorAt = 0;
  attemptAt = 0;
  active = true;
  unwritten: number;
  readonly records: number;
  readonly frameKeys: string[] = [];
  readonly tracked: TrackedBatch[];
  private markWritten!: () => void;
  private markSettled!: () => void;

  constructor(
    batches: readonly ProducerBatch[],
    readonly onRetry: (records: number, error: string) => void,
  ) {
    this.tracked = batches.map((batch) => ({ batch, owner: this, bytes: null }));
    this.records = batches.reduce((n, b) => n + b.recordCount, 0);
    this.unwritten = batches.length;
    this.written = new Promise((resolve) => (this.markWritten = resolve));
    this.settled = new Promise((resolve) => (this.markSettled = resolve));
  }

  wroteOne(): void {
    if (--this.unwritten === 0) this.markWritten();
  }

  end(): void {
    this.active = false;
    this.markWritten();
    this.markSettled();
  }
}

/** Same records in the same order, timestamps included: such batches encode to the same bytes. */
function sameRecords(a: ProducerBatch, b: ProducerBatch): boolean {
  if (a.recordCount !== b.recordCount) return false;
  const sameBytes = (x: Buffer | null, y: Buffer | null) => (x === null ? y === null : y !== null && x.equals(y));
  for (let i = 0; i < a.records.length; i++) {
    const r = a.records[i];
    const s = b.records[i];
    if (r.timestamp !== s.timestamp || !sameBytes(r.key, s.key) || !sameBytes(r.value, s.value) || r.headers.length !== s.headers.length) return false;
    for (let h = 0; h < r.headers.length; h++) if (r.headers[h].key !== s.headers[h].key || r.headers[h].value !== s.headers[h].value) return false;
  }
  return true;
}

export class RetryTracker {
  /** Batches of requests being sent, by partition (usually one each; more only without idempotence). */
  private readonly live = new Map<string, TrackedBatch[]>();
  /** Frames of live requests by broker and correlation id, to attribute failures. */
  private readonly frames = new Map<string, Frame>();
  private logListeners = new Set<(line: LogLine) => void>();
  /** Orders attempts and failures, so a failure explains only the retry that follows it. */
  private events = 0;

  /** Reads every Produce frame, and every frame lost with its connection. */
  watch(wire: WireMonitor): () => void {
    return wire.on((e) => {
      if (e.t === 'req.start' && e.req.produced) this.onFrame(e.req, e.req.produced);
      else if (e.t === 'req.lost' && this.frames.get(frameKey(e.req.broker, e.req.correlationId))?.wire === e.req) {
        this.failed(e.req.broker, e.req.correlationId, `connection to ${e.req.broker} closed before the answer`);
      }
    });
  }

  /**
   * What a new request must wait for, so that every frame maps to one batch: a live batch of the same partition
   * with the same count and timestamps must be on the wire first, and one with the very same records must be done.
   */
  blockers(batches: readonly ProducerBatch[]): Promise<void>[] {
    const out: Promise<void>[] = [];
    for (const b of batches) {
      for (const t of this.live.get(partitionKey(b.topic, b.partition)) ?? []) {
        const same = t.batch.recordCount === b.recordCount && t.batch.firstTimestamp === b.firstTimestamp && t.batch.maxTimestamp === b.maxTimestamp;
        if (!same) continue;
        // Once out, the other batch is told apart by its bytes; the very same records never are.
        if (t.bytes === null) out.push(t.owner.written);
        else if (sameRecords(t.batch, b)) out.push(t.owner.settled);
      }
    }
    return out;
  }

  /** Starts attributing the frames of one sendBatch call; call end() on it when the call is over. */
  track(batches: readonly ProducerBatch[], onRetry: (records: number, error: string) => void): TrackedRequest {
    const request = new TrackedRequest(batches, onRetry);
    for (const t of request.tracked) {
      const key = partitionKey(t.batch.topic, t.batch.partition);
      const list = this.live.get(key);
      if (list) list.push(t);
      else this.live.set(key, [t]);
    }
    return request;
  }

  end(request: TrackedRequest): void {
    request.end();
    for (const t of request.tracked) {
      const key = partitionKey(t.batch.topic, t.batch.partition);
      const list = this.live.get(key);
      const at = list ? list.indexOf(t) : -1;
      if (at < 0) continue;
      if (list!.length === 1) this.live.delete(key);
      else list!.splice(at, 1);
    }
    for (const k of request.frameKeys) if (this.frames.get(k)?.owner === request) this.frames.delete(k);
  }

  /**
   * kafkajs starts an attempt at producing the request (it groups the messages by partition): from the second on,
   * the request's records are retried, for the failure seen since the previous attempt.
   */
  attempted(request: TrackedRequest): void {
    if (!request.active) return;
    request.attempts++;
    for (const t of request.tracked) t.batch.sendAttempts = request.attempts;
    if (request.attempts > 1) {
      const seen = request.lastErrorAt > request.attemptAt ? request.lastError : null;
      request.onRetry(request.records, seen ?? 'the attempt failed before a broker answered (connection or metadata)');
    }
    request.attemptAt = ++this.events;
  }

  /** kafkajs's request_timeout event: that frame failed. */
  noteTimeout(broker: string, correlationId: number): void {
    this.failed(broker, correlationId, 'no answer within request.timeout.ms');
  }

  private onFrame(wire: WireRequest, produced: readonly ProducedBatch[]): void {
    let frame: Frame | null = null;
    for (const p of produced) {
      const list = this.live.get(partitionKey(p.topic, p.partition));
      const t = list ? this.match(list, p) : null;
      if (!t) continue;
      if (!frame) {
        frame = { wire, owner: t.owner };
        const key = frameKey(wire.broker, wire.correlationId);
        this.frames.set(key, frame);
        t.owner.frameKeys.push(key);
      }
      if (t.bytes === null) t.owner.wroteOne();
      t.bytes = p.bytes;
    }
  }

  /** A re-send has the bytes of the batch's previous frame; a first send its count and timestamps. */
  private match(list: readonly TrackedBatch[], p: ProducedBatch): TrackedBatch | null {
    for (const t of list) if (t.bytes !== null && t.bytes.length === p.bytes.length && t.bytes.equals(p.bytes)) return t;
    for (const t of list) {
      const b = t.batch;
      if (t.bytes === null && b.recordCount === p.records && b.firstTimestamp === p.firstTimestamp && b.maxTimestamp === p.maxTimestamp) return t;
    }
    return null;
  }

  private failed(broker: string, correlationId: number, error: string): void {
    const frame = this.frames.get(frameKey(broker, correlationId));
    if (!frame || !frame.owner.active) return;
    frame.owner.lastError = error;
    frame.owner.lastErrorAt = ++this.events;
  }

  onLog(fn: (line: LogLine) => void): () => void {
    this.logListeners.add(fn);
    return () => this.logListeners.delete(fn);
  }

  /** The logCreator for `new Kafka({ logCreator })`: kafkajs's log lines never reach the terminal directly. */
  logCreator(): logCreator {
    return () => ({ namespace, level, log }) => {
      const { message, broker, correlationId, error } = log as { message: string; broker?: string; correlationId?: number; error?: string };
      // A Produce answer with an error code, for that frame (connection.js logs it before rejecting the call).
      if (level === logLevel.ERROR && namespace === 'Connection' && message.startsWith('Response Produce') && broker !== undefined && typeof correlationId === 'number') {
        this.failed(broker, correlationId, error ?? message);
      }
      if (this.logListeners.size > 0 && level <= logLevel.WARN) {
        const line: LogLine = { level: levelName(level), namespace, message, at: Date.now() };
        for (const l of this.logListeners) l(line);
      }
    };
  }
}
