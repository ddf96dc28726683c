// One client connection to one broker: splits the byte stream into frames, decodes the header, runs the API,
// and writes responses strictly in request order (head-of-line blocking, as Kafka does). Anything malformed
// closes this connection only, with a log line; the broker and every other client go on.
import { ApiKey } from '../../wire/api-keys.js';
import { Writer } from '../../wire/writer.js';
import { TurnWrites } from '../../wire/turn-writes.js';
import { PipeEnd } from '../../wire/in-process-pipe.js';
import type { SandboxState } from '../state.js';
import type { ApiDefinition } from './api.js';
import { sandboxBuffers } from '../buffer-pool.js';
import { runWithFaults, type Outcome } from './dispatch.js';
import type { RequestLogEntry } from './request-log.js';
import type { ClientSocket } from './client-socket.js';
import { FrameReader } from './frame-reader.js';
import { decodeRequest, responseWriter, type DecodedRequest, type RequestOrigin } from './request-frame.js';

export interface ConnectionHost {
  brokerId: number;
  state: SandboxState;
  apis: ReadonlyMap<number, ApiDefinition>;
  /** Resolves when the broker is not paused (a paused broker reads requests but answers nothing). */
  whenServing(): Promise<void>;
  isPaused(): boolean;
  log(line: string): void;
}

interface Slot {
  /** When its frame was read off the socket (it may wait there behind earlier requests). */
  arrivedAt: number;
  done: boolean;
  bytes: Buffer | null;
  /** The request. */
  frame: Buffer;
  /** A pooled Produce frame, handed back to the pool once processed (see enqueue). */
  pooled: boolean;
}

/**
 * Unsent response bytes (in the socket's buffer or finished behind a slower response) above which the connection
 * neither reads nor processes more requests until the client reads: Kafka mutes a channel until its response is
 * sent, so a client that never reads cannot make the broker buffer answers without limit.
 */
export const MAX_UNSENT_RESPONSE_BYTES = 1024 * 1024;
/** Requests read but not yet processed above which reading pauses (TCP then holds the client back). */
const MAX_QUEUED_REQUEST_BYTES = 4 * 1024 * 1024;
const MAX_QUEUED_REQUESTS = 64;

let nextConnectionId = 1;

export class Connection {
  readonly id = nextConnectionId++;
  private readonly frames: FrameReader;
  private slots: Slot[] = [];
  private closed = false;
  /** Requests read and not yet processed, in arrival order. */
  private queue: Slot[] = [];
  /**
   * A request is being processed (synchronously, or waiting for followers, a fault's delay, a paused broker, the
   * client's reading): the ones behind it wait in `queue`, as in Kafka's request channel per connection.
   */
  private busy = false;
  private queuedRequests = 0;
  private queuedRequestBytes = 0;
  /** Bytes of finished responses waiting behind an unfinished one (head-of-line). */
  private heldResponseBytes = 0;
  private readingPaused = false;
  /** Processing waits here while the client is not reading its responses. */
  private drainWaiters: (() => void)[] = [];
  /** The partial-frame timer: a request must arrive whole within sandbox.request.read.timeout.ms of its first byte. */
  private partialTimer: NodeJS.Timeout | null = null;
  /**
   * This broker and connection, for every request read. The host the client connected to is read once: the getter
   * asks the kernel every time.
   */
  private readonly origin: RequestOrigin;
  /**
   * Responses finished in one turn (pipelined requests answered together) leave in one writev. An in-process pipe
   * delivers a turn's writes together by itself.
   */
  private readonly writes: { write(bytes: Uint8Array): unknown };
  /**
   * Whether the chunks read are this connection's alone (a socket's), so the frame reader may free one it has
   * copied out. A pipe's chunks are the client's own buffers.
   */
  private readonly ownsChunks: boolean;

  constructor(private readonly socket: ClientSocket, private readonly host: ConnectionHost) {
    const settings = host.state.cluster.settings;
    const localHost = socket.localAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1';
    this.origin = { state: host.state, brokerId: host.brokerId, connectionId: this.id, localHost, apis: host.apis };
    this.frames = new FrameReader(settings.maxRequestBytes);
    const pipe = socket instanceof PipeEnd;
    this.writes = pipe ? socket : new TurnWrites(socket);
    this.ownsChunks = !pipe;
    socket.setNoDelay(true);
    // connections.max.idle.ms: no bytes either way for that long. A request still being answered is not idle.
    socket.setTimeout(settings.connectionsMaxIdleMs);
    socket.on('timeout', () => {
      if (this.slots.length === 0) this.abort(`idle for ${settings.connectionsMaxIdleMs} ms (connections.max.idle.ms)`);
    });
    socket.on('data', (chunk) => this.onData(chunk));
    socket.on('drain', () => this.onDrain());
    socket.on('error', () => this.close());
    socket.on('close', () => this.close());
  }

  get remote(): string {
    return `${this.socket.remoteAddress}:${this.socket.remotePort}`;
  }

  /** Bytes this connection holds for its client: requests read but not processed, a partial frame, unsent responses. */
  bufferedBytes(): { requests: number; responses: number } {
    return { requests: this.queuedRequestBytes + this.frames.bufferedBytes, responses: this.unsentResponseBytes() };
  }

  private unsentResponseBytes(): number {
    return this.socket.writableLength + this.heldResponseBytes;
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    const result = this.frames.push(chunk, this.ownsChunks);
    if (!result.ok) {
      this.abort(result.reason);
      return;
    }
    for (let i = 0; i < result.frames.length; i++) this.enqueue(result.frames[i]);
    const max = this.host.state.cluster.settings.maxRequestBytes;
    // socket.request.max.bytes bounds what one connection may hold: the partial frame plus requests not yet processed.
    const buffered = this.queuedRequestBytes + this.frames.partialFrameSize;
    if (buffered > max) {
      this.abort(`${buffered} request bytes buffered, more than socket.request.max.bytes ${max}`);
    } else {
      this.armPartialTimer(result.frames.length > 0);
      this.updateReading();
    }
    // After the checks above (once closed, processing only hands pooled frames back).
    this.pump();
  }

  /** Times the partial frame: from its first byte, so a timer outlives no completed frame. */
  private armPartialTimer(frameCompleted: boolean): void {
    if (this.frames.bufferedBytes === 0 || frameCompleted) {
      if (this.partialTimer) clearTimeout(this.partialTimer);
      this.partialTimer = null;
      if (this.frames.bufferedBytes === 0) return;
    }
    if (this.partialTimer) return;
    const ms = this.host.state.cluster.settings.requestReadTimeoutMs;
    this.partialTimer = setTimeout(() => {
      this.partialTimer = null;
      const { bufferedBytes, partialFrameSize } = this.frames;
      const of = partialFrameSize > 0 ? ` of ${partialFrameSize}` : '';
      this.abort(`request incomplete after ${ms} ms (${bufferedBytes}${of} bytes; sandbox.request.read.timeout.ms)`);
    }, ms);
    this.partialTimer.unref();
  }

  /** Reads while the client keeps up: pauses while too many requests wait or too many answers are unsent. */
  private updateReading(): void {
    if (this.closed) return;
    const pause =
      this.unsentResponseBytes() > MAX_UNSENT_RESPONSE_BYTES ||
      this.queuedRequestBytes > MAX_QUEUED_REQUEST_BYTES ||
      this.queuedRequests >= MAX_QUEUED_REQUESTS;
    if (pause === this.readingPaused) return;
    this.readingPaused = pause;
    if (pause) this.socket.pause();
    else this.socket.resume();
  }

  private onDrain(): void {
    this.releaseDrainWaiters();
    this.updateReading();
  }

  private releaseDrainWaiters(): void {
    if (this.drainWaiters.length === 0 || (!this.closed && this.unsentResponseBytes() > MAX_UNSENT_RESPONSE_BYTES)) return;
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const w of waiters) w();
  }

  /** Resolves once the client has read enough of its answers (or the connection is gone). */
  private writable(): Promise<void> | null {
    if (this.closed || this.unsentResponseBytes() <= MAX_UNSENT_RESPONSE_BYTES) return null;
    return new Promise((r) => this.drainWaiters.push(r));
  }

  private enqueue(frame: Buffer): void {
    // Socket chunks are never reused, so a frame may stay a view; but a small frame is copied out of a large chunk
    // rather than pinning all of it for as long as a handler keeps a part (group metadata, say). Produce keeps none
    // by accident: partitions copy the batches they store, or take a hold on a pooled frame a batch fills (the pool
    // counts holders), so its frame is used as it is and, if pooled, handed back once handled.
    const pooled = sandboxBuffers.owns(frame);
    const produce = frame.readInt16BE(0) === ApiKey.Produce;
    const own = !pooled && !produce && frame.length * 2 < frame.buffer.byteLength ? copyOf(frame) : frame;
    const slot: Slot = { done: false, bytes: null, arrivedAt: Date.now(), frame: own, pooled: pooled && produce };
    this.slots.push(slot);
    this.queue.push(slot);
    this.queuedRequests++;
    this.queuedRequestBytes += own.length;
  }

  /**
   * Processes the queued requests one after another, with no promise or closure for a request answered at once;
   * one that waits holds those behind it until it is done (then `finished` pumps again).
   */
  private pump(): void {
    if (this.busy) return;
    this.busy = true;
    while (this.queue.length > 0) {
      const slot = this.queue.shift()!;
      let waiting: Promise<void> | undefined;
      try {
        waiting = this.process(slot);
      } catch (e) {
        this.abort(`internal error: ${(e as Error).stack ?? e}`);
      }
      if (waiting !== undefined) {
        waiting.then(
          () => this.finished(slot),
          (e: unknown) => {
            this.abort(`internal error: ${(e as Error).stack ?? e}`);
            this.finished(slot);
          },
        );
        return;
      }
      this.processed(slot);
    }
    this.busy = false;
  }

  private finished(slot: Slot): void {
    this.processed(slot);
    this.busy = false;
    this.pump();
  }

  private processed(slot: Slot): void {
    this.queuedRequests--;
    this.queuedRequestBytes -= slot.frame.length;
    if (slot.pooled) sandboxBuffers.release(slot.frame);
    this.updateReading();
  }

  /** Handles one request: undefined once done, or a promise while it waits. */
  private process(slot: Slot): Promise<void> | undefined {
    // Like Kafka's muted channel: the next request waits until the client has read what it was sent.
    const unread = this.writable();
    if (unread) return unread.then(() => this.decodeAndRun(slot));
    return this.decodeAndRun(slot);
  }

  private decodeAndRun(slot: Slot): Promise<void> | undefined {
    if (this.closed) return;
    const d = decodeRequest(slot.frame, this.origin);
    if (typeof d === 'string') {
      this.abort(d);
      return;
    }
    if (d instanceof Writer) {
      this.complete(slot, d);
      return;
    }
    const entry = this.host.state.requestLog.add(this.host.brokerId, this.id, d.apiKey, d.version, d.correlationId, d.clientId, slot.arrivedAt, Date.now());
    // A paused broker holds the request it has read (logged as pending, so the pause shows) and everything behind it.
    if (this.host.isPaused()) return this.host.whenServing().then(() => this.run(d, entry, slot));
    return this.run(d, entry, slot);
  }

  /**
   * Kafka mutes a connection from reading a request until its response is sent, so requests on one connection are
   * handled one at a time: a waiting acks=all produce or an injected delay holds the ones behind it.
   */
  private run(d: DecodedRequest, entry: RequestLogEntry, slot: Slot): Promise<void> | undefined {
    if (this.closed) {
      this.host.state.requestLog.finish(entry, 'closed', Date.now());
      return;
    }
    let o: Outcome | Promise<Outcome>;
    try {
      o = runWithFaults(d, d.api, d.req, entry);
    } catch (e) {
      this.abort(`handler failed: ${(e as Error).stack ?? e}`);
      return;
    }
    if (o instanceof Promise) {
      return o.then(
        (outcome) => this.answer(d, outcome, entry, slot),
        (e: unknown) => this.abort(`handler failed: ${(e as Error).stack ?? e}`),
      );
    }
    return this.answer(d, o, entry, slot);
  }

  private answer(d: DecodedRequest, o: Outcome, entry: RequestLogEntry, slot: Slot): Promise<void> | undefined {
    const log = this.host.state.requestLog;
    if (o.kind === 'close') {
      log.finish(entry, 'closed', Date.now());
      this.abort(o.reason);
    } else if (o.kind === 'no-response' || o.kind === 'dropped') {
      log.finish(entry, o.kind, Date.now());
      slot.done = true;
      this.flush();
    } else {
      const w = responseWriter(d.correlationId);
      try {
        d.api.encode(w, d.version, o.response);
      } catch (e) {
        this.abort(`handler failed: ${(e as Error).stack ?? e}`);
        return;
      }
      if (o.holdMs !== undefined) {
        const holdMs = o.holdMs;
        return new Promise<void>((r) => this.host.state.cluster.clock.setTimeout(r, holdMs)).then(() => {
          log.finish(entry, 'answered', Date.now());
          this.complete(slot, w);
        });
      }
      log.finish(entry, 'answered', Date.now());
      this.complete(slot, w);
    }
    return undefined;
  }

  /** `w`: a response from `responseWriter`, its size still to fill in. */
  private complete(slot: Slot, w: Writer): void {
    w.int32At(0, w.length - 4);
    slot.bytes = w.toBuffer();
    slot.done = true;
    this.flush();
  }

  /** Writes every finished response at the head of the queue; a paused broker writes nothing until resumed. */
  flush(): void {
    if (!this.host.isPaused()) {
      while (this.slots.length > 0 && this.slots[0].done) {
        const s = this.slots.shift()!;
        if (s.bytes && !this.closed) this.writes.write(s.bytes);
      }
    }
    let held = 0;
    for (const s of this.slots) if (s.bytes) held += s.bytes.length;
    this.heldResponseBytes = held;
    this.releaseDrainWaiters();
    this.updateReading();
  }

  /** Closes this connection after a protocol violation, with a log line. */
  abort(reason: string): void {
    if (this.closed) return;
    this.host.log(`broker ${this.host.brokerId}: closing connection ${this.id} from ${this.remote}: ${reason}`);
    this.close();
  }

  close(): void {
    if (this.closed) return;
    this.release();
    this.socket.destroy();
  }

  /** A crash: reset the connection (RST) instead of a clean close. */
  reset(): void {
    if (this.closed) return;
    this.release();
    this.socket.resetAndDestroy();
  }

  private release(): void {
    this.closed = true;
    this.slots = [];
    this.heldResponseBytes = 0;
    if (this.partialTimer) clearTimeout(this.partialTimer);
    this.partialTimer = null;
    this.releaseDrainWaiters();
  }

  get isClosed(): boolean {
    return this.closed;
  }
}

/** A copy in an allocation of its own (not the shared pool slab, which one kept batch would pin whole). */
function copyOf(frame: Buffer): Buffer {
  const out = Buffer.allocUnsafeSlow(frame.length);
  frame.copy(out);
  return out;
}
