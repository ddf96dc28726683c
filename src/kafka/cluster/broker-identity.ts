// Is what answers at --brokers a Kafka broker? One ApiVersions request to every address at once, with one deadline
// (5 s), before kafkajs is given the addresses: kafkajs would retry an HTTP server or a silent port for 30 s and
// then say only "Broker not connected". ApiVersions is the request every Kafka client sends first; a broker answers
// it before authentication (KIP-35, KIP-511), so the check works with SASL too.
import { compareWithKafkajs, fetchApiVersions, type ApiVersionRange, type CheckOptions, type ProbeOptions } from './api-version-check.js';

export const IDENTIFY_TIMEOUT_MS = 5000;

export type BrokerAnswer =
  | { address: string; kind: 'kafka'; ranges: ApiVersionRange[] }
  | { address: string; kind: 'not-kafka' | 'silent' | 'unreachable'; reason: string };

/** One address's answer, in words a user can act on. */
export async function identifyBroker(address: string, opts: ProbeOptions = {}): Promise<BrokerAnswer> {
  const timeoutMs = opts.timeoutMs ?? IDENTIFY_TIMEOUT_MS;
  try {
    return { address, kind: 'kafka', ranges: await fetchApiVersions(address, { ...opts, timeoutMs }) };
  } catch (e) {
    const message = (e as Error).message;
    const unreachable = /^cannot reach \S+ \((.*)\)$/.exec(message);
    // A PLAINTEXT listener answers a TLS ClientHello with garbage or by closing the connection.
    if (unreachable && opts.ssl && /^(ERR_SSL|EPROTO|ERR_TLS|ECONNRESET)/.test(unreachable[1])) {
      return { address, kind: 'not-kafka', reason: `${address} answered, but not as a TLS Kafka listener (${unreachable[1]}): is it a PLAINTEXT port?` };
    }
    if (unreachable) return { address, kind: 'unreachable', reason: `${address} is unreachable (${unreachable[1]})` };
    if (/did not answer ApiVersions within/.test(message)) {
      return { address, kind: 'silent', reason: `${address} accepted the connection but did not answer within ${Math.round(timeoutMs / 1000)} s` };
    }
    if (/closed the connection/.test(message)) return { address, kind: 'not-kafka', reason: `${address} answered, but not as a Kafka broker (it closed the connection)` };
    return { address, kind: 'not-kafka', reason: `${address} answered, but not as a Kafka broker` };
  }
}

export interface Identified {
  /** The first address that answered as Kafka. */
  broker: string;
  /** What kafkajs will not be able to do with this broker's protocol versions. */
  warnings: string[];
}

/**
 * Asks every address at once; resolves when one answers as Kafka, throws when none does, naming what each did.
 * Takes at most `timeoutMs` (default 5 s).
 */
export async function identifyKafka(brokers: readonly string[], opts: ProbeOptions & CheckOptions = {}): Promise<Identified> {
  const answers = brokers.map((b) => identifyBroker(b, opts));
  const kafka = await Promise.any(
    answers.map(async (p) => {
      const a = await p;
      if (a.kind !== 'kafka') throw new Error(a.reason);
      return a;
    }),
  ).catch(() => null);
  if (kafka && kafka.kind === 'kafka') return { broker: kafka.address, warnings: compareWithKafkajs(kafka.ranges, opts) };
  const reasons = (await Promise.all(answers)).map((a) => (a.kind === 'kafka' ? '' : a.reason)).filter(Boolean);
  throw new NotKafkaError(reasons.join('; ') || 'no broker address given');
}

/** No address answered as a Kafka broker; the message names what each one did. */
export class NotKafkaError extends Error {
  override name = 'NotKafkaError';
}
