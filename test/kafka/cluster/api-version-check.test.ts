// The startup protocol check: raw ApiVersions v0 against the built-in cluster (no warnings), the table checked
// against kafkajs's own request definitions, and plain-words warnings for a cluster that removed old versions.
import { createRequire } from 'node:module';
import net from 'node:net';
import { afterEach, describe, expect } from 'vitest';
import {
  KAFKAJS_APIS,
  checkApiVersions,
  compareWithKafkajs,
  decodeApiVersionsV0,
  encodeApiVersionsV0,
  fetchApiVersions,
  type ApiVersionRange,
} from '../../../src/kafka/cluster/api-version-check.js';
import { sandboxTest as it } from '../../helpers/fixtures.js';

const require = createRequire(import.meta.url);

const servers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of servers.splice(0)) await close();
});

/** Every API kafkajs uses, at the ranges a Kafka 3.x broker would offer. */
const everything = (): ApiVersionRange[] => KAFKAJS_APIS.map((a) => ({ apiKey: a.apiKey, minVersion: 0, maxVersion: a.kafkajsMax + 3 }));

describe('against the built-in cluster', () => {
  it('a raw ApiVersions v0 gets its ranges, and the check finds nothing missing', async ({ sandbox }) => {
    const report = await checkApiVersions(sandbox.addresses());
    expect(report.broker).toBe(sandbox.addresses()[0]);
    // Kafka 4.x's ranges (KIP-896 removed Produce below v3), which still cover what kafkajs sends (Produce v7).
    expect(report.ranges.find((r) => r.apiKey === 0)).toMatchObject({ minVersion: 3 });
    expect(report.ranges.find((r) => r.apiKey === 0)!.maxVersion).toBeGreaterThanOrEqual(7);
    expect(report.ranges.find((r) => r.apiKey === 18)).toMatchObject({ minVersion: 0 });
    expect(report.warnings).toEqual([]);
  });

  it('skips a broker that does not answer and asks the next one', async ({ sandbox }) => {
    const dead = await unusedAddress();
    const report = await checkApiVersions([dead, ...sandbox.addresses()]);
    expect(report.broker).toBe(sandbox.addresses()[0]);
  });
});

describe('the kafkajs table', () => {
  it('matches the newest version of each request kafkajs implements', () => {
    const { requests } = require('kafkajs/src/protocol/requests/index.js') as { requests: Record<string, { versions: string[] }> };
    const apiKeys = require('kafkajs/src/protocol/requests/apiKeys.js') as Record<string, number>;
    const kafkajsName = (name: string) => (name === 'FindCoordinator' ? 'GroupCoordinator' : name);
    for (const api of KAFKAJS_APIS) {
      const versions = requests[kafkajsName(api.name)].versions.map(Number);
      expect(apiKeys[kafkajsName(api.name)], api.name).toBe(api.apiKey);
      expect(Math.max(...versions), api.name).toBe(api.kafkajsMax);
      expect(Math.min(...versions), api.name).toBe(api.kafkajsMin);
    }
  });
});

describe('compareWithKafkajs', () => {
  it('a Kafka-3.x-like cluster: no warnings, transactions and SASL included', () => {
    expect(compareWithKafkajs(everything(), { transactions: true, sasl: true })).toEqual([]);
  });

  it('a hypothetical Kafka 5 that raised the Produce floor above kafkajs: a plain-words warning with the fix', () => {
    const ranges = everything().map((r) => (r.apiKey === 0 ? { apiKey: 0, minVersion: 8, maxVersion: 13 } : r));
    const [warning, ...rest] = compareWithKafkajs(ranges);
    expect(rest).toEqual([]);
    expect(warning).toBe(
      'This Kafka version no longer accepts the Produce versions kafkajs 2.2.4 can send (the brokers accept v8-v13, ' +
        'kafkajs speaks up to v7), so sending records will fail. For the compose cluster use an older image ' +
        '(`docker compose down -v`, then `KAFKA_IMAGE=apache/kafka:3.9.1 docker compose up -d`), or use a maintained client.',
    );
  });

  it('a floor raised on another API is named with what it is for', () => {
    const ranges = everything().map((r) => (r.apiKey === 1 ? { apiKey: 1, minVersion: 12, maxVersion: 17 } : r));
    expect(compareWithKafkajs(ranges)[0]).toMatch(/Fetch versions .* v12-v17, kafkajs speaks up to v11\), so reading records back/);
  });

  it('a cluster too old for the oldest version kafkajs implements', () => {
    const ranges = everything().map((r) => (r.apiKey === 9 ? { apiKey: 9, minVersion: 0, maxVersion: 0 } : r));
    expect(compareWithKafkajs(ranges)).toEqual([
      "This Kafka version is too old for kafkajs 2.2.4's OffsetFetch (the brokers speak up to v0, kafkajs needs v1 or newer), " +
        'so reading records back (consumer groups) will fail. Upgrade the cluster.',
    ]);
  });

  it('missing APIs are named with what they are for; transactions and SASL only when used', () => {
    const noTxn = everything().filter((r) => ![24, 25, 26, 28, 17].includes(r.apiKey));
    expect(compareWithKafkajs(noTxn)).toEqual([]);
    const warnings = compareWithKafkajs(noTxn, { transactions: true, sasl: true });
    expect(warnings).toHaveLength(5);
    expect(warnings[0]).toBe('The cluster does not offer SaslHandshake (API key 17), which kafkajs needs for SASL authentication: that will fail.');
    expect(warnings.slice(1).every((w) => /needs for transactions \(--transactional-id\)/.test(w))).toBe(true);
  });
});

describe('the raw exchange', () => {
  it('encodes the request header v1 with an empty body and decodes a recorded v0 answer', () => {
    const req = encodeApiVersionsV0(7, 'ab');
    expect([...req]).toEqual([0, 0, 0, 12, 0, 18, 0, 0, 0, 0, 0, 7, 0, 2, 97, 98]);
    // correlation 7, error 0, two entries: Produce 3-12, ApiVersions 0-4.
    const answer = Buffer.from([0, 0, 0, 7, 0, 0, 0, 0, 0, 2, 0, 0, 0, 3, 0, 12, 0, 18, 0, 0, 0, 4]);
    expect(decodeApiVersionsV0(answer)).toEqual({
      correlationId: 7,
      errorCode: 0,
      ranges: [
        { apiKey: 0, minVersion: 3, maxVersion: 12 },
        { apiKey: 18, minVersion: 0, maxVersion: 4 },
      ],
    });
    expect(() => decodeApiVersionsV0(answer.subarray(0, 15))).toThrow(/truncated/);
  });

  it('a server that never answers times out; a non-Kafka server is named as such; nothing reachable is an error', async () => {
    const silent = await tcpServer(() => undefined); // reads the request, never answers
    await expect(fetchApiVersions(silent, { timeoutMs: 200 })).rejects.toThrow(/did not answer ApiVersions within 200 ms/);
    const http = await tcpServer((s) => s.end('HTTP/1.1 400 Bad Request\r\n\r\n'));
    await expect(fetchApiVersions(http)).rejects.toThrow(/not Kafka/);
    const dead = await unusedAddress();
    await expect(checkApiVersions([dead])).rejects.toThrow(new RegExp(`no broker answered.*cannot reach ${dead} \\(ECONNREFUSED\\)`));
  });
});

/** A TCP server on a free port, closed (with its connections) after the test. */
async function tcpServer(onConnection: (s: net.Socket) => void): Promise<string> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    onConnection(s);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  servers.push(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  });
  return `127.0.0.1:${(server.address() as net.AddressInfo).port}`;
}

async function unusedAddress(): Promise<string> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return `127.0.0.1:${port}`;
}
