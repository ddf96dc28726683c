// Watches the Kafka protocol on kafkajs's sockets: a socketFactory that turns Nagle off (kafkajs never does, which
// caps pipelining, notes/kafkajs.md §2.3) and reads every request and response frame as it crosses the wire. That
// gives what kafkajs's events cannot: exact requests in flight per broker, bytes each way and round-trip times.
import net from 'node:net';
import tls from 'node:tls';
import type { ISocketFactory } from 'kafkajs';

export interface WireRequest {
  broker: string;
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  bytes: number;
  sentAt: number;
  /** Produce (v3+): the record batch of each partition in the request. */
  produced?: ProducedBatch[];
}

/** One partition's record batch in a Produce request, as written. */
export interface ProducedBatch {
  topic: string;
  partition: number;
  records: number;
  firstTimestamp: number;
  maxTimestamp: number;
  /** The batch from its magic byte on (CRC, sequence, records): the same bytes when the same batch is sent again. */
  bytes: Buffer;
}

export type WireEvent =
  | { t: 'req.start'; req: WireRequest; inFlight: number }
  | { t: 'req.end'; req: WireRequest; responseBytes: number; rttMs: number; inFlight: number }
  | { t: 'req.lost'; req: WireRequest; inFlight: number }
  | { t: 'producer-id'; broker: string; producerId: number; epoch: number }
  | { t: 'conn.open'; broker: string }
  | { t: 'conn.close'; broker: string; lostRequests: number };

const KEEP_ALIVE_MS = 60_000;
const PRODUCE = 0;
const INIT_PRODUCER_ID = 22;

/** Where a Produce request's body starts: after size(4) apiKey(2) version(2) correlationId(4) clientId(2 + n). */
function produceBody(frame: Buffer): number {
  return 14 + Math.max(0, frame.readInt16BE(12));
}

/** Produce with acks=0 gets no response: it is in flight only while being written. acks follows transactionalId. */
function expectsResponse(frame: Buffer, apiKey: number): boolean {
  if (apiKey !== PRODUCE) return true;
  const at = produceBody(frame);
  return frame.readInt16BE(at + 2 + Math.max(0, frame.readInt16BE(at))) !== 0;
}

/** int64 as a number (timestamps are far below 2^53). */
const readLong = (b: Buffer, at: number): number => b.readInt32BE(at) * 4294967296 + b.readUInt32BE(at + 4);

/**
 * The partitions' v2 record batches of a Produce request (v3+: transactionalId acks timeout [topic [partition records]]);
 * null for older versions (Kafka before 0.11, which the engine does not support) or a frame that does not parse.
 * Batch header offsets: magic 16, firstTimestamp 27, maxTimestamp 35, record count 57 (61 bytes in all).
 */
function parseProduce(frame: Buffer, version: number): ProducedBatch[] | null {
  if (version < 3) return null;
  try {
    const body = produceBody(frame);
    let at = body + 2 + Math.max(0, frame.readInt16BE(body)) + 2 + 4; // transactionalId, acks, timeout
    const out: ProducedBatch[] = [];
    const topics = frame.readInt32BE(at);
    at += 4;
    for (let t = 0; t < topics; t++) {
      const nameEnd = at + 2 + frame.readInt16BE(at);
      const topic = frame.toString('utf8', at + 2, nameEnd);
      const partitions = frame.readInt32BE(nameEnd);
      at = nameEnd + 4;
      for (let p = 0; p < partitions; p++) {
        const partition = frame.readInt32BE(at);
        const start = at + 8;
        at = start + Math.max(0, frame.readInt32BE(at + 4));
        if (at > frame.length || at - start < 61 || frame.readInt8(start + 16) !== 2) continue;
        out.push({
          topic,
          partition,
          records: frame.readInt32BE(start + 57),
          firstTimestamp: readLong(frame, start + 27),
          maxTimestamp: readLong(frame, start + 35),
          bytes: frame.subarray(start + 16, at),
        });
      }
    }
    return out;
  } catch {
    return null; // a RangeError: not a frame this parser understands
  }
}

export class WireMonitor {
  private inFlight = new Map<string, number>();
  private listeners = new Set<(e: WireEvent) => void>();
  bytesOut = 0;
  bytesIn = 0;

  on(fn: (e: WireEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  inFlightByBroker(): ReadonlyMap<string, number> {
    return this.inFlight;
  }

  private emit(e: WireEvent): void {
    for (const l of this.listeners) l(e);
  }

  private bump(broker: string, delta: number): number {
    const n = Math.max(0, (this.inFlight.get(broker) ?? 0) + delta);
    this.inFlight.set(broker, n);
    return n;
  }

  /** InitProducerId v0/v1 response: throttle_time_ms, error_code, producer_id, producer_epoch (after the header). */
  private readProducerId(frame: Buffer, broker: string): void {
    if (frame.length < 8 + 16 || frame.readInt16BE(12) !== 0) return;
    this.emit({ t: 'producer-id', broker, producerId: Number(frame.readBigInt64BE(14)), epoch: frame.readInt16BE(22) });
  }

  /** The socketFactory to hand to `new Kafka({ socketFactory })`. */
  socketFactory(): ISocketFactory {
    return ({ host, port, ssl, onConnect }) => {
      const socket = ssl
        ? tls.connect({ host, port, ...(!net.isIP(host) ? { servername: host } : {}), ...ssl }, onConnect)
        : net.connect({ host, port }, onConnect);
      socket.setKeepAlive(true, KEEP_ALIVE_MS);
      socket.setNoDelay(true);
      this.watch(socket, `${host}:${port}`);
      return socket;
    };
  }

  private watch(socket: net.Socket, broker: string): void {
    // Requests awaiting a response on this socket, by correlation id (ids restart at 0 per connection).
    const pending = new Map<number, WireRequest>();
    let inbound: Buffer = Buffer.alloc(0);
    this.emit({ t: 'conn.open', broker });

    const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
    socket.write = ((chunk: unknown, ...rest: unknown[]) => {
      // kafkajs writes exactly one framed request per write call (connection.js).
      if (Buffer.isBuffer(chunk) && chunk.length >= 12) {
        const req: WireRequest = {
          broker,
          apiKey: chunk.readInt16BE(4),
          apiVersion: chunk.readInt16BE(6),
          correlationId: chunk.readInt32BE(8),
          bytes: chunk.length,
          sentAt: performance.now(),
        };
        if (req.apiKey === PRODUCE) req.produced = parseProduce(chunk, req.apiVersion) ?? undefined;
        this.bytesOut += chunk.length;
        if (expectsResponse(chunk, req.apiKey)) {
          pending.set(req.correlationId, req);
          this.emit({ t: 'req.start', req, inFlight: this.bump(broker, 1) });
        } else {
          this.emit({ t: 'req.start', req, inFlight: this.bump(broker, 0) });
          this.emit({ t: 'req.end', req, responseBytes: 0, rttMs: 0, inFlight: this.bump(broker, 0) });
        }
      }
      return write(chunk, ...rest);
    }) as typeof socket.write;

    socket.on('data', (chunk: Buffer) => {
      this.bytesIn += chunk.length;
      inbound = inbound.length === 0 ? chunk : Buffer.concat([inbound, chunk]);
      while (inbound.length >= 8) {
        const size = inbound.readInt32BE(0);
        if (inbound.length < 4 + size) break;
        const correlationId = inbound.readInt32BE(4);
        const frame = inbound.subarray(0, 4 + size);
        inbound = inbound.subarray(4 + size);
        const req = pending.get(correlationId);
        if (!req) continue;
        pending.delete(correlationId);
        if (req.apiKey === INIT_PRODUCER_ID) this.readProducerId(frame, broker);
        this.emit({ t: 'req.end', req, responseBytes: 4 + size, rttMs: performance.now() - req.sentAt, inFlight: this.bump(broker, -1) });
      }
    });

    socket.on('close', () => {
      const lost = pending.size;
      for (const req of pending.values()) this.emit({ t: 'req.lost', req, inFlight: this.bump(broker, -1) });
      pending.clear();
      this.emit({ t: 'conn.close', broker, lostRequests: lost });
    });
  }
}
