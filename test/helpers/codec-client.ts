// A bare Kafka connection that speaks through the project's schema-driven codec (wire/protocol.ts): any API at any
// version, flexible ones included (request header v2, response header v1), with bodies in the schema's field names.
import { connect, type Socket } from 'node:net';
import { decodeResponse, encodeRequest } from '../../src/wire/protocol.js';

export class CodecClient {
  private buffered = Buffer.alloc(0);
  private pending = new Map<number, { apiKey: number; version: number; resolve: (body: any) => void; reject: (e: Error) => void }>();
  private nextCorrelationId = 1;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk) => this.onData(chunk));
    const fail = (e: Error) => {
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('connection closed by the broker')));
  }

  /** `address` is host:port, as Sandbox.addresses() gives it. */
  static connect(address: string): Promise<CodecClient> {
    const [host, port] = address.split(':');
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port: Number(port) }, () => resolve(new CodecClient(socket)));
      socket.once('error', reject);
    });
  }

  call(apiKey: number, version: number, body: object): Promise<any> {
    const correlationId = this.nextCorrelationId++;
    return new Promise((resolve, reject) => {
      this.pending.set(correlationId, { apiKey, version, resolve, reject });
      this.socket.write(encodeRequest(apiKey, version, correlationId, 'codec-client', body));
    });
  }

  private onData(chunk: Buffer): void {
    this.buffered = Buffer.concat([this.buffered, chunk]);
    while (this.buffered.length >= 4 && this.buffered.length >= 4 + this.buffered.readInt32BE(0)) {
      const size = this.buffered.readInt32BE(0);
      const frame = this.buffered.subarray(4, 4 + size);
      this.buffered = this.buffered.subarray(4 + size);
      const correlationId = frame.readInt32BE(0);
      const p = this.pending.get(correlationId);
      if (!p) continue;
      this.pending.delete(correlationId);
      p.resolve(decodeResponse(p.apiKey, p.version, frame).body);
    }
  }

  close(): void {
    this.socket.destroy();
  }
}
