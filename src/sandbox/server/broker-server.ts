// One broker's listener on 127.0.0.1: accepts connections and follows the broker's status. Stop closes the
// listener and connections; crash resets them; pause keeps them open and answers nothing; start listens again on
// the same port. Started for in-process clients, it also accepts the app's own connections through an in-memory
// pipe while it listens (the TCP listener stays, for every other client).
import { createServer, type Server } from 'node:net';
import { listenInProcess } from '../../wire/in-process-listeners.js';
import type { SandboxState } from '../state.js';
import type { ApiDefinition } from './api.js';
import type { ClientSocket } from './client-socket.js';
import { Connection, type ConnectionHost } from './connection.js';

export class BrokerServer implements ConnectionHost {
  private server: Server | null = null;
  private connections = new Set<Connection>();
  private resumeWaiters: (() => void)[] = [];
  private unlistenInProcess: (() => void) | null = null;
  port = 0;

  constructor(
    readonly brokerId: number,
    readonly state: SandboxState,
    readonly apis: ReadonlyMap<number, ApiDefinition>,
    readonly host: string,
    readonly log: (line: string) => void,
    /** Also accept this process's own clients without TCP (wire/in-process-listeners.ts). */
    readonly inProcessClients = false,
  ) {}

  isPaused(): boolean {
    return this.state.cluster.brokers.get(this.brokerId)?.status === 'paused';
  }

  whenServing(): Promise<void> {
    if (!this.isPaused()) return Promise.resolve();
    return new Promise((r) => this.resumeWaiters.push(r));
  }

  async listen(port: number): Promise<number> {
    const server = createServer((socket) => this.accept(socket));
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
    if (this.inProcessClients) this.unlistenInProcess = listenInProcess(this.host, this.port, (end) => this.accept(end));
    return this.port;
  }

  private accept(socket: ClientSocket): void {
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
    this.unlistenInProcess?.();
    this.unlistenInProcess = null;
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

  /** Where each open connection comes from: a client's host:port, or in-process:N for the app's own clients. */
  connectionSources(): string[] {
    return [...this.connections].map((c) => c.remote);
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
