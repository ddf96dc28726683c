// A bare Kafka connection for tests: kafkajs's own request encoders and response decoders over one net.Socket,
// framed with request header v1 (api_key, api_version, correlation_id, client_id). It lets tests send exactly the
// request they mean (a Fetch at a given offset, a long-poll) without a consumer group.
import { createRequire } from 'node:module';
import { connect, type Socket } from 'node:net';

const require = createRequire(import.meta.url);

interface Pending {
  resolve: (body: Buffer) => void;
  reject: (e: Error) => void;
}

export class RawClient {
  private buffered = Buffer.alloc(0);
  private pending = new Map<number, Pending>();
  private nextCorrelationId = 1;
  private closedError: Error | null = null;
  /** Correlation ids of every response frame received, in arrival order (shows what was not answered). */
  readonly received: number[] = [];
  /** Resolves when the connection is closed, by either side. */
  readonly closed: Promise<void>;

  private constructor(private readonly socket: Socket, private readonly clientId: string) {
    socket.on('data', (chunk) => this.onData(chunk));
    socket.on('error', (e) => this.fail(e));
    this.closed = new Promise((resolve) => {
      socket.on('close', () => {
        this.fail(new Error('connection closed by the broker'));
        resolve();
      });
    });
  }

  /** `address` is host:port, as Sandbox.addresses() gives it. */
  static connect(address: string, clientId = 'raw-client'): Promise<RawClient> {
    const [host, port] = address.split(':');
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port: Number(port) }, () => {
        socket.off('error', reject);
        resolve(new RawClient(socket, clientId));
      });
      socket.once('error', reject);
    });
  }

  /**
   * Sends one request body and resolves with the response body (after the correlation id). `headerTags` writes
   * request header v2 (an empty tag section after client_id), for flexible versions such as ApiVersions v3.
   */
  request(apiKey: number, version: number, body: Buffer, opts: { headerTags?: boolean } = {}): Promise<Buffer> {
    if (this.closedError) return Promise.reject(this.closedError);
    const correlationId = this.nextCorrelationId++;
    return new Promise((resolve, reject) => {
      this.pending.set(correlationId, { resolve, reject });
      this.socket.write(this.frame(apiKey, version, correlationId, body, opts.headerTags ?? false));
    });
  }

  /** Sends a request that expects no response (Produce with acks=0, or one the broker should refuse); returns its correlation id. */
  send(apiKey: number, version: number, body: Buffer, opts: { headerTags?: boolean } = {}): number {
    const correlationId = this.nextCorrelationId++;
    this.socket.write(this.frame(apiKey, version, correlationId, body, opts.headerTags ?? false));
    return correlationId;
  }

  private frame(apiKey: number, version: number, correlationId: number, body: Buffer, headerTags: boolean): Buffer {
    const client = Buffer.from(this.clientId, 'utf8');
    const header = Buffer.alloc(4 + 2 + 2 + 4 + 2 + client.length + (headerTags ? 1 : 0));
    header.writeInt32BE(header.length - 4 + body.length, 0);
    header.writeInt16BE(apiKey, 4);
    header.writeInt16BE(version, 6);
    header.writeInt32BE(correlationId, 8);
    header.writeInt16BE(client.length, 12);
    client.copy(header, 14);
    if (headerTags) header.writeUInt8(0, header.length - 1);
    return Buffer.concat([header, body]);
  }

  /**
   * Builds the request with kafkajs's `requests/<api>/v<version>/request.js`, sends it, and decodes the answer with
   * its `response.js` (`parse` too when asked: it throws kafkajs's error for the first failed partition).
   */
  async call(api: string, version: number, args: Record<string, unknown>, opts: { parse?: boolean } = {}): Promise<any> {
    const request = require(`kafkajs/src/protocol/requests/${api}/v${version}/request`)(args);
    const encoded = await request.encode();
    const body = await this.request(request.apiKey, version, Buffer.from(encoded.buffer));
    const response = require(`kafkajs/src/protocol/requests/${api}/v${version}/response`);
    const decoded = await response.decode(body);
    return opts.parse && response.parse ? response.parse(decoded) : decoded;
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.buffered = Buffer.concat([this.buffered, chunk]);
    while (this.buffered.length >= 4) {
      const size = this.buffered.readInt32BE(0);
      if (this.buffered.length < 4 + size) return;
      const correlationId = this.buffered.readInt32BE(4);
      const body = Buffer.from(this.buffered.subarray(8, 4 + size));
      this.buffered = this.buffered.subarray(4 + size);
      this.received.push(correlationId);
      const p = this.pending.get(correlationId);
      this.pending.delete(correlationId);
      p?.resolve(body);
    }
  }

  private fail(e: Error): void {
    this.closedError ??= e;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }
}
