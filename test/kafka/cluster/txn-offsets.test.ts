// The Transactions screen's offsets on a real cluster come over ListOffsets with the cluster's own connection
// options: a reader built from the broker list alone could not read a TLS or SASL cluster.
import { afterEach, describe, expect } from 'vitest';
import { offsetsReaderFor, type OffsetsReader } from '../../../src/kafka/cluster/txn-offsets.js';
import type { Sandbox } from '../../../src/sandbox/sandbox.js';
import { sandboxTest as it } from '../../helpers/fixtures.js';
import { kafkaFor } from '../../helpers/sandbox.js';

let reader: OffsetsReader | undefined;
afterEach(async () => {
  await reader?.close();
});

async function topicWithRecords(s: Sandbox): Promise<void> {
  const admin = kafkaFor(s).admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic: 'txn', numPartitions: 2, replicationFactor: 3 }] });
  await admin.disconnect();
  const producer = kafkaFor(s).producer();
  await producer.connect();
  await producer.send({ topic: 'txn', messages: [{ partition: 0, value: 'a' }, { partition: 0, value: 'b' }, { partition: 1, value: 'c' }] });
  await producer.disconnect();
}

describe('Transactions screen offsets over ListOffsets', () => {
  it('reads the last stable offset of each partition with the cluster connection it is given', async ({ sandbox }) => {
    await topicWithRecords(sandbox);
    reader = offsetsReaderFor({ sandbox: null, client: { brokers: sandbox.addresses() } });
    const view = await reader.read('txn');
    expect(view.error).toBeNull();
    expect(view.rows).toEqual([
      { partition: 0, lastStable: 2, highWatermark: null },
      { partition: 1, lastStable: 1, highWatermark: null },
    ]);
  });

  it('speaks TLS when the cluster is configured for TLS (a plaintext listener then refuses it)', async ({ sandbox }) => {
    await topicWithRecords(sandbox);
    reader = offsetsReaderFor({ sandbox: null, client: { brokers: sandbox.addresses(), security: { ssl: { rejectUnauthorized: false } } } });
    const view = await reader.read('txn');
    expect(view.rows).toEqual([]);
    expect(view.error).not.toBeNull();
  });
});
