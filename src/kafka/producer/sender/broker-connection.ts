// One TCP (or TLS) connection to one broker, as Java's NetworkClient keeps per node: ApiVersions negotiation, SASL
// when configured, requests pipelined with correlation ids, and request.timeout.ms per request. A request that
// times out closes the connection (Java does the same: its answer can no longer be told from a later one), and
// every request still on it fails with a retriable error. To a broker of a cluster running in this process, started
// for in-process clients, it connects through an in-memory pipe instead (wire/in-process-listeners.ts).
import net from 'node:net';
import tls from 'node:tls';
import { errorName } from '../../../wire/error-codes.js';
import { connectInProcess } from '../../../wire/in-process-listeners.js';
import type { PipeEnd } from '../../../wire/in-process-pipe.js';
import { TurnWrites } from '../../../wire/turn-writes.js';
import { KafkaError } from '../errors.js';
import { Api, CLIENT_VERSIONS, decodeResponse, encodeRequest, isDirectProduce } from './protocol-client.js';
import { authenticate, type SaslOptions } from './sasl.js';
import type { WireMonitor, WireRequest } from './wire-monitor.js';

export interface ConnectionConfig {
  host: string;
  port: number;
  clientId: string;
  ssl?: tls.ConnectionOptions | boolean;
  sasl?: SaslOptions;
  /** Java's socket.connection.setup.timeout.ms: connect, TLS, ApiVersions and SASL together. */
  setupTimeoutMs: number;
}

/** Gets a request's answer or failure, with the caller's own object for that request (no closures per request). */
export interface AnswerHandler<C> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  answered(ctx: C, body: any): void;
  failed(ctx: C, e: Error): void;
}

interface Pending {
  readonly apiKey: number;
  readonly version: number;
  readonly deadline: number;
  readonly wire: WireRequest;
  readonly handler: AnswerHandler<unknown>;
  readonly ctx: unknown;
}

interface Settle {
  resolve(body: unknown): void;
  reject(e: Error): void;
}

/** request()'s handler: the promise's own functions are the context. */
const SETTLE: AnswerHandler<Settle> = {
  answered: (p, body) => p.resolve(body),
  failed: (p, e) => p.reject(e),
};

const RESOLVED = Promise.resolve();
/** Bytes each connection reads into (Node's `onread`): no Buffer and no stream event per read. */
const READ_BUFFER_BYTES = 64 * 1024;

const KEEP_ALIVE_MS = 60_000;

export class BrokerConnection {
  readonly address: string;
  private socket!: net.Socket | PipeEnd;
  /** Requests written in one turn (a drain that sends several) leave in one writev (a pipe delivers them together). */
  private writes!: { write(bytes: Uint8Array): unknown };
  private readonly versions = new Map<number, number>();
  /**
   * Requests awaiting their answers, oldest first: a broker answers a connection's requests in the order they were
   * sent (Kafka's protocol guarantee; Java's NetworkClient keeps a deque too), so an answer is nearly always the
   * head's. An array, not a Map: a Map emptied by its last delete calls into the runtime to shrink, once a request.
   */
  private pending: Pending[] = [];
  private correlationId = 0;
  private inbound: Buffer | null = null;
  private timer: NodeJS.Timeout | null = null;
  private timerAt = Infinity;
  closed = false;
  /** Why it closed (timeout, peer closed, error). */
  closeReason: Error | null = null;
  private closeListeners: ((e: Error) => void)[] = [];

  private constructor(
    private readonly cfg: ConnectionConfig,
    private readonly wire: WireMonitor,
  ) {
    this.address = `${cfg.host}:${cfg.port}`;
  }

  /** Connects, negotiates versions and authenticates, all within setupTimeoutMs. */
  static async open(cfg: ConnectionConfig, wire: WireMonitor): Promise<BrokerConnection> {
    const c = new BrokerConnection(cfg, wire);
    await c.connect();
    try {
      // v3 first (KIP-511: a broker that lacks it answers UNSUPPORTED_VERSION in v0, with its own range), then v0.
      let versions = await c.request(Api.ApiVersions, { clientSoftwareName: 'kafka-producer-tui', clientSoftwareVersion: '0.1.0' }, cfg.setupTimeoutMs, 3);
      if (versions.errorCode === 35) versions = await c.request(Api.ApiVersions, {}, cfg.setupTimeoutMs, 0);
      if (versions.errorCode !== 0) throw new KafkaError(errorName(versions.errorCode), `ApiVersions failed on ${c.address}`, false);
      for (const k of versions.apiKeys as { apiKey: number; minVersion: number; maxVersion: number }[]) {
        const mine = CLIENT_VERSIONS[k.apiKey];
        if (!mine) continue;
        const v = Math.min(mine[1], k.maxVersion);
        if (v >= Math.max(mine[0], k.minVersion)) c.versions.set(k.apiKey, v);
      }
      if (cfg.sasl) await authenticate(c, cfg.sasl, cfg.setupTimeoutMs);
    } catch (e) {
      c.close(e as Error);
      throw e;
    }
    return c;
  }

  private connect(): Promise<void> {
    const { host, port, ssl } = this.cfg;
    // The sandbox speaks no TLS: a TLS connection is never to one in this process. A pipe hands over the broker's
    // own response buffers, never reused, so an answer may keep views of them.
    const pipe = ssl ? null : connectInProcess(host, port, (n, buf) => this.onData(n, buf, false));
    if (pipe) {
      this.socket = pipe;
      this.writes = pipe;
    }
    const connected = pipe
      ? RESOLVED
      : new Promise<void>((resolve, reject) => {
          const done = (e?: Error) => {
            clearTimeout(timeout);
            this.socket.off('error', done);
            if (e) {
              this.socket.destroy();
              reject(new KafkaError('NETWORK_EXCEPTION', `could not connect to ${this.address}: ${e.message}`, true));
            } else resolve();
          };
          const timeout = setTimeout(() => done(new Error(`no connection within ${this.cfg.setupTimeoutMs} ms`)), this.cfg.setupTimeoutMs);
          const onread: net.OnReadOpts = { buffer: Buffer.allocUnsafe(READ_BUFFER_BYTES), callback: (n, buf) => (this.onData(n, buf as Buffer, true), true) };
          // tls.connect takes onread too (Node's docs), though its typings leave it out.
          const tlsOptions: tls.ConnectionOptions & { onread: net.OnReadOpts } = { host, port, onread, ...(!net.isIP(host) ? { servername: host } : {}), ...(ssl === true ? {} : ssl) };
          const socket = ssl ? tls.connect(tlsOptions, () => done()) : net.connect({ host, port, onread }, () => done());
          this.socket = socket;
          // Requests of one drain are written in one loop (the Sender's wakeup), so a promise job later is late enough.
          this.writes = new TurnWrites(socket, 'job');
          socket.once('error', done);
          socket.setNoDelay(true);
          socket.setKeepAlive(true, KEEP_ALIVE_MS);
        });
    return connected.then(() => {
      this.socket.on('error', (e: Error) => this.close(new KafkaError('NETWORK_EXCEPTION', `connection to ${this.address} failed: ${e.message}`, true)));
      this.socket.on('close', () => this.close(new KafkaError('NETWORK_EXCEPTION', `connection to ${this.address} closed by the broker`, true)));
      this.wire.emit({ t: 'conn.open', broker: this.address });
    });
  }

  /** The negotiated version of an API; -1 when the broker does not support any this client speaks. */
  version(apiKey: number): number {
    return this.versions.get(apiKey) ?? -1;
  }

  get inFlight(): number {
    return this.pending.length;
  }

  /** How long the oldest unanswered request has waited, ms (0 when none): a broker that stopped answering shows. */
  oldestWaitMs(): number {
    return this.pending.length === 0 ? 0 : performance.now() - this.pending[0].wire.sentAt;
  }

  onClose(fn: (e: Error) => void): void {
    this.closeListeners.push(fn);
  }

  /**
   * Sends one request; resolves with the decoded response body. `expectResponse` false (Produce with acks=0):
   * resolves once written. Rejects with a retriable KafkaError when the connection fails or the request times out.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  request(apiKey: number, body: object, timeoutMs: number, version = this.version(apiKey), expectResponse = true): Promise<any> {
    return new Promise((resolve, reject) => this.send(apiKey, body, timeoutMs, version, expectResponse, SETTLE, { resolve, reject }));
  }

  /**
   * request() with a handler, for the Sender's Produce requests (no promise per request). `handler.answered(ctx, ..)`
   * runs as the answer is read (with null once written, when no answer is expected: a tick later);
   * `handler.failed(ctx, ..)` a tick after the failure, never inside send().
   */
  send<C>(apiKey: number, body: object, timeoutMs: number, version: number, expectResponse: boolean, handler: AnswerHandler<C>, ctx: C): void {
    if (this.closed) return this.failLater(handler, ctx, this.closeReason ?? new KafkaError('NETWORK_EXCEPTION', `connection to ${this.address} is closed`, true));
    if (version < 0) return this.failLater(handler, ctx, new KafkaError('UNSUPPORTED_VERSION', `${this.address} supports no version of API ${apiKey} that this client speaks`, false));
    const correlationId = (this.correlationId = (this.correlationId + 1) | 0);
    const frame = encodeRequest(apiKey, version, correlationId, this.cfg.clientId, body);
    const wire: WireRequest = { broker: this.address, apiKey, apiVersion: version, correlationId, bytes: frame.length, sentAt: performance.now() };
    if (!expectResponse) {
      this.writes.write(frame);
      this.wire.emit({ t: 'req.start', req: wire, inFlight: this.pending.length });
      this.wire.emit({ t: 'req.end', req: wire, responseBytes: 0, rttMs: 0, inFlight: this.pending.length });
      void RESOLVED.then(() => handler.answered(ctx, null));
      return;
    }
    const deadline = Date.now() + timeoutMs;
    this.pending.push({ apiKey, version, deadline, wire, handler: handler as AnswerHandler<unknown>, ctx });
    this.writes.write(frame);
    this.wire.emit({ t: 'req.start', req: wire, inFlight: this.pending.length });
    if (deadline < this.timerAt) this.arm(deadline);
  }

  private failLater<C>(handler: AnswerHandler<C>, ctx: C, e: Error): void {
    void RESOLVED.then(() => handler.failed(ctx, e));
  }

  private arm(at: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => this.checkTimeouts(), Math.max(0, at - Date.now()));
    this.timer.unref();
  }

  private checkTimeouts(): void {
    this.timer = null;
    this.timerAt = Infinity;
    const now = Date.now();
    let next = Infinity;
    for (const p of this.pending) {
      if (p.deadline <= now) {
        const ms = Math.round(performance.now() - p.wire.sentAt);
        this.close(new KafkaError('REQUEST_TIMED_OUT', `no answer from ${this.address} within request.timeout.ms (${ms} ms): connection closed`, true));
        return;
      }
      next = Math.min(next, p.deadline);
    }
    if (next < Infinity) this.arm(next);
  }

  /** `n` bytes read into `shared`; `reused`: the next read overwrites it, so whatever is kept past this call is copied out. */
  private onData(n: number, shared: Buffer, reused: boolean): void {
    const fresh = this.inbound === null;
    const buf = fresh ? shared.subarray(0, n) : Buffer.concat([this.inbound!, shared.subarray(0, n)]);
    let at = 0;
    while (buf.length - at >= 4) {
      const size = buf.readInt32BE(at);
      if (buf.length - at - 4 < size) break;
      this.onFrame(buf.subarray(at + 4, at + 4 + size), fresh && reused);
      if (this.closed) return;
      at += 4 + size;
    }
    this.inbound = at === buf.length ? null : Buffer.from(buf.subarray(at));
  }

  /** `shared`: the frame lies in the read buffer, which the next read overwrites. */
  private onFrame(shared: Buffer, inReadBuffer: boolean): void {
    const correlationId = shared.readInt32BE(0);
    const at = this.pending.length > 0 && this.pending[0].wire.correlationId === correlationId ? 0 : this.pending.findIndex((q) => q.wire.correlationId === correlationId);
    if (at < 0) return; // an answer to a request that already failed
    const p = at === 0 ? this.pending.shift()! : this.pending.splice(at, 1)[0];
    // A decoded answer may hold slices of its frame (bytes fields): those must outlive the read buffer. A Produce
    // answer, decoded field by field into numbers and strings, holds none.
    const frame = inReadBuffer && !isDirectProduce(p.apiKey, p.version) ? Buffer.from(shared) : shared;
    this.wire.emit({ t: 'req.end', req: p.wire, responseBytes: frame.length + 4, rttMs: performance.now() - p.wire.sentAt, inFlight: this.pending.length });
    let body: unknown;
    try {
      body = decodeResponse(p.apiKey, p.version, frame).body;
    } catch (e) {
      this.failLater(p.handler, p.ctx, new KafkaError('CORRUPT_MESSAGE', `unreadable ${p.apiKey} response from ${this.address}: ${(e as Error).message}`, false));
      return;
    }
    p.handler.answered(p.ctx, body);
  }

  /** Closes the connection; every request on it fails with `reason` (retriable). */
  close(reason: Error = new KafkaError('NETWORK_EXCEPTION', `connection to ${this.address} closed`, true)): void {
    if (this.closed) return;
    this.closed = true;
    this.closeReason = reason;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.socket?.destroy();
    const lost = this.pending;
    this.pending = [];
    for (const p of lost) this.wire.emit({ t: 'req.lost', req: p.wire, inFlight: 0 });
    this.wire.emit({ t: 'conn.close', broker: this.address, lostRequests: lost.length });
    for (const p of lost) this.failLater(p.handler, p.ctx, reason);
    for (const l of this.closeListeners) l(reason);
  }
}
