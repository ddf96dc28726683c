// ClusterControl for a sandbox running in another process (`npm run sandbox`, then `npm start`): found by the
// broker address the app attaches to, through the sandbox's control socket (sandbox/control/control-socket.ts), and
// offering the same broker actions and faults as the sandbox in this process. The screens read broker states and
// pending faults synchronously, so they are kept as last seen: polled every second and refreshed after each action.
import { existsSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { controlSocketPath } from '../../sandbox/control/control-socket-path.js';
import type { ClusterEvent, ClusterStatusView, ControlResult as SandboxResult } from '../../sandbox/control/control.js';
import type { BrokerState } from '../producer/engine-types.js';
import type { BrokerAction, ClusterControl, ControlResult, ControlledBroker, FaultControl } from './cluster-control.js';
import { addressesText, belowMinIsrWarning } from './sandbox-cluster-control.js';

const CONNECT_TIMEOUT_MS = 1000;
/** Starting a stopped broker waits for its listener; everything else answers at once. */
const REQUEST_TIMEOUT_MS = 15_000;
const POLL_MS = 1000;

interface Hello {
  clusterId: string;
  addresses: string[];
  pid: number;
}

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout };

/** One connection to the control socket: numbered requests, their answers, and the cluster events in between. */
class ControlConnection {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private buffered = '';
  private readonly listeners = new Set<(e: ClusterEvent) => void>();
  closedReason: string | null = null;

  private constructor(private readonly socket: Socket, readonly path: string) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.onData(chunk));
    socket.on('error', () => {});
    socket.on('close', () => this.fail('the sandbox process closed its control socket (stopped?)'));
  }

  static open(path: string): Promise<ControlConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect(path);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`${path} did not accept a connection within ${CONNECT_TIMEOUT_MS} ms`));
      }, CONNECT_TIMEOUT_MS);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(new ControlConnection(socket, path));
      });
      socket.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
    });
  }

  request<T>(op: string, args: Record<string, unknown> = {}): Promise<T> {
    if (this.closedReason) return Promise.reject(new Error(this.closedReason));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`the sandbox did not answer ${op} within ${REQUEST_TIMEOUT_MS / 1000} s`));
      }, REQUEST_TIMEOUT_MS);
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      this.socket.write(`${JSON.stringify({ id, op, ...args })}\n`);
    });
  }

  onEvent(fn: (e: ClusterEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  close(): void {
    this.fail('closed');
    this.socket.destroy();
  }

  private onData(chunk: string): void {
    this.buffered += chunk;
    let nl: number;
    while ((nl = this.buffered.indexOf('\n')) >= 0) {
      const line = this.buffered.slice(0, nl);
      this.buffered = this.buffered.slice(nl + 1);
      let msg: { id?: number; result?: unknown; error?: string; event?: ClusterEvent };
      try {
        msg = JSON.parse(line) as typeof msg;
      } catch {
        continue;
      }
      if (msg.event) {
        for (const l of this.listeners) l(msg.event);
        continue;
      }
      const p = msg.id === undefined ? undefined : this.pending.get(msg.id);
      if (!p) continue;
      this.pending.delete(msg.id!);
      clearTimeout(p.timer);
      if (msg.error !== undefined) p.reject(new Error(msg.error));
      else p.resolve(msg.result);
    }
  }

  private fail(reason: string): void {
    this.closedReason ??= reason;
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new Error(this.closedReason));
      this.pending.delete(id);
    }
  }
}

const sameAddress = (a: string, b: string) => a.toLowerCase().replace(/^localhost:/, '127.0.0.1:') === b.toLowerCase().replace(/^localhost:/, '127.0.0.1:');

export class RemoteSandboxControl implements ClusterControl {
  readonly kind = 'sandbox' as const;
  readonly faults: FaultControl;
  private status: ClusterStatusView | null = null;
  private faultList: { id: number; description: string }[] = [];
  private readonly poller: NodeJS.Timeout;

  private constructor(
    private readonly conn: ControlConnection,
    readonly hello: Hello,
  ) {
    const fault = (op: string, args: Record<string, unknown>) => this.call(op, args);
    this.faults = {
      injectError: (api, error, opts = {}) => fault('injectError', { api, error, ...opts }),
      dropResponse: (api, opts = {}) => fault('dropResponse', { api, ...opts }),
      delayResponse: (api, ms, opts = {}) => fault('delayResponse', { api, ms, ...opts }),
      disconnect: (api, opts = {}) => fault('disconnect', { api, ...opts }),
      listFaults: () => this.faultList,
      clearFaults: () => fault('clearFaults', {}),
    };
    this.poller = setInterval(() => void this.refresh().catch(() => {}), POLL_MS);
    this.poller.unref();
  }

  /**
   * The control of the sandbox serving one of `brokers`, or null when none is a sandbox of this machine's user (no
   * socket for those addresses, or a socket whose sandbox does not serve the address: a leftover).
   */
  static async attach(brokers: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<RemoteSandboxControl | null> {
    for (const address of brokers) {
      const path = controlSocketPath(address, env);
      if (!existsSync(path)) continue;
      let conn: ControlConnection;
      try {
        conn = await ControlConnection.open(path);
      } catch {
        continue; // a sandbox that died left its socket file behind
      }
      try {
        const hello = await conn.request<Hello>('hello');
        if (!hello.addresses.some((a) => sameAddress(a, address))) throw new Error('another cluster');
        const control = new RemoteSandboxControl(conn, hello);
        // High-watermark moves come with nearly every produce request and nothing here draws them (the events list
        // leaves them out, no lab reads them): sent, they cost both processes a JSON line and a wakeup each.
        await conn.request('events', { skip: ['high-watermark'] });
        await control.refresh();
        return control;
      } catch {
        conn.close();
      }
    }
    return null;
  }

  describe(): string {
    return `sandbox ${addressesText(this.hello.addresses)} (process ${this.hello.pid})`;
  }

  async brokers(): Promise<ControlledBroker[]> {
    await this.refresh();
    return (this.status?.brokers ?? []).map((b) => ({ id: b.id, state: b.status, backing: `sandbox process ${this.hello.pid}` }));
  }

  /** Broker states as last seen, for the engine's broker view; unknown once the sandbox process is gone. */
  brokerStates(): ReadonlyMap<number, BrokerState> {
    const gone = this.conn.closedReason !== null;
    return new Map((this.status?.brokers ?? []).map((b) => [b.id, gone ? 'unknown' : b.status]));
  }

  async act(action: BrokerAction, broker: number, opts: { confirmed?: boolean } = {}): Promise<ControlResult> {
    if (!opts.confirmed && (action === 'stop' || action === 'crash' || action === 'pause')) {
      const warning = belowMinIsrWarning(await this.conn.request<ClusterStatusView>('status'), broker);
      if (warning) return { ok: false, message: warning, needsConfirmation: warning };
    }
    return this.call(action, { broker });
  }

  /** Cluster events as the sandbox process reports them; returns the unsubscribe function. */
  on(fn: (e: ClusterEvent) => void): () => void {
    return this.conn.onEvent(fn);
  }

  async close(): Promise<void> {
    clearInterval(this.poller);
    this.conn.close();
  }

  private async call(op: string, args: Record<string, unknown>): Promise<ControlResult> {
    try {
      const r = await this.conn.request<SandboxResult>(op, args);
      await this.refresh().catch(() => {});
      return { ok: r.ok, message: r.message };
    } catch (e) {
      return { ok: false, message: `the sandbox at ${this.hello.addresses[0]} did not take it: ${(e as Error).message}` };
    }
  }

  private async refresh(): Promise<void> {
    const [status, faults] = await Promise.all([
      this.conn.request<ClusterStatusView>('status'),
      this.conn.request<{ id: number; description: string }[]>('listFaults'),
    ]);
    this.status = status;
    this.faultList = faults.map((f) => ({ id: f.id, description: f.description }));
  }
}
