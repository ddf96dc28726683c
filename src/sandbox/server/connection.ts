// One client connection to one broker: splits the byte stream into frames, decodes the header, runs the API,
// and writes responses strictly in request order (head-of-line blocking, as Kafka does). Anything malformed
// closes this connection only, with a log line; the broker and every other client go on.
import type { Socket } from 'node:net';
import { ApiKey, isFlexibleRequest } from '../../wire/api-keys.js';
import { ErrorCode } from '../../wire/error-codes.js';
import { ProtocolError, Reader } from '../../wire/reader.js';
import { Writer } from '../../wire/writer.js';
import type { SandboxState } from '../state.js';
import { NO_RESPONSE, type ApiDefinition, type RequestContext } from './api.js';
import { runWithFaults } from './dispatch.js';

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
  done: boolean;
  bytes: Buffer | null;
}

let nextConnectionId = 1;

export class Connection {
  readonly id = nextConnectionId++;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Bytes needed before the next frame can be cut: its 4-byte size, then the whole frame. */
  private neededBytes = 4;
  private slots: Slot[] = [];
  private closed = false;
  /** Requests are processed one after another, in arrival order, like Kafka's request channel per connection. */
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly socket: Socket, private readonly host: ConnectionHost) {
    socket.setNoDelay(true);
    socket.on('data', (chunk) => this.onData(chunk));
    socket.on('error', () => this.close());
    socket.on('close', () => this.close());
  }

  get remote(): string {
    return `${this.socket.remoteAddress}:${this.socket.remotePort}`;
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    // Join chunks only once a whole frame is there: joining on every chunk would copy a 1 MB request ~16 times.
    if (this.pendingBytes < this.neededBytes) return;
    let buf = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending, this.pendingBytes);
    let at = 0;
    this.neededBytes = 4;
    while (buf.length - at >= 4) {
      const size = buf.readInt32BE(at);
      if (size < 8 || size > this.host.state.cluster.maxRequestBytes) {
        this.abort(`invalid request size ${size}`);
        return;
      }
      if (buf.length - at - 4 < size) {
        this.neededBytes = 4 + size;
        break;
      }
      const frame = buf.subarray(at + 4, at + 4 + size);
      at += 4 + size;
      this.enqueue(frame);
    }
    buf = buf.subarray(at);
    this.pending = buf.length > 0 ? [buf] : [];
    this.pendingBytes = buf.length;
  }

  private enqueue(frame: Buffer): void {
    const slot: Slot = { done: false, bytes: null };
    this.slots.push(slot);
    // Socket chunks are never reused, so a frame may stay a view; but decoded fields (e.g. group metadata) can be
    // kept long after, so a small frame is copied out of a large chunk rather than pinning all of it.
    const own = frame.length * 2 < frame.buffer.byteLength ? Buffer.from(frame) : frame;
    this.chain = this.chain.then(() => this.process(own, slot)).catch((e) => this.abort(`internal error: ${(e as Error).stack ?? e}`));
  }

  private async process(frame: Buffer, slot: Slot): Promise<void> {
    if (this.closed) return;
    const r = new Reader(frame);
    let apiKey: number;
    let version: number;
    let correlationId: number;
    let clientId: string | null;
    try {
      apiKey = r.int16();
      version = r.int16();
      correlationId = r.int32();
      clientId = r.nullableString();
    } catch (e) {
      this.abort(`malformed request header: ${(e as Error).message}`);
      return;
    }
    const api = this.host.apis.get(apiKey);
    if (!api || version < api.minVersion || version > api.maxVersion) {
      if (apiKey === ApiKey.ApiVersions) {
        this.complete(slot, correlationId, unsupportedApiVersions(this.host.apis));
        return;
      }
      this.abort(`unsupported API ${apiKey} v${version} (correlation ${correlationId})`);
      return;
    }
    let req: unknown;
    try {
      if (isFlexibleRequest(apiKey, version)) r.skipTags();
      req = api.decode(r, version);
    } catch (e) {
      const msg = e instanceof ProtocolError || e instanceof RangeError ? e.message : String(e);
      this.abort(`malformed ${apiKey} v${version} request: ${msg}`);
      return;
    }
    const ctx: RequestContext = {
      state: this.host.state,
      brokerId: this.host.brokerId,
      apiKey,
      version,
      correlationId,
      clientId,
      connectionId: this.id,
      localHost: this.socket.localAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
    };
    const entry = this.host.state.requestLog.add({
      broker: this.host.brokerId,
      connection: this.id,
      apiKey,
      version,
      correlationId,
      clientId,
      receivedAt: Date.now(),
    });
    // A paused broker holds the request it has read (logged as pending, so the pause shows) and everything behind it.
    if (this.host.isPaused()) await this.host.whenServing();
    if (this.closed) {
      this.host.state.requestLog.finish(entry, 'closed', Date.now());
      return;
    }
    // Kafka mutes a connection from reading a request until its response is sent, so requests on one connection
    // are handled one at a time: a waiting acks=all produce or an injected delay holds the ones behind it.
    await runWithFaults(ctx, api, req, entry).then((o) => {
      if (o.kind === 'close') {
        this.host.state.requestLog.finish(entry, 'closed', Date.now());
        this.abort(o.reason);
      } else if (o.kind === 'no-response' || o.kind === 'dropped') {
        this.host.state.requestLog.finish(entry, o.kind, Date.now());
        slot.done = true;
        this.flush();
      } else {
        const w = new Writer(256);
        api.encode(w, version, o.response);
        this.host.state.requestLog.finish(entry, 'answered', Date.now());
        this.complete(slot, correlationId, w.toBuffer());
      }
    }).catch((e) => this.abort(`handler failed: ${(e as Error).stack ?? e}`));
  }

  private complete(slot: Slot, correlationId: number, body: Buffer): void {
    // The correlation id; the header's tags (response header v1, flexible versions) come with the encoded body.
    const out = Buffer.allocUnsafe(8 + body.length);
    out.writeInt32BE(4 + body.length, 0);
    out.writeInt32BE(correlationId, 4);
    body.copy(out, 8);
    slot.bytes = out;
    slot.done = true;
    this.flush();
  }

  /** Writes every finished response at the head of the queue; a paused broker writes nothing until resumed. */
  flush(): void {
    if (this.host.isPaused()) return;
    while (this.slots.length > 0 && this.slots[0].done) {
      const s = this.slots.shift()!;
      if (s.bytes && !this.closed) this.socket.write(s.bytes);
    }
  }

  /** Closes this connection after a protocol violation, with a log line. */
  abort(reason: string): void {
    if (this.closed) return;
    this.host.log(`broker ${this.host.brokerId}: closing connection ${this.id} from ${this.remote}: ${reason}`);
    this.close();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.slots = [];
    this.socket.destroy();
  }

  /** A crash: reset the connection (RST) instead of a clean close. */
  reset(): void {
    if (this.closed) return;
    this.closed = true;
    this.slots = [];
    if (typeof this.socket.resetAndDestroy === 'function') this.socket.resetAndDestroy();
    else this.socket.destroy();
  }

  get isClosed(): boolean {
    return this.closed;
  }
}

/** ApiVersions at a version we do not serve: a v0-layout reply with UNSUPPORTED_VERSION and our ranges (KIP-511). */
function unsupportedApiVersions(apis: ReadonlyMap<number, ApiDefinition>): Buffer {
  const w = new Writer(256);
  w.int16(ErrorCode.UNSUPPORTED_VERSION);
  const list = [...apis.values()].sort((a, b) => a.key - b.key);
  w.array(list, (w, a) => w.int16(a.key).int16(a.minVersion).int16(a.maxVersion));
  return w.toBuffer();
}
