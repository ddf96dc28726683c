// CreateTopics, DeleteTopics, InitProducerId and DescribeConfigs codecs against kafkajs's own encoders and decoders,
// for every served version.
import { describe, expect, it } from 'vitest';
import { createTopicsApi } from '../../src/sandbox/apis/19-create-topics.js';
import { deleteTopicsApi } from '../../src/sandbox/apis/20-delete-topics.js';
import { initProducerIdApi } from '../../src/sandbox/apis/22-init-producer-id.js';
import { ConfigSource, describeConfigsApi, type DescribeConfigsResponse } from '../../src/sandbox/apis/32-describe-configs.js';
import { decodeOurs, encodeOurs, kafkajsDecodeOnly, kafkajsDecodeResponse, kafkajsRequestBody } from '../helpers/oracle.js';

describe('CreateTopics codec', () => {
  for (const version of [0, 1, 2, 3]) {
    it(`v${version}: decodes kafkajs's request and kafkajs decodes our response`, async () => {
      const body = await kafkajsRequestBody('createTopics', version, {
        topics: [
          {
            topic: 'orders',
            numPartitions: 6,
            replicationFactor: 3,
            replicaAssignment: [{ partition: 0, replicas: [1, 2, 3] }],
            configEntries: [{ name: 'min.insync.replicas', value: '2' }],
          },
          { topic: 'defaults' },
        ],
        timeout: 1234,
        validateOnly: true,
      });
      const req = decodeOurs(createTopicsApi, version, body);
      expect(req.topics[0]).toEqual({
        name: 'orders',
        numPartitions: 6,
        replicationFactor: 3,
        assignments: [{ partitionIndex: 0, brokerIds: [1, 2, 3] }],
        configs: [{ name: 'min.insync.replicas', value: '2' }],
      });
      expect(req.topics[1]).toMatchObject({ name: 'defaults', numPartitions: -1, replicationFactor: -1, assignments: [], configs: [] });
      expect(req.timeoutMs).toBe(1234);
      expect(req.validateOnly).toBe(version >= 1); // v0 has no validate_only

      const res = encodeOurs(createTopicsApi, version, {
        throttleTimeMs: 7,
        topics: [
          { name: 'orders', errorCode: 0, errorMessage: null },
          { name: 'dup', errorCode: 36, errorMessage: "Topic 'dup' already exists." },
        ],
      });
      const decoded = await kafkajsDecodeOnly('createTopics', version, res);
      expect(decoded.topicErrors.map((t: any) => [t.topic, t.errorCode])).toEqual([
        ['dup', 36],
        ['orders', 0],
      ]);
      if (version >= 1) expect(decoded.topicErrors[0].errorMessage).toBe("Topic 'dup' already exists.");
      if (version === 2) expect(decoded.throttleTime).toBe(7);
      if (version === 3) expect(decoded.clientSideThrottleTime).toBe(7);
      // kafkajs's parse turns the error into the error its admin client inspects.
      await expect(kafkajsDecodeResponse('createTopics', version, res)).rejects.toMatchObject({
        errors: [expect.objectContaining({ type: 'TOPIC_ALREADY_EXISTS', topic: 'dup' })],
      });
    });
  }
});

describe('DeleteTopics codec', () => {
  for (const version of [0, 1]) {
    it(`v${version}: decodes kafkajs's request and kafkajs decodes our response`, async () => {
      const body = await kafkajsRequestBody('deleteTopics', version, { topics: ['a', 'b'], timeout: 999 });
      expect(decodeOurs(deleteTopicsApi, version, body)).toMatchObject({ topicNames: ['a', 'b'], timeoutMs: 999 });

      const res = encodeOurs(deleteTopicsApi, version, {
        throttleTimeMs: 7,
        responses: [
          { name: 'b', errorCode: 3 },
          { name: 'a', errorCode: 0 },
        ],
      });
      const decoded = await kafkajsDecodeOnly('deleteTopics', version, res);
      expect(decoded.topicErrors).toEqual([
        { topic: 'a', errorCode: 0 },
        { topic: 'b', errorCode: 3 },
      ]);
      if (version === 1) expect(decoded.clientSideThrottleTime).toBe(7);
      await expect(kafkajsDecodeResponse('deleteTopics', version, res)).rejects.toMatchObject({ type: 'UNKNOWN_TOPIC_OR_PARTITION' });
    });
  }
});

describe('InitProducerId codec', () => {
  for (const version of [0, 1]) {
    it(`v${version}: decodes kafkajs's request and kafkajs decodes our response`, async () => {
      const transactional = await kafkajsRequestBody('initProducerId', version, { transactionalId: 'tx-1', transactionTimeout: 60000 });
      expect(decodeOurs(initProducerIdApi, version, transactional)).toMatchObject({ transactionalId: 'tx-1', transactionTimeoutMs: 60000 });
      const idempotent = await kafkajsRequestBody('initProducerId', version, { transactionTimeout: 30000 });
      expect(decodeOurs(initProducerIdApi, version, idempotent)).toMatchObject({ transactionalId: null, transactionTimeoutMs: 30000 });

      // A producer id above 2^32 shows the int64 is written whole.
      const ok = encodeOurs(initProducerIdApi, version, { throttleTimeMs: 7, errorCode: 0, producerId: 2 ** 40 + 5, producerEpoch: 3 });
      const parsed = await kafkajsDecodeResponse('initProducerId', version, ok);
      expect(parsed).toMatchObject({ errorCode: 0, producerId: String(2 ** 40 + 5), producerEpoch: 3 });
      expect(version === 0 ? parsed.throttleTime : parsed.clientSideThrottleTime).toBe(7);

      const failed = encodeOurs(initProducerIdApi, version, { throttleTimeMs: 0, errorCode: 50, producerId: -1, producerEpoch: -1 });
      await expect(kafkajsDecodeResponse('initProducerId', version, failed)).rejects.toMatchObject({ type: 'INVALID_TRANSACTION_TIMEOUT' });
    });
  }
});

const described: DescribeConfigsResponse = {
  throttleTimeMs: 7,
  results: [
    {
      errorCode: 0,
      errorMessage: null,
      resourceType: 2,
      resourceName: 'orders',
      configs: [
        { name: 'min.insync.replicas', value: '2', readOnly: false, configSource: ConfigSource.TOPIC_CONFIG, isDefault: false, isSensitive: false, synonyms: [{ name: 'min.insync.replicas', value: '2', source: 1 }], configType: 3, documentation: null },
        { name: 'retention.ms', value: '604800000', readOnly: false, configSource: ConfigSource.DEFAULT_CONFIG, isDefault: true, isSensitive: false, synonyms: [], configType: 5, documentation: null },
      ],
    },
    { errorCode: 3, errorMessage: "Topic 'gone' does not exist.", resourceType: 2, resourceName: 'gone', configs: [] },
  ],
};

describe('DescribeConfigs codec', () => {
  for (const version of [0, 1, 2]) {
    it(`v${version}: decodes kafkajs's request and kafkajs decodes our response`, async () => {
      const body = await kafkajsRequestBody('describeConfigs', version, {
        resources: [
          { type: 2, name: 'orders', configNames: ['min.insync.replicas'] },
          { type: 4, name: '1' },
        ],
        includeSynonyms: true,
      });
      const req = decodeOurs(describeConfigsApi, version, body);
      expect(req.resources).toEqual([
        { resourceType: 2, resourceName: 'orders', configurationKeys: ['min.insync.replicas'] },
        { resourceType: 4, resourceName: '1', configurationKeys: null }, // kafkajs sends "no names" as null: all configs
      ]);
      expect(req.includeSynonyms).toBe(version >= 1);

      const decoded = await kafkajsDecodeOnly('describeConfigs', version, encodeOurs(describeConfigsApi, version, described));
      expect(version === 2 ? decoded.clientSideThrottleTime : decoded.throttleTime).toBe(7);
      const [orders, gone] = decoded.resources;
      expect(orders).toMatchObject({ errorCode: 0, errorMessage: null, resourceType: 2, resourceName: 'orders' });
      expect(gone).toMatchObject({ errorCode: 3, errorMessage: "Topic 'gone' does not exist.", configEntries: [] });
      // v0 carries is_default; kafkajs derives the source from it (TOPIC_CONFIG or DEFAULT_CONFIG for a topic).
      expect(orders.configEntries.map((c: any) => [c.configName, c.configValue, c.isDefault, c.configSource, c.readOnly])).toEqual([
        ['min.insync.replicas', '2', false, 1, false],
        ['retention.ms', '604800000', true, 5, false],
      ]);
      if (version >= 1) {
        expect(orders.configEntries[0].configSynonyms).toEqual([{ configName: 'min.insync.replicas', configValue: '2', configSource: 1 }]);
      }
    });
  }
});
