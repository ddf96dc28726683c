// Is it Kafka? One ApiVersions request, and a plain answer for each way it is not.
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { identifyBroker } from '../../../src/kafka/cluster/broker-identity.js';
import { sandboxTest } from '../../helpers/fixtures.js';

describe('identifyBroker', () => {
  sandboxTest('a Kafka broker (the sandbox) is one; asked over TLS, its PLAINTEXT port is named as such', async ({ startSandbox }) => {
    const sandbox = await startSandbox({ brokers: 1 });
    const address = sandbox.addresses()[0];
    expect(await identifyBroker(address)).toMatchObject({ kind: 'kafka', address });
    expect(await identifyBroker(address, { ssl: { rejectUnauthorized: false }, timeoutMs: 3000 })).toMatchObject({
      kind: 'not-kafka',
      reason: expect.stringMatching(new RegExp(`^${address} answered, but not as a TLS Kafka listener \\(.*\\): is it a PLAINTEXT port\\?$`)),
    });
  });

  it('a port that closes at once, and one where nothing listens', async () => {
    const server = createServer((s) => s.destroy());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const address = `127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      expect(await identifyBroker(address)).toEqual({ address, kind: 'not-kafka', reason: `${address} answered, but not as a Kafka broker (it closed the connection)` });
    } finally {
      await new Promise((r) => server.close(r));
    }
    expect(await identifyBroker(address)).toEqual({ address, kind: 'unreachable', reason: `${address} is unreachable (ECONNREFUSED)` });
  });
});
