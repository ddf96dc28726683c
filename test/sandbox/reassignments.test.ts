// Partition reassignments (KIP-455) through kafkajs's admin client: in progress while the new replicas catch up
// (listed with their adding and removing replicas), then complete; cancellable until then.
import { describe, expect } from 'vitest';
import type { Admin } from 'kafkajs';
import type { Sandbox } from '../../src/sandbox/sandbox.js';
import { ApiKey } from '../../src/wire/api-keys.js';
import { ErrorCode } from '../../src/wire/error-codes.js';
import { CodecClient } from '../helpers/codec-client.js';
import { kafkaFor } from '../helpers/sandbox.js';
import { sandboxTest as it, type SandboxFixtures } from '../helpers/fixtures.js';

/** A sandbox whose reassignments wait 300 ms, and a connected admin client for it, both closed after the test. */
async function start({ startSandbox, adminFor }: Pick<SandboxFixtures, 'startSandbox' | 'adminFor'>): Promise<{ sandbox: Sandbox; admin: Admin }> {
  const sandbox = await startSandbox({ reassignmentDelayMs: 300 });
  return { sandbox, admin: await adminFor(sandbox) };
}

async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200 && !(await check()); i++) await new Promise((r) => setTimeout(r, 25));
}

describe('partition reassignments', () => {
  it('list the partition while the new replica catches up, then move leadership and drop the replica that leaves', async ({ startSandbox, adminFor }) => {
    const { sandbox, admin } = await start({ startSandbox, adminFor });
    await admin.createTopics({ topics: [{ topic: 't', replicaAssignment: [{ partition: 0, replicas: [1, 3] }] }] });
    const producer = kafkaFor(sandbox).producer();
    await producer.connect();
    await producer.send({ topic: 't', acks: -1, messages: [{ value: 'a' }, { value: 'b' }] });
    await producer.disconnect();

    await admin.alterPartitionReassignments({ topics: [{ topic: 't', partitionAssignment: [{ partition: 0, replicas: [3, 2] }] }] });
    const during = await admin.listPartitionReassignments({ topics: [{ topic: 't', partitions: [0] }] });
    expect(during.topics).toEqual([{ name: 't', partitions: [{ partition: 0, replicas: [3, 2, 1], addingReplicas: [2], removingReplicas: [1] }] }]);

    await until(async () => (await admin!.listPartitionReassignments({})).topics.length === 0);
    const p = sandbox.cluster.partition('t', 0)!;
    expect({ replicas: p.replicas, isr: [...p.isr].sort(), leader: p.leader, copied: p.logs.get(2)!.endOffset, old: p.logs.has(1) }).toEqual({
      replicas: [3, 2],
      isr: [2, 3],
      leader: 3,
      copied: 2,
      old: false,
    });
  });

  it('a cancellation before the new replicas catch up puts the partition back; with nothing in progress it is refused', async ({ startSandbox, adminFor }) => {
    const { sandbox, admin } = await start({ startSandbox, adminFor });
    await admin.createTopics({ topics: [{ topic: 't', replicaAssignment: [{ partition: 0, replicas: [1, 2] }] }] });
    await admin.alterPartitionReassignments({ topics: [{ topic: 't', partitionAssignment: [{ partition: 0, replicas: [3] }] }] });
    expect((await admin.listPartitionReassignments({})).topics).toHaveLength(1);
    // kafkajs cannot send a cancellation (null replicas): over the wire to the controller.
    const c = await CodecClient.connect(sandbox.addresses()[sandbox.cluster.controller - 1]);
    try {
      const cancel = async () =>
        (await c.call(ApiKey.AlterPartitionReassignments, 0, { topics: [{ name: 't', partitions: [{ partitionIndex: 0, replicas: null }] }] })).responses[0].partitions[0].errorCode;
      expect(await cancel()).toBe(ErrorCode.NONE);
      expect((await admin.listPartitionReassignments({})).topics).toEqual([]);
      await new Promise((r) => setTimeout(r, 400));
      expect(sandbox.cluster.partition('t', 0)!.replicas).toEqual([1, 2]);
      expect(await cancel()).toBe(ErrorCode.NO_REASSIGNMENT_IN_PROGRESS);
    } finally {
      c.close();
    }
  });
});
