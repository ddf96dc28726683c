// Kafka's broker settings for topics created without a count (num.partitions, default.replication.factor) and its
// dynamic broker configs (KIP-226), through kafkajs's admin client and, where kafkajs cannot say it, over the wire.
import { afterEach, describe, expect } from 'vitest';
import { ConfigResourceTypes, type Admin } from 'kafkajs';
import { parseBrokerConfigs } from '../../src/sandbox/control/broker-config.js';
import type { Sandbox, SandboxOptions } from '../../src/sandbox/sandbox.js';
import { ApiKey } from '../../src/wire/api-keys.js';
import { ErrorCode } from '../../src/wire/error-codes.js';
import { CodecClient } from '../helpers/codec-client.js';
import { kafkaFor } from '../helpers/sandbox.js';
import { sandboxTest as it, type SandboxFixtures } from '../helpers/fixtures.js';

const DYNAMIC_BROKER_CONFIG = 2;
const DYNAMIC_DEFAULT_BROKER_CONFIG = 3;
const DEFAULT_CONFIG = 5;

const clients: CodecClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
});

/** A sandbox with the test's options and a connected admin client for it, both closed after the test. */
async function start({ startSandbox, adminFor }: Pick<SandboxFixtures, 'startSandbox' | 'adminFor'>, opts: SandboxOptions = {}): Promise<{ sandbox: Sandbox; admin: Admin }> {
  const sandbox = await startSandbox(opts);
  return { sandbox, admin: await adminFor(sandbox) };
}

async function shape(a: Admin, topic: string): Promise<{ partitions: number; replicas: number[] }> {
  const md = await a.fetchTopicMetadata({ topics: [topic] });
  const parts = md.topics[0].partitions;
  return { partitions: parts.length, replicas: [...new Set(parts.map((p) => p.replicas.length))] };
}

async function wire(sandbox: Sandbox, broker: number): Promise<CodecClient> {
  const c = await CodecClient.connect(sandbox.addresses()[broker - 1]);
  clients.push(c);
  return c;
}

describe('num.partitions and default.replication.factor', () => {
  it("take Kafka's names on --broker-config and shape every topic created without a count", async ({ startSandbox, adminFor }) => {
    expect(parseBrokerConfigs(['num.partitions=2', 'default.replication.factor=2'])).toEqual({ numPartitions: 2, defaultReplicationFactor: 2 });
    expect(parseBrokerConfigs(['num.partitions=0'])).toMatch(/num.partitions must be at least 1/);

    // kafkajs's own test cluster runs with both at 2.
    const { sandbox, admin } = await start({ startSandbox, adminFor }, { numPartitions: 2, defaultReplicationFactor: 2 });
    await admin.createTopics({ topics: [{ topic: 'plain' }] });
    expect(await shape(admin, 'plain')).toEqual({ partitions: 2, replicas: [2] });
    const producer = kafkaFor(sandbox).producer();
    await producer.connect();
    await producer.send({ topic: 'auto', messages: [{ value: 'x' }] });
    await producer.disconnect();
    expect(await shape(admin, 'auto')).toEqual({ partitions: 2, replicas: [2] });
    // Growing a 2-partition topic to 3 is a real change (Kafka refuses a count equal to the current one).
    await admin.createPartitions({ topicPartitions: [{ topic: 'plain', count: 3 }] });
    expect((await shape(admin, 'plain')).partitions).toBe(3);
  });

  it("start at 3 and 3 in the sandbox, capped at the broker count, and are listed as changed from Kafka's 1", async ({ startSandbox, adminFor }) => {
    const { sandbox, admin } = await start({ startSandbox, adminFor });
    await admin.createTopics({ topics: [{ topic: 'lab' }] });
    expect(await shape(admin, 'lab')).toEqual({ partitions: 3, replicas: [3] });
    expect(sandbox.cluster.changedSettings()).toEqual(
      expect.arrayContaining([
        { name: 'num.partitions', value: 3, default: 1, sandboxOnly: false },
        { name: 'default.replication.factor', value: 3, default: 1, sandboxOnly: false },
      ]),
    );
    const single = await startSandbox({ brokers: 1 });
    expect(single.cluster.defaultReplicationFactor).toBe(1);
  });

  it('a replication factor above the broker count fails topic creation, as in Kafka', async ({ startSandbox, adminFor }) => {
    const { admin } = await start({ startSandbox, adminFor }, { brokers: 2, defaultReplicationFactor: 3 });
    await expect(admin.createTopics({ topics: [{ topic: 'wide' }] })).rejects.toMatchObject({ errors: [expect.objectContaining({ type: 'INVALID_REPLICATION_FACTOR' })] });
  });
});

describe('dynamic broker configs', () => {
  it('a broker takes a config Kafka does not know, lists it as DYNAMIC_BROKER_CONFIG, and refuses read-only ones', async ({ startSandbox, adminFor }) => {
    const { sandbox, admin } = await start({ startSandbox, adminFor });
    // What kafkajs's own suite sends: a topic config name on a broker, which Kafka stores and ignores.
    await admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.BROKER, name: '2', configEntries: [{ name: 'cleanup.policy', value: 'delete' }] }] });
    const described = await admin.describeConfigs({ includeSynonyms: true, resources: [{ type: ConfigResourceTypes.BROKER, name: '2' }] });
    const entries = new Map(described.resources[0].configEntries.map((e) => [e.configName, e]));
    expect(entries.get('cleanup.policy')).toMatchObject({ configValue: 'delete', configSource: DYNAMIC_BROKER_CONFIG, readOnly: false });
    expect(entries.get('num.partitions')).toMatchObject({ readOnly: true });
    expect(entries.get('min.insync.replicas')).toMatchObject({ readOnly: false });

    await expect(
      admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.BROKER, name: '1', configEntries: [{ name: 'num.partitions', value: '5' }] }] }),
    ).rejects.toMatchObject({ type: 'INVALID_REQUEST' });
    const c = await wire(sandbox, 1);
    const refused = await c.call(ApiKey.AlterConfigs, 2, {
      resources: [{ resourceType: ConfigResourceTypes.BROKER, resourceName: '1', configs: [{ name: 'num.partitions', value: '5' }] }],
      validateOnly: false,
    });
    expect(refused.responses[0].errorMessage).toBe("Invalid config value for resource ConfigResource(type=BROKER, name='1'): Cannot update these configs dynamically: Set(num.partitions)");
    expect(sandbox.cluster.defaultPartitions).toBe(3);
  });

  it('a cluster-wide min.insync.replicas applies at once to topics without their own, and DELETE restores the static value', async ({ startSandbox, adminFor }) => {
    const { sandbox, admin } = await start({ startSandbox, adminFor });
    await admin.createTopics({ topics: [{ topic: 'plain' }, { topic: 'own', configEntries: [{ name: 'min.insync.replicas', value: '3' }] }] });
    const c = await wire(sandbox, 1);
    const set = (configOperation: number, value: string | null) =>
      c.call(ApiKey.IncrementalAlterConfigs, 1, {
        resources: [{ resourceType: ConfigResourceTypes.BROKER, resourceName: '', configs: [{ name: 'min.insync.replicas', configOperation, value }] }],
        validateOnly: false,
      });
    expect((await set(0, '2')).responses[0].errorCode).toBe(ErrorCode.NONE);
    expect(sandbox.cluster.partition('plain', 0)!.config.minInsyncReplicas).toBe(2);
    expect(sandbox.cluster.partition('own', 0)!.config.minInsyncReplicas).toBe(3);

    const broker = await admin.describeConfigs({ includeSynonyms: true, resources: [{ type: ConfigResourceTypes.BROKER, name: '1', configNames: ['min.insync.replicas'] }] });
    expect(broker.resources[0].configEntries[0]).toMatchObject({
      configValue: '2',
      configSource: DYNAMIC_DEFAULT_BROKER_CONFIG,
      configSynonyms: [
        { configName: 'min.insync.replicas', configValue: '2', configSource: DYNAMIC_DEFAULT_BROKER_CONFIG },
        { configName: 'min.insync.replicas', configValue: '1', configSource: DEFAULT_CONFIG },
      ],
    });
    const topic = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: 'plain', configNames: ['min.insync.replicas'] }] });
    expect(topic.resources[0].configEntries[0].configValue).toBe('2');

    expect((await set(1, null)).responses[0].errorCode).toBe(ErrorCode.NONE);
    expect(sandbox.cluster.partition('plain', 0)!.config.minInsyncReplicas).toBe(1);
    const defaults = await c.call(ApiKey.DescribeConfigs, 4, { resources: [{ resourceType: ConfigResourceTypes.BROKER, resourceName: '', configurationKeys: null }], includeSynonyms: false, includeDocumentation: false });
    expect(defaults.results[0].configs).toEqual([]);
  });
});

describe('DescribeConfigs synonyms of a topic config at its default', () => {
  it("list the broker config only when it has a default of its own (retention.ms: none; Kafka's comes from log.retention.hours)", async ({ startSandbox, adminFor }) => {
    const { admin } = await start({ startSandbox, adminFor });
    await admin.createTopics({ topics: [{ topic: 't' }] });
    const r = await admin.describeConfigs({ includeSynonyms: true, resources: [{ type: ConfigResourceTypes.TOPIC, name: 't', configNames: ['compression.type', 'retention.ms'] }] });
    expect(r.resources[0].configEntries).toEqual([
      expect.objectContaining({ configName: 'compression.type', configSource: DEFAULT_CONFIG, configSynonyms: [{ configName: 'compression.type', configValue: 'producer', configSource: DEFAULT_CONFIG }] }),
      expect.objectContaining({ configName: 'retention.ms', configValue: '604800000', configSource: DEFAULT_CONFIG, isDefault: true, configSynonyms: [] }),
    ]);
  });
});
