// The header's state, one test per state, and the order of severity between them.
import { describe, expect, it } from 'vitest';
import { healthOf, type HealthFacts } from '../../../src/state/store/health.js';
import { connectionWhy, HealthWatch } from '../../../src/state/store/health-watch.js';
import type { WireRequest } from '../../../src/kafka/producer/sender/wire-monitor.js';

const calm: HealthFacts = {
  connection: 'ready',
  connectionDetail: '',
  producer: { phase: 'ready', detail: null },
  notAnswering: null,
  noAcksForMs: null,
  queuedRecords: 0,
  retrying: null,
  leaderless: 0,
  belowMinIsr: 0,
  minInsyncReplicas: 2,
  underReplicated: 0,
  brokersDown: [],
  waitingAppends: 0,
};

describe('healthOf: one state word from the facts', () => {
  it('says ready only when nothing is wrong', () => {
    expect(healthOf(calm)).toEqual({ level: 'ok', word: 'ready', text: 'ready' });
  });

  it('names a broker that does not answer, with the time left before the request times out', () => {
    const h = healthOf({ ...calm, notAnswering: { broker: '3', waitedMs: 18_000, requestTimeoutMs: 30_000, requests: 5, produce: true, acksFlowing: false } });
    expect(h.text).toBe('stalled: broker 3 not answering (request timeout in 12 s)');
    expect(h.level).toBe('error');
  });

  it('names the broker that is down when another one keeps the request (a leader waiting on a paused follower)', () => {
    const stalled = { broker: '3', waitedMs: 5_000, requestTimeoutMs: 30_000, requests: 2, produce: true, acksFlowing: false };
    expect(healthOf({ ...calm, notAnswering: stalled, brokersDown: ['2 paused'] }).text).toBe('stalled: broker 2 paused; broker 3 holds 2 Produce requests for the in-sync replicas (request timeout in 25 s)');
    expect(healthOf({ ...calm, notAnswering: stalled, brokersDown: ['3 paused'] }).text).toBe('stalled: broker 3 not answering (request timeout in 25 s)');
  });

  it('says when the request has already timed out', () => {
    expect(healthOf({ ...calm, notAnswering: { broker: '3', waitedMs: 33_000, requestTimeoutMs: 30_000, requests: 1, produce: true, acksFlowing: false } }).text).toBe(
      'stalled: broker 3 not answering (request timed out 3 s ago)',
    );
  });

  it('calls a broker that does not answer a metadata request, while records flow elsewhere, degraded, not stalled', () => {
    const h = healthOf({ ...calm, notAnswering: { broker: '3', waitedMs: 2_000, requestTimeoutMs: 30_000, requests: 1, produce: false, acksFlowing: true } });
    expect(h).toEqual({ level: 'warn', word: 'degraded', text: 'degraded: broker 3 not answering (request timeout in 28 s); records flow through the others' });
    // Records stuck on it are a stall, whatever the others do.
    expect(healthOf({ ...calm, notAnswering: { broker: '3', waitedMs: 2_000, requestTimeoutMs: 30_000, requests: 1, produce: true, acksFlowing: true } }).word).toBe('stalled');
  });

  it('calls records waiting with no acknowledgement a stall', () => {
    expect(healthOf({ ...calm, noAcksForMs: 7_200, queuedRecords: 87 }).text).toBe('stalled: nothing acknowledged for 8 s, 87 records waiting');
    expect(healthOf({ ...calm, noAcksForMs: 11_000, queuedRecords: 4263, belowMinIsr: 6 }).text).toBe(
      'stalled: nothing acknowledged for 11 s, 4,263 records waiting (6 partitions below min.insync.replicas)',
    );
  });

  it('names the error being retried and on how many partitions', () => {
    expect(healthOf({ ...calm, retrying: { errors: ['NOT_ENOUGH_REPLICAS'], partitions: 3, recordsPerSec: 56 } }).text).toBe(
      'retrying: NOT_ENOUGH_REPLICAS on 3 partitions',
    );
    expect(healthOf({ ...calm, retrying: { errors: ['NOT_ENOUGH_REPLICAS'], partitions: null, recordsPerSec: 56 } }).text).toBe(
      'retrying: NOT_ENOUGH_REPLICAS (56 records/s)',
    );
  });

  it('counts leaderless partitions', () => {
    expect(healthOf({ ...calm, leaderless: 2 }).text).toBe('leaderless partitions: 2');
  });

  it('counts partitions below min.insync.replicas', () => {
    expect(healthOf({ ...calm, belowMinIsr: 1 }).text).toBe('below min.insync.replicas: 1 partition');
  });

  it('says when send() blocks on a full buffer', () => {
    expect(healthOf({ ...calm, waitingAppends: 4 }).text).toBe('buffer full: send() blocking');
  });

  it('does not call a cluster with a broker down ready while records are still acknowledged', () => {
    const h = healthOf({ ...calm, underReplicated: 6, brokersDown: ['3 paused'] });
    expect(h).toEqual({ level: 'warn', word: 'degraded', text: 'degraded: 6 partitions under-replicated, broker 3 paused; records still acknowledged' });
    expect(healthOf({ ...calm, underReplicated: 1 }).text).toBe('degraded: 1 partition under-replicated; records still acknowledged');
  });

  it('does not say "records still acknowledged" in the second after a pause while records wait (before the stall shows)', () => {
    const h = healthOf({ ...calm, brokersDown: ['1 paused'], acksPaused: true, queuedRecords: 40 });
    expect(h.text).toBe('degraded: broker 1 paused; records waiting for acknowledgements');
  });

  it('names the brokers the producer cannot connect to as soon as records wait on them, not after the 5 s stall', () => {
    const refused = [{ broker: '2', why: 'connection refused' }];
    expect(healthOf({ ...calm, unreachable: refused, knownBrokers: 3, acksPaused: true, queuedRecords: 150 }).text).toBe('stalled: broker 2 unreachable (connection refused), 150 records waiting');
    const all = ['1', '2', '3'].map((broker) => ({ broker, why: 'connection refused' }));
    expect(healthOf({ ...calm, unreachable: all, knownBrokers: 3, noAcksForMs: 6000, queuedRecords: 1173 }).text).toBe('stalled: no broker reachable (connection refused), 1,173 records waiting');
    // Records still acknowledged, or nothing waiting: a broker the producer does not need right now says nothing.
    expect(healthOf({ ...calm, unreachable: refused, knownBrokers: 3, queuedRecords: 150 }).text).toBe('ready');
    expect(healthOf({ ...calm, unreachable: refused, knownBrokers: 3, acksPaused: true }).text).toBe('ready');
    // The cluster says why (a crashed broker refuses connections): its words, not the socket's.
    expect(healthOf({ ...calm, unreachable: [{ broker: '3', why: 'connection refused' }], knownBrokers: 3, brokersDown: ['3 crashed'], acksPaused: true, queuedRecords: 40 }).text).toBe(
      'degraded: broker 3 crashed; records waiting for acknowledgements',
    );
  });

  it('says the connection state before anything about the producer', () => {
    expect(healthOf({ ...calm, connection: 'connecting' }).word).toBe('connecting');
    expect(healthOf({ ...calm, connection: 'failed', leaderless: 3 }).word).toBe('disconnected');
    expect(healthOf({ ...calm, connection: 'closing', connectionDetail: 'flushing 87 unacknowledged records' }).text).toBe('quitting: flushing 87 unacknowledged records');
    expect(healthOf({ ...calm, producer: { phase: 'fatal', detail: 'PRODUCER_FENCED' } }).text).toBe('producer failed: PRODUCER_FENCED');
  });

  it('orders the states by severity: stalled, retrying, leaderless, below min ISR, buffer full', () => {
    const all: HealthFacts = {
      ...calm,
      notAnswering: { broker: '3', waitedMs: 5000, requestTimeoutMs: 30_000, requests: 1, produce: true, acksFlowing: false },
      retrying: { errors: ['NOT_LEADER_OR_FOLLOWER'], partitions: 2, recordsPerSec: 10 },
      leaderless: 1,
      belowMinIsr: 1,
      waitingAppends: 1,
      underReplicated: 1,
    };
    const words: string[] = [];
    let f: HealthFacts = all;
    for (const clear of ['notAnswering', 'retrying', 'leaderless', 'belowMinIsr', 'waitingAppends', 'underReplicated'] as const) {
      words.push(healthOf(f).word);
      f = { ...f, [clear]: clear === 'notAnswering' || clear === 'retrying' ? null : 0 };
    }
    words.push(healthOf(f).word);
    expect(words).toEqual(['stalled', 'retrying', 'leaderless partitions', 'below min.insync.replicas', 'buffer full', 'degraded', 'ready']);
  });
});

describe('HealthWatch: the facts from the engine and the wire', () => {
  const req = (broker: string, correlationId: number): WireRequest => ({ broker, apiKey: 0, apiVersion: 7, correlationId, bytes: 100, sentAt: 0 });
  const input = (over: Partial<Parameters<HealthWatch['facts']>[0]> = {}) => ({
    connection: 'ready' as const,
    connectionDetail: '',
    producer: { phase: 'ready' as const, detail: null },
    totals: null,
    requestTimeoutMs: 30_000,
    brokerId: (a: string) => Number(a.split(':')[1]) - 9091,
    partitions: [],
    minInsyncReplicas: 2,
    ...over,
  });

  it('finds the broker whose request waits longest once it waits past the threshold', () => {
    let now = 0;
    const w = new HealthWatch(() => now);
    const slow = req('h:9094', 1);
    w.onWire({ t: 'req.start', req: slow, inFlight: 1 });
    now = 1000;
    const fast = req('h:9092', 1);
    w.onWire({ t: 'req.start', req: fast, inFlight: 1 });
    w.onWire({ t: 'req.end', req: fast, responseBytes: 10, rttMs: 2, inFlight: 0 });
    expect(healthOf(w.facts(input())).text).toBe('ready');
    now = 12_000;
    expect(healthOf(w.facts(input())).text).toBe('stalled: broker 3 not answering (request timeout in 18 s)');
    w.onWire({ t: 'req.lost', req: slow, inFlight: 0 });
    expect(healthOf(w.facts(input())).text).toBe('ready');
  });

  it('names the broker the cluster says is down, not the leader that waits for it (acks=all)', () => {
    let now = 0;
    const w = new HealthWatch(() => now);
    w.onWire({ t: 'req.start', req: req('h:9092', 1), inFlight: 1 });
    now = 100;
    w.onWire({ t: 'req.start', req: req('h:9094', 1), inFlight: 1 });
    now = 5000;
    expect(healthOf(w.facts(input())).text).toBe('stalled: broker 1 not answering (request timeout in 25 s)');
    const paused = input({ brokerState: (id: number) => (id === 3 ? 'paused' : 'up') });
    expect(healthOf(w.facts(paused)).text).toBe('stalled: broker 3 not answering (request timeout in 26 s)');
  });

  it('reports retries for a few seconds after they happen, with the Kafka error name', () => {
    let now = 0;
    const w = new HealthWatch(() => now);
    w.onEngine({ t: 'retry', records: 30, error: 'Produce to playground-2 failed: NOT_ENOUGH_REPLICAS', at: 0, partitions: ['playground-2', 'playground-4'] });
    expect(healthOf(w.facts(input())).text).toBe('retrying: NOT_ENOUGH_REPLICAS on 2 partitions');
    now = 10_000;
    expect(healthOf(w.facts(input())).text).toBe('ready');
  });

  it('calls waiting records a stall only past linger.ms, which holds them on purpose', () => {
    let now = 0;
    const w = new HealthWatch(() => now);
    const totals = { appended: 3, acked: 0, failed: 0, retries: 0, requests: 0, bytesOut: 0, queuedRecords: 3, waitingAppends: 0, bufferAvailableBytes: 1, bufferTotalBytes: 1, compressionRate: 1, bytesBeforeCompression: 0, bytesAfterCompression: 0, compressionByCodec: {}, compressionType: 'none' };
    now = 7000;
    expect(w.facts(input({ totals, lingerMs: 10_000 })).noAcksForMs).toBeNull();
    expect(healthOf(w.facts(input({ totals, lingerMs: 0 }))).text).toBe('stalled: nothing acknowledged for 7 s, 3 records waiting');
  });

  it("says a connection error in a few words", () => {
    expect(connectionWhy('could not connect to 127.0.0.1:44389: connect ECONNREFUSED 127.0.0.1:44389')).toBe('connection refused');
    expect(connectionWhy('connection to b1:9092 failed: getaddrinfo ENOTFOUND b1')).toBe('host name not found');
    expect(connectionWhy('connection to 127.0.0.1:9094 closed by the broker')).toBe('closed by the broker');
    expect(connectionWhy('SASL authentication failed')).toBe('SASL authentication failed');
  });

  it('counts leaderless, below-min-ISR and under-replicated partitions, and the brokers the cluster says are down', () => {
    const w = new HealthWatch(() => 0);
    const partitions = [
      { leader: -1, isr: [], replicas: [1, 2, 3] },
      { leader: 1, isr: [1], replicas: [1, 2, 3] },
      { leader: 2, isr: [2, 3], replicas: [1, 2, 3] },
      { leader: 3, isr: [3, 1, 2], replicas: [1, 2, 3] },
    ];
    const f = w.facts(input({ partitions, brokerStates: [{ id: 1, state: 'paused' }, { id: 2, state: 'up' }, { id: 3, state: null }] }));
    expect([f.leaderless, f.belowMinIsr, f.underReplicated]).toEqual([1, 1, 2]);
    expect(f.brokersDown).toEqual(['1 paused']);
    expect(w.facts(input({ partitions, minInsyncReplicas: null })).belowMinIsr).toBe(0);
  });
});
