// NetworkClient (Java's name): one connection per broker, opened on demand, with reconnect.backoff.ms growing to
// reconnect.backoff.max.ms after failures, and the least loaded node (fewest requests in flight, never one that
// just failed) for requests any broker can answer, such as Metadata.
import { KafkaError } from '../errors.js';
import { BrokerConnection } from './broker-connection.js';
import type { ConnectionOptions } from './connection-options.js';
import type { SaslOptions } from './sasl.js';
import type { WireMonitor } from './wire-monitor.js';

const RECONNECT_BACKOFF_MS = 50;
const RECONNECT_BACKOFF_MAX_MS = 1000;

interface NodeState {
  conn: BrokerConnection | null;
  opening: Promise<BrokerConnection> | null;
  failures: number;
  blockedUntil: number;
  lastError: string | null;
}

/** host:port (an IPv6 host may be in brackets) as its parts. */
export function parseAddress(s: string): { host: string; port: number } {
  const at = s.lastIndexOf(':');
  return { host: s.slice(0, at).replace(/^\[|\]$/g, ''), port: Number(s.slice(at + 1)) };
}

export class NetworkClient {
  private readonly nodes = new Map<string, NodeState>();
  private readonly addressById = new Map<number, string>();
  private closed = false;
  /** Called when a connection becomes ready or fails: the Sender may have work for it. */
  onStateChange: () => void = () => {};
  /** Called when a connection fails or closes: Java asks for a metadata update then (the leader may have moved). */
  onDisconnect: () => void = () => {};

  constructor(
    private readonly opts: ConnectionOptions,
    readonly wire: WireMonitor,
    private readonly requestTimeoutMs: () => number,
  ) {}

  /** Broker ids and addresses from the latest metadata. */
  setBrokers(brokers: readonly { id: number; host: string; port: number }[]): void {
    for (const b of brokers) this.addressById.set(b.id, `${b.host}:${b.port}`);
  }

  addressOf(nodeId: number): string | undefined {
    return this.addressById.get(nodeId);
  }

  private state(address: string): NodeState {
    let s = this.nodes.get(address);
    if (!s) this.nodes.set(address, (s = { conn: null, opening: null, failures: 0, blockedUntil: 0, lastError: null }));
    return s;
  }

  /** The open connection to a broker, or null (then one is being opened unless it is backing off). */
  ready(nodeId: number): BrokerConnection | null {
    const address = this.addressById.get(nodeId);
    if (!address) return null;
    const s = this.state(address);
    if (s.conn && !s.conn.closed) return s.conn;
    void this.open(address).catch(() => {});
    return null;
  }

  /** Whether a broker is in reconnect backoff after a failure (Java's `isBlackedOut`). */
  blackedOut(nodeId: number): boolean {
    const address = this.addressById.get(nodeId);
    return address !== undefined && this.state(address).blockedUntil > Date.now();
  }

  inFlight(nodeId: number): number {
    const address = this.addressById.get(nodeId);
    const conn = address ? this.nodes.get(address)?.conn : null;
    return conn && !conn.closed ? conn.inFlight : 0;
  }

  /** A connection to this address, opened if needed (waits out a reconnect backoff). */
  async open(address: string): Promise<BrokerConnection> {
    if (this.closed) throw new KafkaError('NETWORK_EXCEPTION', 'the producer is closed', false);
    const s = this.state(address);
    if (s.conn && !s.conn.closed) return s.conn;
    if (s.opening) return s.opening;
    const wait = s.blockedUntil - Date.now();
    const { host, port } = parseAddress(address);
    s.opening = (async () => {
      if (wait > 0) await new Promise((r) => setTimeout(r, wait).unref());
      const conn = await BrokerConnection.open(
        {
          host,
          port,
          clientId: this.opts.clientId ?? 'kafka-producer-tui',
          ssl: this.opts.ssl,
          sasl: this.opts.sasl as SaslOptions | undefined,
          setupTimeoutMs: Math.min(this.opts.connectionTimeoutMs ?? 10_000, this.requestTimeoutMs()),
        },
        this.wire,
      );
      if (this.closed) {
        conn.close();
        throw new KafkaError('NETWORK_EXCEPTION', 'the producer is closed', false);
      }
      conn.onClose((e) => this.failed(address, e));
      return conn;
    })();
    try {
      s.conn = await s.opening;
      s.failures = 0;
      s.lastError = null;
      return s.conn;
    } catch (e) {
      this.failed(address, e as Error);
      throw e;
    } finally {
      s.opening = null;
      this.onStateChange();
    }
  }

  /** A failed connection or attempt: back off before the next (Java: reconnect.backoff.ms, doubling, with jitter). */
  private failed(address: string, e: Error): void {
    const s = this.state(address);
    s.failures++;
    s.lastError = e.message;
    const backoff = Math.min(RECONNECT_BACKOFF_MS * 2 ** (s.failures - 1), RECONNECT_BACKOFF_MAX_MS);
    s.blockedUntil = Date.now() + backoff * (0.8 + Math.random() * 0.4);
    if (s.conn?.closed) s.conn = null;
    if (!this.closed) this.onDisconnect();
    this.onStateChange();
  }

  /**
   * Addresses to ask something any broker can answer, best first (Java `leastLoadedNode`): open connections with
   * the fewest requests in flight, then brokers not backing off, then the rest; bootstrap addresses included.
   */
  candidates(): string[] {
    const all = new Set([...this.addressById.values(), ...this.opts.brokers]);
    const now = Date.now();
    const score = (a: string): number => {
      const s = this.nodes.get(a);
      // A connection whose oldest request has waited over a second may be a paused broker: ask it last.
      if (s?.conn && !s.conn.closed) return s.conn.oldestWaitMs() > 1000 ? 100_000 + s.conn.inFlight : s.conn.inFlight;
      if (!s || s.blockedUntil <= now) return s?.failures ? 5_000 + s.failures : 1_000;
      return 1_000_000 + s.failures;
    };
    return [...all].sort((a, b) => score(a) - score(b));
  }

  /**
   * Sends to the least loaded node, trying the next one when a node fails or times out. `hedgeMs`: after that long
   * without an answer the next node is asked too (the first request keeps its own timeout and its connection), so a
   * broker that stopped answering delays a Metadata refresh by hedgeMs, not by request.timeout.ms.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async requestAny(apiKey: number, body: object, attempts = 3, hedgeMs = Infinity): Promise<any> {
    let last: Error | null = null;
    for (const address of this.candidates().slice(0, attempts)) {
      try {
        const answer = this.open(address).then((conn) => conn.request(apiKey, body, this.requestTimeoutMs()));
        if (hedgeMs === Infinity) return await answer;
        answer.catch(() => {});
        let timer: NodeJS.Timeout | undefined;
        const hedge = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new KafkaError('REQUEST_TIMED_OUT', `no answer from ${address} within ${hedgeMs} ms; asking another broker`, true)), hedgeMs);
        });
        try {
          return await Promise.race([answer, hedge]);
        } finally {
          clearTimeout(timer);
        }
      } catch (e) {
        last = e as Error;
        if (!(e instanceof KafkaError) || !e.retriable) throw e;
      }
    }
    throw last ?? new KafkaError('NETWORK_EXCEPTION', 'no broker to ask', true);
  }

  /** Sends to one broker by id. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async requestNode(nodeId: number, apiKey: number, body: object): Promise<any> {
    const address = this.addressById.get(nodeId);
    if (!address) throw new KafkaError('NETWORK_EXCEPTION', `broker ${nodeId} is not in the metadata`, true);
    const conn = await this.open(address);
    return conn.request(apiKey, body, this.requestTimeoutMs());
  }

  /** Closes the broker's connection (requests on it fail, retriable): Java's `disconnect(node)`. */
  disconnect(nodeId: number, reason: Error): void {
    const address = this.addressById.get(nodeId);
    const conn = address ? this.nodes.get(address)?.conn : null;
    conn?.close(reason);
  }

  /** Per known broker: whether connected, requests in flight, the latest connection error. */
  brokerStates(): { id: number; address: string; connected: boolean; inFlight: number; lastError: string | null }[] {
    return [...this.addressById].map(([id, address]) => {
      const s = this.nodes.get(address);
      const connected = !!s?.conn && !s.conn.closed;
      return { id, address, connected, inFlight: connected ? s!.conn!.inFlight : 0, lastError: s?.lastError ?? null };
    });
  }

  close(): void {
    this.closed = true;
    for (const s of this.nodes.values()) s.conn?.close(new KafkaError('PRODUCER_CLOSED', 'the producer was closed before the broker answered', false));
  }
}
