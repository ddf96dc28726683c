// The Kafka 4.x surface over the wire at flexible versions, through the schema-driven codec: Kafka's semantics for
// topic creation and names, internal topics, topic ids, batched coordinator lookups and offset fetches, and the
// admin and observability APIs (DeleteGroups, DescribeCluster, ACLs, reassignments, transactions, producers).
import { describe, expect, vi } from 'vitest';
import { produceApi } from '../../src/sandbox/apis/00-produce.js';
import type { Sandbox } from '../../src/sandbox/sandbox.js';
import { servedApis } from '../../src/sandbox/apis/index.js';
import { ApiKey } from '../../src/wire/api-keys.js';
import { definedVersions } from '../../src/wire/protocol.js';
import { ErrorCode } from '../../src/wire/error-codes.js';
import { CodecClient } from '../helpers/codec-client.js';
import { sandboxTest as test } from '../helpers/fixtures.js';
import { decodeOurs, kafkajsRequestBody } from '../helpers/oracle.js';

const clients: CodecClient[] = [];
async function to(sandbox: Sandbox, broker: number): Promise<CodecClient> {
  const c = await CodecClient.connect(sandbox.addresses()[broker - 1]);
  clients.push(c);
  return c;
}
test.afterEach(() => {
  for (const c of clients.splice(0)) c.close();
});

/** One record batch as a real producer writes it (kafkajs's encoder), optionally idempotent. */
async function batch(values: string[], producerId = -1): Promise<Buffer> {
  const body = await kafkajsRequestBody('produce', 7, {
    acks: -1,
    timeout: 1000,
    producerId,
    producerEpoch: 0,
    topicData: [{ topic: 't', partitions: [{ partition: 0, firstSequence: 0, messages: values.map((value) => ({ value })) }] }],
  });
  return decodeOurs(produceApi, 7, body).topicData[0].partitionData[0].records!;
}

describe('Kafka 4.x APIs at flexible versions', () => {
  test('ApiVersions v4 advertises exactly the served ranges, each within what the codec can code', async ({ sandbox }) => {
    const c = await to(sandbox, 1);
    const res = await c.call(ApiKey.ApiVersions, 4, { clientSoftwareName: 'codec-client', clientSoftwareVersion: '1.0' });
    const served = [...servedApis().values()].map((a) => ({ apiKey: a.key, minVersion: a.minVersion, maxVersion: a.maxVersion }));
    expect(res.apiKeys).toEqual(served.sort((a, b) => a.apiKey - b.apiKey));
    for (const a of served) {
      const defined = definedVersions(a.apiKey)!;
      expect(a.minVersion).toBeGreaterThanOrEqual(defined.min);
      expect(a.maxVersion).toBeLessThanOrEqual(defined.max);
    }
  });

  test('Metadata creates topics only when asked, answers LEADER_NOT_AVAILABLE first, refuses bad names, reports internal topics', async ({ sandbox }) => {
    const c = await to(sandbox, sandbox.cluster.controller);
    const ask = (name: string, allow: boolean) => c.call(ApiKey.Metadata, 12, { topics: [{ name }], allowAutoTopicCreation: allow });
    expect((await ask('fresh', false)).topics[0].errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    expect(sandbox.cluster.topics.has('fresh')).toBe(false);
    const first = (await ask('fresh', true)).topics[0];
    expect(first).toMatchObject({ errorCode: ErrorCode.LEADER_NOT_AVAILABLE, partitions: [] });
    const second = (await ask('fresh', true)).topics[0];
    expect(second).toMatchObject({ errorCode: 0, isInternal: false, topicId: first.topicId });
    expect(second.partitions.every((p: any) => p.leaderId > 0)).toBe(true);

    for (const bad of ['has space', '.', '..', 'x'.repeat(250), 'é']) {
      expect((await ask(bad, true)).topics[0].errorCode).toBe(ErrorCode.INVALID_TOPIC_EXCEPTION);
      expect(sandbox.cluster.topics.has(bad)).toBe(false);
    }
    const offsets = (await ask('__consumer_offsets', true)).topics[0];
    expect(offsets).toMatchObject({ errorCode: 0, isInternal: true });
    expect(offsets.partitions).toHaveLength(50);
    const create = await c.call(ApiKey.CreateTopics, 7, { topics: [{ name: '__transaction_state', numPartitions: 1, replicationFactor: 1 }] });
    expect(create.topics[0]).toMatchObject({ errorCode: ErrorCode.INVALID_REQUEST, errorMessage: expect.stringMatching(/internal topic/) });
  });

  test('a bare Produce to a missing topic gets UNKNOWN_TOPIC_OR_PARTITION and creates nothing; Fetch v17 reads by topic id', async ({ sandbox }) => {
    const leaderOf = (topic: string) => sandbox.cluster.partition(topic, 0)!.leader;
    const c = await to(sandbox, 1);
    const records = await batch(['a', 'b']);
    const produce = (topic: string, client: CodecClient) =>
      client.call(ApiKey.Produce, 11, { acks: -1, timeoutMs: 5000, topicData: [{ name: topic, partitionData: [{ index: 0, records }] }] });
    expect((await produce('nowhere', c)).responses[0].partitionResponses[0].errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    expect(sandbox.cluster.topics.has('nowhere')).toBe(false);

    sandbox.cluster.createTopic('t', 1, 3);
    const leader = await to(sandbox, leaderOf('t'));
    expect((await produce('t', leader)).responses[0].partitionResponses[0]).toMatchObject({ errorCode: 0, baseOffset: 0 });
    const meta = await leader.call(ApiKey.Metadata, 12, { topics: [{ name: 't' }] });
    const fetch = (topicId: string) =>
      leader.call(ApiKey.Fetch, 17, {
        maxWaitMs: 0,
        minBytes: 1,
        topics: [{ topicId, partitions: [{ partition: 0, fetchOffset: 0, partitionMaxBytes: 1 << 20 }] }],
      });
    const got = (await fetch(meta.topics[0].topicId)).responses[0];
    expect(got.topicId).toBe(meta.topics[0].topicId);
    expect(got.partitions[0]).toMatchObject({ errorCode: 0, highWatermark: 2 });
    expect(got.partitions[0].records.length).toBe(records.length);
    expect((await fetch('AAAAAAAAAAAAAAAAAAAAAQ')).responses[0].partitions[0].errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_ID);
  });

  test('FindCoordinator v6 and OffsetFetch v9 answer several keys at once; DeleteGroups removes an empty group', async ({ sandbox }) => {
    const c = await to(sandbox, 1);
    const found = await c.call(ApiKey.FindCoordinator, 6, { keyType: 0, coordinatorKeys: ['g1', 'g2'] });
    expect(found.coordinators.map((x: any) => [x.key, x.errorCode, x.nodeId === sandbox.cluster.coordinatorFor(x.key)])).toEqual([
      ['g1', 0, true],
      ['g2', 0, true],
    ]);
    sandbox.cluster.createTopic('t', 1, 3);
    const coordinator = await to(sandbox, sandbox.cluster.coordinatorFor('g1'));
    const commit = await coordinator.call(ApiKey.OffsetCommit, 9, {
      groupId: 'g1',
      generationIdOrMemberEpoch: -1,
      memberId: '',
      topics: [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: 7 }] }],
    });
    expect(commit.topics[0].partitions[0].errorCode).toBe(0);
    const fetched = await coordinator.call(ApiKey.OffsetFetch, 9, { groups: [{ groupId: 'g1', topics: null }] });
    expect(fetched.groups[0]).toMatchObject({ groupId: 'g1', errorCode: 0, topics: [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: 7 }] }] });

    const deleted = await coordinator.call(ApiKey.DeleteGroups, 2, { groupsNames: ['g1'] });
    expect(deleted.results).toEqual([{ groupId: 'g1', errorCode: 0 }]);
    const again = await coordinator.call(ApiKey.DeleteGroups, 2, { groupsNames: ['g1'] });
    expect(again.results[0].errorCode).toBe(ErrorCode.GROUP_ID_NOT_FOUND);
  });

  test('DescribeCluster lists the brokers; ACLs answer SECURITY_DISABLED; a reassignment moves replicas once the new one caught up', async ({ sandbox }) => {
    const c = await to(sandbox, sandbox.cluster.controller);
    const cluster = await c.call(ApiKey.DescribeCluster, 1, {});
    expect(cluster).toMatchObject({ errorCode: 0, clusterId: sandbox.cluster.clusterId, controllerId: sandbox.cluster.controller });
    expect(cluster.brokers.map((b: any) => b.brokerId)).toEqual([1, 2, 3]);

    expect(await c.call(ApiKey.DescribeAcls, 3, { resourceTypeFilter: 1, operation: 1, permissionType: 1 })).toMatchObject({
      errorCode: ErrorCode.SECURITY_DISABLED,
      resources: [],
    });
    const created = await c.call(ApiKey.CreateAcls, 3, { creations: [{ resourceType: 2, resourceName: 't', principal: 'User:a', host: '*', operation: 3, permissionType: 3 }] });
    expect(created.results).toEqual([{ errorCode: ErrorCode.SECURITY_DISABLED, errorMessage: 'No Authorizer is configured.' }]);

    sandbox.cluster.createTopic('t', 1, 2);
    const p = sandbox.cluster.partition('t', 0)!;
    expect(p.replicas).toEqual([1, 2]);
    const leader = await to(sandbox, p.leader);
    await leader.call(ApiKey.Produce, 11, { acks: -1, timeoutMs: 5000, topicData: [{ name: 't', partitionData: [{ index: 0, records: await batch(['a', 'b']) }] }] });
    const move = (replicas: number[] | null) => c.call(ApiKey.AlterPartitionReassignments, 0, { topics: [{ name: 't', partitions: [{ partitionIndex: 0, replicas }] }] });
    expect((await move([3, 2])).responses[0].partitions[0].errorCode).toBe(0);
    const listed = await c.call(ApiKey.ListPartitionReassignments, 0, { timeoutMs: 1000, topics: null });
    expect(listed.topics).toEqual([{ name: 't', partitions: [{ partitionIndex: 0, replicas: [3, 2, 1], addingReplicas: [3], removingReplicas: [1] }] }]);
    await vi.waitFor(() => expect(p.replicas).toEqual([3, 2]), { timeout: 5000 });
    // Broker 3 holds the leader's records, broker 1 is gone, and leadership left it.
    expect([p.replicas, p.isr.sort(), p.leader, p.logs.get(3)!.endOffset, p.logs.has(1)]).toEqual([[3, 2], [2, 3], 3, 2, false]);
    expect((await move([9, 2])).responses[0].partitions[0].errorCode).toBe(ErrorCode.INVALID_REPLICA_ASSIGNMENT);
    expect((await move(null)).responses[0].partitions[0].errorCode).toBe(ErrorCode.NO_REASSIGNMENT_IN_PROGRESS);
    expect((await c.call(ApiKey.ListPartitionReassignments, 0, { timeoutMs: 1000, topics: null })).topics).toEqual([]);
  });

  test('DescribeTransactions, ListTransactions and DescribeProducers show a transaction and an idempotent producer', async ({ sandbox }) => {
    sandbox.cluster.createTopic('t', 1, 3);
    const coordinator = await to(sandbox, sandbox.cluster.coordinatorFor('tx-a'));
    const init = await coordinator.call(ApiKey.InitProducerId, 5, { transactionalId: 'tx-a', transactionTimeoutMs: 60_000 });
    expect(init.errorCode).toBe(0);
    const added = await coordinator.call(ApiKey.AddPartitionsToTxn, 3, {
      v3AndBelowTransactionalId: 'tx-a',
      v3AndBelowProducerId: init.producerId,
      v3AndBelowProducerEpoch: init.producerEpoch,
      v3AndBelowTopics: [{ name: 't', partitions: [0] }],
    });
    expect(added.resultsByTopicV3AndBelow[0].resultsByPartition[0].partitionErrorCode).toBe(0);
    // An unknown id coordinated by the same broker, so the answer is about the id, not the coordinator.
    const unknownId = Array.from({ length: 50 }, (_, i) => `tx-none-${i}`).find((id) => sandbox.cluster.coordinatorFor(id) === sandbox.cluster.coordinatorFor('tx-a'))!;
    const described = await coordinator.call(ApiKey.DescribeTransactions, 0, { transactionalIds: ['tx-a', unknownId] });
    expect(described.transactionStates[0]).toMatchObject({ errorCode: 0, transactionState: 'Ongoing', producerId: init.producerId, topics: [{ topic: 't', partitions: [0] }] });
    expect(described.transactionStates[1].errorCode).toBe(ErrorCode.TRANSACTIONAL_ID_NOT_FOUND);
    const listed = await coordinator.call(ApiKey.ListTransactions, 1, { stateFilters: ['Ongoing'] });
    expect(listed.transactionStates).toEqual([{ transactionalId: 'tx-a', producerId: init.producerId, transactionState: 'Ongoing' }]);

    const leader = await to(sandbox, sandbox.cluster.partition('t', 0)!.leader);
    const pid = (await leader.call(ApiKey.InitProducerId, 5, { transactionalId: null, transactionTimeoutMs: 1000 })).producerId;
    await leader.call(ApiKey.Produce, 11, { acks: -1, timeoutMs: 5000, topicData: [{ name: 't', partitionData: [{ index: 0, records: await batch(['x', 'y', 'z'], pid) }] }] });
    const producers = await leader.call(ApiKey.DescribeProducers, 0, { topics: [{ name: 't', partitionIndexes: [0] }] });
    expect(producers.topics[0].partitions[0].activeProducers).toMatchObject([{ producerId: pid, producerEpoch: 0, lastSequence: 2 }]);
  });
});
