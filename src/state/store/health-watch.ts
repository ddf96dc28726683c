// Collects the facts the header's state is derived from, as engine and wire events arrive: requests still awaiting
// an answer (per broker), retries of the last few seconds, the last acknowledgement. healthFacts() then reads them
// with the engine's totals and the partitions' leaders and ISRs at one moment.
import type { EngineEvent, EngineTotals, Reachability } from '../../kafka/producer/engine-types.js';
import type { WireEvent, WireRequest } from '../../kafka/producer/sender/wire-monitor.js';
import { ACKS_PAUSED_MS, NO_ACKS_STALL_MS, STALL_AFTER_MS, type HealthFacts } from './health.js';
import type { ConnectionPhase } from './snapshot.js';

const PRODUCE = 0;
/** Retries older than this no longer make the producer "retrying". */
const RETRY_WINDOW_MS = 3000;

interface RetrySeen {
  at: number;
  records: number;
  error: string;
  partitions: readonly string[] | null;
}

/** A Kafka error name when the text carries one (NOT_ENOUGH_REPLICAS), else the text cut short. */
export function errorName(text: string): string {
  const m = text.match(/\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/);
  if (m) return m[0];
  const t = text.trim();
  return t.length > 40 ? `${t.slice(0, 39)}…` : t;
}

export interface PartitionFacts {
  leader: number;
  isr: readonly number[];
  replicas: readonly number[];
}

export class HealthWatch {
  private pending = new Map<WireRequest, number>();
  private retries: RetrySeen[] = [];
  private lastAckAt: number;

  constructor(private readonly now: () => number) {
    this.lastAckAt = now();
  }

  reset(): void {
    this.pending.clear();
    this.retries = [];
    this.lastAckAt = this.now();
  }

  onWire(e: WireEvent): void {
    if (e.t === 'req.start') {
      this.pending.set(e.req, this.now());
    } else if (e.t === 'req.end' || e.t === 'req.lost') this.pending.delete(e.req);
    else if (e.t === 'conn.close') for (const r of [...this.pending.keys()]) if (r.broker === e.broker) this.pending.delete(r);
  }

  onEngine(e: EngineEvent): void {
    if (e.t === 'delivered' && !e.batch.error) this.lastAckAt = this.now();
    else if (e.t === 'retry') {
      this.retries.push({ at: this.now(), records: e.records, error: errorName(e.error), partitions: e.partitions ?? null });
      if (this.retries.length > 1000) this.retries = this.retries.slice(-500);
    }
  }

  facts(input: {
    connection: ConnectionPhase;
    connectionDetail: string;
    producer: HealthFacts['producer'];
    totals: EngineTotals | null;
    requestTimeoutMs: number;
    /** linger.ms: records may wait that long on purpose before anything is sent. */
    lingerMs?: number;
    /** Broker id by "host:port", to name a broker by its id. */
    brokerId: (address: string) => number | undefined;
    /** A broker's state where the cluster tells it (paused, crashed...); null or absent where it cannot. */
    brokerState?: (id: number) => string | null;
    /** The cluster's brokers where it tells their states (the built-in cluster does). */
    brokerStates?: readonly { id: number; state: string | null }[];
    partitions: readonly PartitionFacts[];
    minInsyncReplicas: number | null;
    /** The brokers the producer knows, and those it cannot connect to. */
    reachability?: Reachability;
  }): HealthFacts {
    const now = this.now();
    // Per broker: its oldest request still waiting for an answer, and how many wait.
    const perBroker = new Map<string, { since: number; requests: number; produce: boolean }>();
    for (const [req, since] of this.pending) {
      const b = perBroker.get(req.broker);
      const produce = req.apiKey === PRODUCE && now - since >= STALL_AFTER_MS;
      perBroker.set(req.broker, { since: Math.min(since, b?.since ?? since), requests: (b?.requests ?? 0) + 1, produce: (b?.produce ?? false) || produce });
    }
    const stalled = [...perBroker].filter(([, b]) => now - b.since >= STALL_AFTER_MS);
    // A leader that waits for a paused follower (acks=all) does not answer either: name the broker the cluster says
    // is down when there is one, else the one waited on longest.
    const down = (address: string) => {
      const id = input.brokerId(address);
      const state = id === undefined ? null : (input.brokerState?.(id) ?? null);
      return state !== null && state !== 'up';
    };
    const pick = stalled.find(([address]) => down(address)) ?? stalled.sort(([, a], [, b]) => a.since - b.since)[0];
    const queuedNow = input.totals?.queuedRecords ?? 0;
    const acksFlowing = queuedNow === 0 || now - this.lastAckAt < STALL_AFTER_MS;
    const notAnswering = pick
      ? { broker: String(input.brokerId(pick[0]) ?? pick[0]), waitedMs: now - pick[1].since, requestTimeoutMs: input.requestTimeoutMs, requests: pick[1].requests, produce: pick[1].produce, acksFlowing }
      : null;
    this.retries = this.retries.filter((r) => now - r.at <= RETRY_WINDOW_MS);
    let retrying: HealthFacts['retrying'] = null;
    if (this.retries.length > 0) {
      const errors = [...new Set(this.retries.map((r) => r.error))].slice(0, 2);
      const known = this.retries.every((r) => r.partitions !== null);
      const partitions = known ? new Set(this.retries.flatMap((r) => r.partitions ?? [])).size : null;
      const records = this.retries.reduce((n, r) => n + r.records, 0);
      retrying = { errors, partitions, recordsPerSec: records / (RETRY_WINDOW_MS / 1000) };
    }
    const queued = input.totals?.queuedRecords ?? 0;
    // Nothing waiting is nothing stalled: the quiet time counts from when records wait again.
    if (queued === 0) this.lastAckAt = now;
    const quiet = now - this.lastAckAt;
    const min = input.minInsyncReplicas;
    return {
      connection: input.connection,
      connectionDetail: input.connectionDetail,
      producer: input.producer,
      notAnswering,
      acksPaused: queued > 0 && quiet >= ACKS_PAUSED_MS + (input.lingerMs ?? 0),
      noAcksForMs: queued > 0 && quiet >= NO_ACKS_STALL_MS + (input.lingerMs ?? 0) ? quiet : null,
      queuedRecords: queued,
      retrying,
      leaderless: input.partitions.filter((p) => p.leader < 0).length,
      belowMinIsr: min === null ? 0 : input.partitions.filter((p) => p.leader >= 0 && p.isr.length < min).length,
      minInsyncReplicas: min,
      underReplicated: input.partitions.filter((p) => p.leader >= 0 && p.isr.length < p.replicas.length).length,
      brokersDown: (input.brokerStates ?? []).filter((b) => b.state !== null && b.state !== 'up' && b.state !== 'unknown').map((b) => `${b.id} ${b.state}`),
      waitingAppends: input.totals?.waitingAppends ?? 0,
      unreachable: (input.reachability?.unreachable ?? []).map((u) => ({ broker: String(u.id), why: connectionWhy(u.error) })),
      knownBrokers: input.reachability?.known,
    };
  }
}

/** Node's socket error codes as a person says them. */
const SOCKET_ERRORS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'host name lookup failed',
  EPIPE: 'connection broken',
};

/** Why a connection failed, in a few words: "connection refused", not the socket's whole message. */
export function connectionWhy(message: string): string {
  const code = /\b(E[A-Z_]{3,})\b/.exec(message)?.[1];
  if (code !== undefined && SOCKET_ERRORS[code]) return SOCKET_ERRORS[code];
  if (/closed by the broker/.test(message)) return 'closed by the broker';
  return message;
}
