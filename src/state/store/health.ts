// The header's one state word, derived from facts about the producer and the cluster by a pure function, in order
// of severity: the first fact that holds names the state. "ready" only when none of them holds, so the header
// never says ready while a broker does not answer, batches are retried, or send() blocks.
import type { ProducerPhase } from '../../kafka/producer/engine-types.js';
import { plural } from '../../kafka/producer/plural.js';

export interface HealthFacts {
  connection: 'connecting' | 'ready' | 'failed' | 'closing';
  connectionDetail: string;
  producer: { phase: ProducerPhase; detail: string | null } | null;
  /** The broker whose oldest request has waited longest for an answer, when that is past the stall threshold. */
  notAnswering: {
    broker: string;
    waitedMs: number;
    requestTimeoutMs: number;
    requests: number;
    /** Produce requests are among those waiting: records are stuck on this broker. */
    produce: boolean;
    /** Acknowledgements still arrive (from other brokers) or nothing waits. */
    acksFlowing: boolean;
  } | null;
  /** Records queued and none acknowledged for about a second: too soon to call it a stall, too late for "still acknowledged". */
  acksPaused?: boolean;
  /** Records queued while nothing was acknowledged for this long (ms); null while acknowledgements arrive. */
  noAcksForMs: number | null;
  queuedRecords: number;
  /** Retries in the last few seconds: the errors named, the partitions when known, records retried per second. */
  retrying: { errors: readonly string[]; partitions: number | null; recordsPerSec: number } | null;
  /** Partitions of the topic with no leader (by the cluster's own state where known). */
  leaderless: number;
  /** Partitions whose ISR is smaller than min.insync.replicas (0 when min.insync.replicas is unknown). */
  belowMinIsr: number;
  minInsyncReplicas: number | null;
  /** Partitions led but with fewer in-sync replicas than replicas (Kafka's UnderReplicatedPartitions). */
  underReplicated: number;
  /** Brokers the cluster reports not up, e.g. "3 paused" (empty where the cluster cannot tell). */
  brokersDown: readonly string[];
  /** Appends waiting for buffer.memory to free up (send() blocks, up to max.block.ms). */
  waitingAppends: number;
  /** Brokers the producer cannot connect to (refused, reset, unresolvable), with why; absent where unknown. */
  unreachable?: readonly { broker: string; why: string }[];
  /** The brokers the producer knows of. */
  knownBrokers?: number;
}

export type HealthLevel = 'ok' | 'info' | 'warn' | 'error';

export interface HealthView {
  level: HealthLevel;
  /** The state's first word: ready, stalled, retrying, ... */
  word: string;
  /** The whole line, e.g. "stalled: broker 3 not answering (request timeout in 12 s)". */
  text: string;
}

/** A request unanswered this long is named in the header (Produce answers in milliseconds on a healthy cluster). */
export const STALL_AFTER_MS = 2000;
/** Records waiting this long with no acknowledgement at all is a stall even when no request is on the wire. */
export const NO_ACKS_STALL_MS = 5000;
/** Records waiting this long with no acknowledgement: "degraded" stops saying records are still acknowledged. */
export const ACKS_PAUSED_MS = 1000;

const secs = (ms: number) => Math.max(0, Math.ceil(ms / 1000));
/** The last view made: handed out again while the state reads the same, so the status bar is not drawn again for it. */
let lastView: HealthView | null = null;
const view = (level: HealthLevel, text: string): HealthView =>
  lastView?.level === level && lastView.text === text ? lastView : (lastView = { level, word: text.split(':')[0], text });

export function healthOf(f: HealthFacts): HealthView {
  if (f.connection === 'failed') return view('error', 'disconnected: see the screen below');
  if (f.connection === 'connecting') return view('info', 'connecting');
  if (f.connection === 'closing') return view('warn', `quitting: ${f.connectionDetail || 'closing'}`);
  if (f.producer?.phase === 'fatal') return view('error', `producer failed: ${f.producer.detail ?? 'fatal error'}`);
  if (f.producer?.phase === 'closed') return view('warn', 'producer closed');
  if (f.notAnswering) {
    const n = f.notAnswering;
    const left = n.requestTimeoutMs - n.waitedMs;
    const when = left > 0 ? `request timeout in ${secs(left)} s` : `request timed out ${secs(-left)} s ago`;
    // A leader waiting on a paused follower (acks=all, still in the ISR) does not answer either: name the broker
    // that is really down beside the one that keeps the request.
    // The cause comes first, so an 80-column header still shows it.
    const others = f.brokersDown.filter((d) => d.split(' ')[0] !== n.broker);
    const cause = others.length > 0 ? `broker ${others.join(', broker ')}; ` : '';
    // Only a metadata or coordinator request waits there while records are acknowledged elsewhere: not a stall.
    if (!n.produce && n.acksFlowing) return view('warn', `degraded: ${cause}broker ${n.broker} not answering (${when}); records flow through the others`);
    // The leader is up and answers everything else: it holds the Produce requests until the in-sync replicas have
    // the records (acks=all), so "not answering" would blame the wrong broker.
    if (cause !== '' && n.produce) {
      return view('error', `stalled: ${cause}broker ${n.broker} holds ${plural(n.requests, 'Produce request')} for the in-sync replicas (${when})`);
    }
    return view('error', `stalled: ${cause}broker ${n.broker} not answering (${when})`);
  }
  // Records wait and a broker refuses connections: the reason, at once, rather than "ready" until the 5 s stall.
  // Not a broker the cluster already says is down: "broker 3 crashed" says more than "connection refused".
  const unreachable = (f.unreachable ?? []).filter((u) => !f.brokersDown.some((d) => d.split(' ')[0] === u.broker));
  if (unreachable.length > 0 && f.queuedRecords > 0 && (f.acksPaused || f.noAcksForMs !== null)) {
    const why = [...new Set(unreachable.map((u) => u.why))].join(', ');
    const who = unreachable.length === f.knownBrokers && unreachable.length > 1 ? 'no broker reachable' : `broker ${unreachable.map((u) => u.broker).join(', broker ')} unreachable`;
    return view('error', `stalled: ${who} (${why}), ${plural(f.queuedRecords, 'record')} waiting`);
  }
  if (f.noAcksForMs !== null && f.queuedRecords > 0) {
    // The likely cause, when the partitions show one.
    const cause = f.leaderless > 0 ? ` (${plural(f.leaderless, 'partition')} leaderless)` : f.belowMinIsr > 0 ? ` (${plural(f.belowMinIsr, 'partition')} below min.insync.replicas)` : '';
    return view('error', `stalled: nothing acknowledged for ${secs(f.noAcksForMs)} s, ${plural(f.queuedRecords, 'record')} waiting${cause}`);
  }
  if (f.retrying) {
    const r = f.retrying;
    const what = r.errors.length > 0 ? r.errors.join(', ') : 'failed requests';
    const where = r.partitions !== null ? ` on ${plural(r.partitions, 'partition')}` : ` (${plural(Math.round(r.recordsPerSec), 'record')}/s)`;
    return view('warn', `retrying: ${what}${where}`);
  }
  if (f.leaderless > 0) return view('warn', `leaderless partitions: ${f.leaderless}`);
  if (f.belowMinIsr > 0) return view('warn', `below min.insync.replicas: ${plural(f.belowMinIsr, 'partition')}`);
  if (f.waitingAppends > 0) return view('warn', 'buffer full: send() blocking');
  // Records are acknowledged, but the cluster is one failure closer to refusing them: say so rather than "ready".
  if (f.underReplicated > 0 || f.brokersDown.length > 0) {
    const down = f.brokersDown.length > 0 ? `broker ${f.brokersDown.join(', broker ')}` : null;
    const parts = [f.underReplicated > 0 ? `${plural(f.underReplicated, 'partition')} under-replicated` : null, down].filter(Boolean);
    return view('warn', `degraded: ${parts.join(', ')}; ${f.acksPaused ? 'records waiting for acknowledgements' : 'records still acknowledged'}`);
  }
  if (f.producer?.phase === 'swapping') return view('info', `swapping: ${f.producer.detail ?? 'a new producer takes over'}`);
  if (f.producer?.phase === 'connecting') return view('info', 'connecting');
  return view('ok', 'ready');
}
