// A connection between two ends in one process, without a socket. Why: when the app runs the built-in cluster in
// its own process, its own clients (the producer engine, the live audit) would otherwise pay the kernel's loopback
// TCP path and Node's stream machinery on both sides for every request and every answer. Only what the two sides
// use of a net.Socket is here, with TCP's behaviour where a user can see it: bytes arrive whole and in order in a
// later turn of the event loop (never inside write()); a paused reader leaves them with the writer, whose
// writableLength grows, and 'drain' follows once they are read; a close reaches the other end after the bytes
// written before it; a reset drops whatever was not delivered and the other end sees ECONNRESET; setTimeout times
// idleness as a socket's does. Hand-written: stream.Duplex pairs are the stream machinery this avoids.
import { EventEmitter } from 'node:events';

/** A client's read callback, as net's `onread`: the bytes are the writer's own buffer, valid during the call. */
export type OnRead = (n: number, buf: Buffer) => unknown;

/** Unread bytes from which write() returns false and a 'drain' follows, as a socket's default highWaterMark. */
const HIGH_WATER_MARK = 16 * 1024;

export class PipeEnd extends EventEmitter {
  peer!: PipeEnd;
  destroyed = false;
  /** Bytes written and not yet read by the other end. */
  writableLength = 0;
  /** When set, incoming bytes go to it instead of 'data' events (as net.connect's `onread`). */
  onread: OnRead | null = null;
  private outbox: Buffer[] = [];
  private deliveryQueued = false;
  /** destroy() was called: the outbox still goes out, then the other end sees the close. */
  private ending = false;
  private paused = false;
  private needDrain = false;
  private idleMs = 0;
  private idleTimer: NodeJS.Timeout | null = null;
  private lastActive = 0;

  constructor(
    readonly localAddress: string,
    readonly localPort: number,
    readonly remoteAddress: string,
    readonly remotePort: number,
  ) {
    super();
  }

  /** Queues `bytes` for the other end (held by reference: the writer must not change them afterwards). */
  write(bytes: Uint8Array): boolean {
    if (this.destroyed) return false;
    const b = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.outbox.push(b);
    this.writableLength += b.length;
    this.touch();
    this.queueDelivery();
    if (this.writableLength >= HIGH_WATER_MARK) this.needDrain = true;
    return !this.needDrain;
  }

  pause(): this {
    this.paused = true;
    return this;
  }

  resume(): this {
    if (!this.paused) return this;
    this.paused = false;
    if (this.peer.outbox.length > 0 || this.peer.ending) this.peer.queueDelivery();
    return this;
  }

  /** A clean close: what was written still reaches the other end, then it sees 'close'. */
  destroy(): this {
    if (this.destroyed) return this;
    this.destroyed = true;
    this.ending = true;
    this.stopIdleTimer();
    this.queueDelivery();
    setImmediate(() => this.emit('close', false));
    return this;
  }

  /** A reset (RST): nothing more is delivered either way; the other end sees an ECONNRESET error, then 'close'. */
  resetAndDestroy(): this {
    if (this.destroyed) return this;
    this.destroyed = true;
    this.dropOutbox();
    this.stopIdleTimer();
    setImmediate(() => {
      this.peer.closedByPeer(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET', errno: -104, syscall: 'read' }));
      this.emit('close', false);
    });
    return this;
  }

  /** net.Socket's idle timer: 'timeout' after `ms` without a byte either way (0 turns it off). */
  setTimeout(ms: number): this {
    this.idleMs = ms > 0 ? ms : 0;
    this.stopIdleTimer();
    if (this.idleMs > 0) this.touch();
    return this;
  }

  setNoDelay(): this {
    return this;
  }

  setKeepAlive(): this {
    return this;
  }

  // No-ops: every write of a turn is delivered in one later macrotask anyway.
  cork(): void {}
  uncork(): void {}

  private queueDelivery(): void {
    if (this.deliveryQueued) return;
    this.deliveryQueued = true;
    setImmediate(this.deliver);
  }

  /** Hands the other end what was written before this macrotask; bytes written meanwhile wait for the next one. */
  private readonly deliver = (): void => {
    this.deliveryQueued = false;
    const peer = this.peer;
    if (peer.destroyed) this.dropOutbox();
    const batch = this.outbox;
    this.outbox = [];
    let i = 0;
    for (; i < batch.length && !peer.paused && !peer.destroyed; i++) {
      const b = batch[i];
      this.writableLength -= b.length;
      peer.receive(b);
    }
    if (i < batch.length) {
      if (peer.destroyed) this.dropOutbox();
      else this.outbox = i === 0 ? batch.concat(this.outbox) : batch.slice(i).concat(this.outbox);
    }
    if (this.needDrain && this.writableLength === 0) {
      this.needDrain = false;
      if (!this.destroyed) this.emit('drain');
    }
    // The close follows the bytes written before it; a paused reader with nothing left to read sees it at once.
    if (this.ending && this.outbox.length === 0) {
      this.ending = false;
      peer.closedByPeer(null);
    }
  };

  private receive(b: Buffer): void {
    this.touch();
    if (this.onread) this.onread(b.length, b);
    else this.emit('data', b);
  }

  /** The other end closed (`error` null) or reset: this end closes too, as a socket does at EOF or ECONNRESET. */
  private closedByPeer(error: Error | null): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.dropOutbox();
    this.stopIdleTimer();
    if (error && this.listenerCount('error') > 0) this.emit('error', error);
    this.emit('close', error !== null);
  }

  private dropOutbox(): void {
    this.outbox = [];
    this.writableLength = 0;
    this.ending = false;
  }

  /** Notes activity for the idle timer; one timer per idle period, re-armed lazily rather than on every byte. */
  private touch(): void {
    if (this.idleMs === 0) return;
    this.lastActive = Date.now();
    if (!this.idleTimer && !this.destroyed) this.armIdle(this.idleMs);
  }

  private armIdle(ms: number): void {
    this.idleTimer = setTimeout(this.checkIdle, ms);
    this.idleTimer.unref();
  }

  private readonly checkIdle = (): void => {
    this.idleTimer = null;
    if (this.destroyed || this.idleMs === 0) return;
    const idle = Date.now() - this.lastActive;
    if (idle < this.idleMs) this.armIdle(this.idleMs - idle);
    // As a socket's: once per idle period; the next byte either way starts a new one.
    else this.emit('timeout');
  };

  private stopIdleTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }
}

/** Two connected ends: `client` as if connected to host:port, `server` as if accepted from `from`:`fromPort`. */
export function pipePair(host: string, port: number, from: string, fromPort: number): { client: PipeEnd; server: PipeEnd } {
  const client = new PipeEnd(from, fromPort, host, port);
  const server = new PipeEnd(host, port, from, fromPort);
  client.peer = server;
  server.peer = client;
  return { client, server };
}
