// ApiVersions and Metadata codecs against kafkajs's own encoders and decoders, for every served version. kafkajs has
// no ApiVersions v3 (flexible), so v3 is pinned with golden bytes .
import { describe, expect, it } from 'vitest';
import { metadataApi, type MetadataResponse } from '../../src/sandbox/apis/03-metadata.js';
import { apiVersionsApi, type ApiVersionsResponse } from '../../src/sandbox/apis/18-api-versions.js';
import { Reader } from '../../src/wire/reader.js';
import { decodeOurs, encodeOurs, kafkajsDecodeResponse, kafkajsRequestBody } from '../helpers/oracle.js';

const apiVersions = apiVersionsApi(() => []);

const advertised: ApiVersionsResponse = {
  errorCode: 0,
  apiKeys: [
    { apiKey: 0, minVersion: 3, maxVersion: 7 },
    { apiKey: 18, minVersion: 0, maxVersion: 3 },
  ],
  throttleTimeMs: 0,
};

describe('ApiVersions codec', () => {
  for (const version of [0, 1, 2]) {
    it(`v${version}: decodes kafkajs's (empty) request and kafkajs decodes our response`, async () => {
      const body = await kafkajsRequestBody('apiVersions', version, {});
      expect(decodeOurs(apiVersions, version, body)).toMatchObject({});
      const parsed = await kafkajsDecodeResponse('apiVersions', version, encodeOurs(apiVersions, version, { ...advertised, throttleTimeMs: 9 }));
      expect(parsed.errorCode).toBe(0);
      expect(parsed.apiVersions).toEqual(advertised.apiKeys);
      if (version === 1) expect(parsed.throttleTime).toBe(9);
      if (version === 2) expect(parsed.clientSideThrottleTime).toBe(9);
    });
  }

  it('v0 response carries no throttle field', async () => {
    const v0 = encodeOurs(apiVersions, 0, { ...advertised, throttleTimeMs: 9 });
    expect(v0.length).toBe(2 + 4 + 2 * 6);
  });

  it('v3 request: compact strings for the client software, then tags (golden bytes)', () => {
    const body = Buffer.from([
      0x05, ...Buffer.from('kcat'), // COMPACT_STRING: length + 1
      0x06, ...Buffer.from('1.7.1'),
      0x01, 0x00, 0x02, 0xab, 0xcd, // one unknown tag (id 0, 2 bytes): skipped
    ]);
    expect(apiVersions.decode(new Reader(body), 3)).toMatchObject({ clientSoftwareName: 'kcat', clientSoftwareVersion: '1.7.1' });
  });

  it('v3 response: int16 error, compact array of {key, min, max, tags}, int32 throttle, tags (golden bytes)', () => {
    const bytes = encodeOurs(apiVersions, 3, advertised);
    expect(bytes.toString('hex')).toBe(
      [
        '0000', // error_code
        '03', // compact array: 2 entries + 1
        '0000', '0003', '0007', '00', // Produce 3-7, no tags
        '0012', '0000', '0003', '00', // ApiVersions 0-3, no tags
        '00000000', // throttle_time_ms
        '00', // no top-level tags
      ].join(''),
    );
  });

  it('v3 handler refuses software names outside Kafka\'s pattern with INVALID_REQUEST', async () => {
    const res = await apiVersions.handle({ version: 3 } as never, { clientSoftwareName: 'bad name!', clientSoftwareVersion: '1.0' });
    expect(res).toMatchObject({ errorCode: 42 });
    const ok = await apiVersions.handle({ version: 3 } as never, { clientSoftwareName: 'librdkafka', clientSoftwareVersion: '2.0.2' });
    expect(ok).toMatchObject({ errorCode: 0 });
  });
});

const metadata: MetadataResponse = {
  throttleTimeMs: 5,
  brokers: [
    { nodeId: 1, host: '127.0.0.1', port: 9092, rack: null },
    { nodeId: 2, host: '127.0.0.1', port: 9093, rack: null },
  ],
  clusterId: 'sandbox-1234',
  controllerId: 2,
  topics: [
    {
      errorCode: 0,
      name: 'orders',
      topicId: 'AAAAAAAAAAAAAAAAAAAAAA',
      isInternal: false,
      partitions: [
        { errorCode: 0, partitionIndex: 0, leaderId: 1, leaderEpoch: 4, replicaNodes: [1, 2, 3], isrNodes: [1, 2], offlineReplicas: [3] },
        { errorCode: 0, partitionIndex: 1, leaderId: 2, leaderEpoch: 4, replicaNodes: [2, 3, 1], isrNodes: [2, 1], offlineReplicas: [3] },
      ],
    },
  ],
};

describe('Metadata codec', () => {
  for (const version of [0, 1, 2, 3, 4, 5, 6]) {
    it(`v${version}: decodes kafkajs's request and kafkajs decodes our response`, async () => {
      const named = await kafkajsRequestBody('metadata', version, { topics: ['orders', 'payments'], allowAutoTopicCreation: false });
      const req = decodeOurs(metadataApi, version, named);
      expect(req.topics!.map((t) => t.name)).toEqual(['orders', 'payments']);
      // Before v4 there is no flag: those versions always allow auto-creation.
      expect(req.allowAutoTopicCreation).toBe(version < 4);
      // kafkajs sends [] as an empty v0 list or a null v1+ array: both mean all topics (the handler reads v0's
      // empty list that way).
      const all = decodeOurs(metadataApi, version, await kafkajsRequestBody('metadata', version, { topics: [] })).topics;
      if (version === 0) expect(all).toEqual([]);
      else expect(all).toBeNull();

      const parsed = await kafkajsDecodeResponse('metadata', version, encodeOurs(metadataApi, version, metadata));
      expect(parsed.brokers.map((b: any) => [b.nodeId, b.host, b.port])).toEqual([
        [1, '127.0.0.1', 9092],
        [2, '127.0.0.1', 9093],
      ]);
      if (version >= 1) expect(parsed.controllerId).toBe(2);
      if (version >= 2) expect(parsed.clusterId).toBe('sandbox-1234');
      if (version >= 3 && version <= 5) expect(parsed.throttleTime).toBe(5);
      if (version === 6) expect(parsed.clientSideThrottleTime).toBe(5);
      const topic = parsed.topicMetadata[0];
      expect(topic.topic).toBe('orders');
      expect(topic.partitionMetadata[1]).toMatchObject({ partitionId: 1, leader: 2, replicas: [2, 3, 1], isr: [2, 1] });
      if (version >= 5) expect(topic.partitionMetadata[0].offlineReplicas).toEqual([3]);
    });
  }
});
