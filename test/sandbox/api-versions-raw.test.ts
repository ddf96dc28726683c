// ApiVersions negotiation over a raw socket: v3 in its flexible layout with response header v0 (KIP-511),
// a version above 4 answered in the v0 layout with UNSUPPORTED_VERSION and our ranges, an unknown API key closing
// the connection.
import { afterEach, describe, expect } from 'vitest';
import { Reader } from '../../src/wire/reader.js';
import type { Sandbox } from '../../src/sandbox/sandbox.js';
import { RawClient } from '../helpers/raw-client.js';
import { sandboxTest as it } from '../helpers/fixtures.js';

const clients: RawClient[] = [];
afterEach(() => {
  for (const c of clients.splice(0)) c.close();
});

function compactString(s: string): Buffer {
  return Buffer.concat([Buffer.from([s.length + 1]), Buffer.from(s)]);
}

async function connect(sandbox: Sandbox): Promise<RawClient> {
  const client = await RawClient.connect(sandbox.addresses()[0]);
  clients.push(client);
  return client;
}

type Range = [key: number, min: number, max: number];

describe('ApiVersions over a raw socket', () => {
  it('v3 (request header v2) gets the v3 body right after the correlation id: response header v0, no header tags', async ({ sandbox }) => {
    const c = await connect(sandbox);
    const body = Buffer.concat([compactString('librdkafka'), compactString('2.0.2'), Buffer.from([0])]);
    const res = await c.request(18, 3, body, { headerTags: true });
    const r = new Reader(res);
    expect(r.int16()).toBe(0); // error_code: a header tag byte here would shift it
    const ranges = r.compactArray((r): Range => {
      const range: Range = [r.int16(), r.int16(), r.int16()];
      expect(r.uvarint()).toBe(0); // no tags per entry
      return range;
    });
    expect(r.int32()).toBe(0); // throttle_time_ms
    expect(r.uvarint()).toBe(0); // no top-level tags
    expect(r.remaining()).toBe(0);
    // Kafka 4.x's ranges (within the versions Kafka's definitions describe), plus older versions old clients use.
    expect(ranges).toContainEqual([18, 0, 4]);
    expect(ranges).toContainEqual([0, 3, 11]);
    expect(ranges).toContainEqual([1, 4, 17]);
    expect(ranges).toContainEqual([2, 0, 10]);
    expect(ranges).toContainEqual([3, 0, 12]);
    expect(ranges).toContainEqual([22, 0, 5]);
    expect(ranges.map((x) => x[0])).toEqual([...ranges.map((x) => x[0])].sort((a, b) => a - b));
  });

  it('v3 with a software name outside the allowed pattern gets INVALID_REQUEST', async ({ sandbox }) => {
    const c = await connect(sandbox);
    const body = Buffer.concat([compactString('my client'), compactString('1.0'), Buffer.from([0])]);
    const res = await c.request(18, 3, body, { headerTags: true });
    expect(res.readInt16BE(0)).toBe(42);
  });

  it('a version above 4 gets the v0 layout: UNSUPPORTED_VERSION, then our ranges including ApiVersions 0-4', async ({ sandbox }) => {
    const c = await connect(sandbox);
    const body = Buffer.concat([compactString('librdkafka'), compactString('9.9.9'), Buffer.from([0])]);
    const res = await c.request(18, 5, body, { headerTags: true });
    const r = new Reader(res);
    expect(r.int16()).toBe(35);
    const ranges = r.array((r): Range => [r.int16(), r.int16(), r.int16()]);
    expect(r.remaining()).toBe(0); // v0 layout: no throttle_time_ms, no tags
    expect(ranges).toContainEqual([18, 0, 4]);
    // The connection stays usable: the client retries with a lower version on it.
    const retry = await c.request(18, 0, Buffer.alloc(0));
    expect(retry.readInt16BE(0)).toBe(0);
  });

  it('an unknown API key closes the connection without an answer', async ({ sandbox }) => {
    const c = await connect(sandbox);
    await expect(c.request(9999, 0, Buffer.alloc(0))).rejects.toThrow(/closed/);
    await c.closed;
    expect(c.received).toEqual([]);
    // The broker itself goes on serving new connections.
    const again = await connect(sandbox);
    const res = await again.request(18, 2, Buffer.alloc(0));
    expect(res.readInt16BE(0)).toBe(0);
  });
});
