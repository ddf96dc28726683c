// Startup check: does this cluster still accept the protocol versions kafkajs can send? kafkajs picks
// min(its newest version, the broker's max) and never looks at the broker's min, so when a Kafka release removes old
// versions (Kafka 4.0 did, KIP-896) kafkajs sends a removed one, the broker closes the connection and kafkajs
// retries confusingly. kafkajs's admin does not expose ApiVersions, so one raw connection sends ApiVersions v0
// (answered by every broker, before SASL too) and the answer is compared with the versions kafkajs implements.
import net from 'node:net';
import tls from 'node:tls';
import { ApiKey } from '../../wire/api-keys.js';
import { decodeResponse, encodeRequest } from '../../wire/protocol.js';

export const KAFKAJS_VERSION = '2.2.4';

export interface ApiVersionRange {
  apiKey: number;
  minVersion: number;
  maxVersion: number;
}

/** What the app does with kafkajs; each needs a set of APIs. */
export type ApiFeature = 'produce' | 'admin' | 'consume' | 'transactions' | 'sasl';

const PURPOSE: Record<ApiFeature, string> = {
  produce: 'sending records',
  admin: 'creating topics and reading offsets',
  consume: 'reading records back (consumer groups)',
  transactions: 'transactions (--transactional-id)',
  sasl: 'SASL authentication',
};

export interface KafkajsApi {
  apiKey: number;
  name: string;
  /** Oldest and newest versions kafkajs 2.2.4 implements (src/protocol/requests/<api>/index.js). */
  kafkajsMin: number;
  kafkajsMax: number;
  features: ApiFeature[];
}

export const KAFKAJS_APIS: readonly KafkajsApi[] = [
  { apiKey: 0, name: 'Produce', kafkajsMin: 0, kafkajsMax: 7, features: ['produce'] },
  { apiKey: 1, name: 'Fetch', kafkajsMin: 0, kafkajsMax: 11, features: ['consume'] },
  { apiKey: 2, name: 'ListOffsets', kafkajsMin: 0, kafkajsMax: 3, features: ['admin', 'consume'] },
  { apiKey: 3, name: 'Metadata', kafkajsMin: 0, kafkajsMax: 6, features: ['produce', 'admin', 'consume'] },
  { apiKey: 8, name: 'OffsetCommit', kafkajsMin: 0, kafkajsMax: 5, features: ['consume'] },
  { apiKey: 9, name: 'OffsetFetch', kafkajsMin: 1, kafkajsMax: 4, features: ['consume'] },
  { apiKey: 10, name: 'FindCoordinator', kafkajsMin: 0, kafkajsMax: 2, features: ['consume', 'transactions'] },
  { apiKey: 11, name: 'JoinGroup', kafkajsMin: 0, kafkajsMax: 5, features: ['consume'] },
  { apiKey: 12, name: 'Heartbeat', kafkajsMin: 0, kafkajsMax: 3, features: ['consume'] },
  { apiKey: 13, name: 'LeaveGroup', kafkajsMin: 0, kafkajsMax: 3, features: ['consume'] },
  { apiKey: 14, name: 'SyncGroup', kafkajsMin: 0, kafkajsMax: 3, features: ['consume'] },
  // kafkajs falls back to raw SASL bytes when SaslAuthenticate is absent, so only the handshake is required.
  { apiKey: 17, name: 'SaslHandshake', kafkajsMin: 0, kafkajsMax: 1, features: ['sasl'] },
  { apiKey: 18, name: 'ApiVersions', kafkajsMin: 0, kafkajsMax: 2, features: ['produce', 'admin', 'consume'] },
  { apiKey: 19, name: 'CreateTopics', kafkajsMin: 0, kafkajsMax: 3, features: ['admin'] },
  // The idempotent producer (the default) gets its producer id with it.
  { apiKey: 22, name: 'InitProducerId', kafkajsMin: 0, kafkajsMax: 1, features: ['produce', 'transactions'] },
  { apiKey: 24, name: 'AddPartitionsToTxn', kafkajsMin: 0, kafkajsMax: 1, features: ['transactions'] },
  { apiKey: 25, name: 'AddOffsetsToTxn', kafkajsMin: 0, kafkajsMax: 1, features: ['transactions'] },
  { apiKey: 26, name: 'EndTxn', kafkajsMin: 0, kafkajsMax: 1, features: ['transactions'] },
  { apiKey: 28, name: 'TxnOffsetCommit', kafkajsMin: 0, kafkajsMax: 1, features: ['transactions'] },
];

export interface CheckOptions {
  /** The producer is transactional (--transactional-id). */
  transactions?: boolean;
  /** SASL is configured. */
  sasl?: boolean;
}

const FIX =
  'For the compose cluster use an older image (`docker compose down -v`, then ' +
  '`KAFKA_IMAGE=apache/kafka:3.9.1 docker compose up -d`), or use a maintained client';

/** Plain-words warnings for every API the app needs that the cluster does not offer in a version kafkajs speaks. */
export function compareWithKafkajs(ranges: readonly ApiVersionRange[], opts: CheckOptions = {}): string[] {
  const features = new Set<ApiFeature>(['produce', 'admin', 'consume']);
  if (opts.transactions) features.add('transactions');
  if (opts.sasl) features.add('sasl');
  const byKey = new Map(ranges.map((r) => [r.apiKey, r]));
  const warnings: string[] = [];
  for (const api of KAFKAJS_APIS) {
    const used = api.features.filter((f) => features.has(f));
    if (used.length === 0) continue;
    const purposes = used.map((f) => PURPOSE[f]).join(' and ');
    const r = byKey.get(api.apiKey);
    if (!r) {
      warnings.push(`The cluster does not offer ${api.name} (API key ${api.apiKey}), which kafkajs needs for ${purposes}: that will fail.`);
      continue;
    }
    // kafkajs's choice: its newest version capped by the broker's max; it never looks at the broker's min.
    const sent = Math.min(api.kafkajsMax, r.maxVersion);
    if (sent < api.kafkajsMin) {
      warnings.push(
        `This Kafka version is too old for kafkajs ${KAFKAJS_VERSION}'s ${api.name} (the brokers speak up to ` +
          `v${r.maxVersion}, kafkajs needs v${api.kafkajsMin} or newer), so ${purposes} will fail. Upgrade the cluster.`,
      );
    } else if (sent < r.minVersion) {
      warnings.push(
        `This Kafka version no longer accepts the ${api.name} versions kafkajs ${KAFKAJS_VERSION} can send (the brokers ` +
          `accept v${r.minVersion}-v${r.maxVersion}, kafkajs speaks up to v${api.kafkajsMax}), so ${purposes} will fail. ${FIX}.`,
      );
    }
  }
  return warnings;
}

/** ApiVersions v0 request frame (the shared wire codec): the one version every broker answers, before SASL too. */
export function encodeApiVersionsV0(correlationId: number, clientId = 'kafka-producer-tui'): Buffer {
  return encodeRequest(ApiKey.ApiVersions, 0, correlationId, clientId, {});
}

/** The v0 response after its size prefix; throws when it is not one (too short, truncated). */
export function decodeApiVersionsV0(payload: Buffer): { correlationId: number; errorCode: number; ranges: ApiVersionRange[] } {
  if (payload.length < 10) throw new Error('ApiVersions answer too short');
  let decoded: ReturnType<typeof decodeResponse>;
  try {
    decoded = decodeResponse(ApiKey.ApiVersions, 0, payload);
  } catch (e) {
    throw new Error(`ApiVersions answer truncated (${(e as Error).message})`);
  }
  const body = decoded.body as { errorCode: number; apiKeys: ApiVersionRange[] };
  const ranges = body.apiKeys.map((k) => ({ apiKey: k.apiKey, minVersion: k.minVersion, maxVersion: k.maxVersion }));
  return { correlationId: decoded.correlationId, errorCode: body.errorCode, ranges };
}

export interface ProbeOptions {
  /** The kafkajs `ssl` options when the listener is TLS. */
  ssl?: tls.ConnectionOptions;
  timeoutMs?: number;
}

/** One raw connection to `address` (host:port): sends ApiVersions v0 and returns the broker's ranges. */
export function fetchApiVersions(address: string, opts: ProbeOptions = {}): Promise<ApiVersionRange[]> {
  const sep = address.lastIndexOf(':');
  const host = address.slice(0, sep);
  const port = Number(address.slice(sep + 1));
  const timeoutMs = opts.timeoutMs ?? 5000;
  const correlationId = 1;
  return new Promise((resolve, reject) => {
    const socket = opts.ssl
      ? tls.connect({ host, port, ...(net.isIP(host) ? {} : { servername: host }), ...opts.ssl })
      : net.connect({ host, port });
    let buffered = Buffer.alloc(0);
    const done = (err: Error | null, ranges?: ApiVersionRange[]) => {
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else resolve(ranges!);
    };
    const timer = setTimeout(() => done(new Error(`${address} did not answer ApiVersions within ${timeoutMs} ms`)), timeoutMs);
    socket.once(opts.ssl ? 'secureConnect' : 'connect', () => socket.write(encodeApiVersionsV0(correlationId)));
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (buffered.length < 4) return;
      const size = buffered.readInt32BE(0);
      if (size < 0 || size > 1024 * 1024) return done(new Error(`${address} answered something that is not Kafka (frame size ${size})`));
      if (buffered.length < 4 + size) return;
      try {
        const res = decodeApiVersionsV0(buffered.subarray(4, 4 + size));
        if (res.correlationId !== correlationId) return done(new Error(`${address} answered another request (correlation id ${res.correlationId})`));
        if (res.errorCode !== 0) return done(new Error(`${address} answered ApiVersions with error code ${res.errorCode}`));
        done(null, res.ranges);
      } catch (e) {
        done(e as Error);
      }
    });
    socket.on('error', (e: NodeJS.ErrnoException) => done(new Error(`cannot reach ${address} (${e.code ?? e.message})`)));
    socket.on('close', () => done(new Error(`${address} closed the connection before answering ApiVersions`)));
  });
}

export interface ApiVersionReport {
  /** The broker that answered. */
  broker: string;
  ranges: ApiVersionRange[];
  warnings: string[];
}

/**
 * Asks the first broker of `brokers` that answers (a stopped one is skipped) and compares. Throws when none
 * answers, listing why for each.
 */
export async function checkApiVersions(brokers: readonly string[], opts: ProbeOptions & CheckOptions = {}): Promise<ApiVersionReport> {
  const failures: string[] = [];
  for (const broker of brokers) {
    try {
      const ranges = await fetchApiVersions(broker, opts);
      return { broker, ranges, warnings: compareWithKafkajs(ranges, opts) };
    } catch (e) {
      failures.push((e as Error).message);
    }
  }
  throw new Error(`no broker answered the protocol version check: ${failures.join('; ') || 'no broker address given'}`);
}
