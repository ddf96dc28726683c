// One broker's listener on 127.0.0.1: accepts connections and follows the broker's status. Stop closes the
// listener and connections; crash resets them; pause keeps them open and answers nothing; start listens again on
// the same port.
import { createServer, type Server, type Socket } from 'node:net';
import type { SandboxState } from '../state.js';
import type { ApiDefinition } from './api.js';
import { Connection, type ConnectionHost } from './connection.js';

export class BrokerServer implements ConnectionHost {
  private server: Server | null = null;
  private connections = new Set<Connection>();
  private resumeWaiters: (() => void)[] = [];
  port = 0;

  constructor(
    readonly brokerId: number,
    readonly state: SandboxState,
    readonly apis: ReadonlyMap<number, ApiDefinition>,
    readonly host: string,
    readonly log: (line: string) => void,
  ) {}

  isPaused(): boolean {
    return this.state.cluster.brokers.get(this.brokerId)?.status === 'paused';
  }

  whenServing(): Promise<void> {
    if (!this.isPaused()) return Promise.resolve();
    return new Promise((r) => this.resumeWaiters.push(r));
  }

  async listen(port: number): Promise<number> {
    const server = createServer((socket: Socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port, host: this.host, exclusive: true }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (e) => this.log(`broker ${this.brokerId}: listener error: ${e.message}`));
    this.server = server;
    this.port = (server.address() as { port: number }).port;
    return this.port;
  }

  private accept(socket: Socket): void {
    const status = this.state.cluster.brokers.get(this.brokerId)?.status;
    if (status === 'stopped' || status === 'crashed') {
      socket.destroy();
      return;
    }
    const conn = new Connection(socket, this);
    this.connections.add(conn);
    socket.on('close', () => this.connections.delete(conn));
  }

  /** Stop listening and close every connection (reset them when the broker crashed). */
  async shutdown(reset: boolean): Promise<void> {
    for (const c of this.connections) (reset ? c.reset() : c.close());
    this.connections.clear();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((r) => server.close(() => r()));
    this.releaseWaiters();
  }

  /** After a pause: process held requests and write held responses. */
  resumed(): void {
    this.releaseWaiters();
    for (const c of this.connections) c.flush();
  }

  private releaseWaiters(): void {
    const waiters = this.resumeWaiters;
    this.resumeWaiters = [];
    for (const w of waiters) w();
  }

  get listening(): boolean {
    return this.server !== null;
  }

  connectionCount(): number {
    return this.connections.size;
  }

  /** Bytes every connection of this broker holds for its client: requests not yet processed, unsent responses. */
  bufferedBytes(): { requests: number; responses: number } {
    const total = { requests: 0, responses: 0 };
    for (const c of this.connections) {
      const b = c.bufferedBytes();
      total.requests += b.requests;
      total.responses += b.responses;
    }
    return total;
  }
}
