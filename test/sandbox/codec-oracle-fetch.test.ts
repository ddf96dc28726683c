// Fetch codec against kafkajs : our decoder reads kafkajs's requests, and kafkajs decodes
// our responses, record batches included, into the messages a consumer would get.
import { describe, expect, it } from 'vitest';
import { fetchApi, type FetchResponse } from '../../src/sandbox/apis/01-fetch.js';
import { produceApi } from '../../src/sandbox/apis/00-produce.js';
import { ErrorCode } from '../../src/wire/error-codes.js';
import { rewriteForLog } from '../../src/wire/record-batch.js';
import { decodeOurs, encodeOurs, kafkajsDecodeOnly, kafkajsDecodeResponse, kafkajsRequestBody } from '../helpers/oracle.js';

// kafkajs has Fetch v0-11; the sandbox serves v4 and up.
const VERSIONS = [4, 5, 6, 7, 8, 9, 10, 11];

/** A record batch exactly as kafkajs's producer sends it, stored at `baseOffset` the way the leader rewrites it. */
async function kafkajsBatch(values: string[], baseOffset: number): Promise<Buffer> {
  const body = await kafkajsRequestBody('produce', 7, {
    acks: -1,
    timeout: 1000,
    compression: 0,
    topicData: [{ topic: 't', partitions: [{ partition: 0, messages: values.map((v, i) => ({ key: `k${i}`, value: v, headers: { h: 'x' } })) }] }],
  });
  const records = decodeOurs(produceApi, 7, body).topicData[0].partitionData[0].records!;
  return rewriteForLog(records, baseOffset, 3);
}

describe('Fetch codec against kafkajs', () => {
  for (const version of VERSIONS) {
    it(`v${version}: decodes kafkajs's request`, async () => {
      const body = await kafkajsRequestBody('fetch', version, {
        replicaId: -1,
        maxWaitTime: 500,
        minBytes: 1,
        maxBytes: 4096,
        isolationLevel: 1,
        sessionId: 0,
        sessionEpoch: -1,
        forgottenTopics: version >= 7 ? [{ topic: 'gone', partitions: [4, 5] }] : [],
        rackId: 'rack-a',
        topics: [
          { topic: 't', partitions: [{ partition: 2, currentLeaderEpoch: 6, fetchOffset: '41', logStartOffset: '3', maxBytes: 777 }] },
          { topic: 'u', partitions: [{ partition: 0, fetchOffset: '0', maxBytes: 10 }, { partition: 1, fetchOffset: '9', maxBytes: 11 }] },
        ],
      });
      const req = decodeOurs(fetchApi, version, body);
      expect(req).toMatchObject({ replicaId: -1, maxWaitMs: 500, minBytes: 1, maxBytes: 4096, isolationLevel: 1 });
      expect(req.topics.map((t) => t.topic)).toEqual(['t', 'u']);
      expect(req.topics[0].partitions[0]).toMatchObject({
        partition: 2,
        currentLeaderEpoch: version >= 9 ? 6 : -1,
        fetchOffset: 41,
        logStartOffset: version >= 5 ? 3 : -1,
        partitionMaxBytes: 777,
      });
      expect(req.topics[1].partitions.map((p) => [p.partition, p.fetchOffset, p.partitionMaxBytes])).toEqual([[0, 0, 10], [1, 9, 11]]);
      expect(req.sessionEpoch).toBe(-1);
      expect(req.forgottenTopicsData).toMatchObject(version >= 7 ? [{ topic: 'gone', partitions: [4, 5] }] : []);
      expect(req.rackId).toBe(version >= 11 ? 'rack-a' : '');
    });

    it(`v${version}: kafkajs decodes our response into messages with their offsets`, async () => {
      const first = await kafkajsBatch(['a', 'b', 'c'], 40);
      const second = await kafkajsBatch(['d'], 43);
      const res: FetchResponse = {
        throttleTimeMs: 0,
        errorCode: 0,
        sessionId: 0,
        responses: [
          {
            topic: 't',
            topicId: 'AAAAAAAAAAAAAAAAAAAAAA',
            partitions: [
              {
                partitionIndex: 2,
                errorCode: 0,
                highWatermark: 44,
                lastStableOffset: 42,
                logStartOffset: 7,
                abortedTransactions: [{ producerId: 9000, firstOffset: 40 }],
                preferredReadReplica: -1,
                records: [first, second],
              },
              { partitionIndex: 3, errorCode: 0, highWatermark: 0, lastStableOffset: 0, logStartOffset: 0, abortedTransactions: null, preferredReadReplica: -1, records: [] },
            ],
          },
        ],
      };
      const parsed = await kafkajsDecodeResponse('fetch', version, encodeOurs(fetchApi, version, res));
      if (version >= 7) expect(parsed).toMatchObject({ errorCode: 0, sessionId: 0 });
      const [p2, p3] = parsed.responses[0].partitions;
      expect(parsed.responses[0].topicName).toBe('t');
      expect(p2).toMatchObject({ partition: 2, errorCode: 0, highWatermark: '44', lastStableOffset: '42' });
      expect(p2.abortedTransactions).toEqual([{ producerId: '9000', firstOffset: '40' }]);
      // kafkajs names the log start offset "lastStartOffset".
      if (version >= 5) expect(p2.lastStartOffset).toBe('7');
      if (version >= 11) expect(p2.preferredReadReplica).toBe(-1);
      expect(p2.messages.map((m: any) => [m.offset, m.key.toString(), m.value.toString(), m.headers.h.toString()])).toEqual([
        ['40', 'k0', 'a', 'x'],
        ['41', 'k1', 'b', 'x'],
        ['42', 'k2', 'c', 'x'],
        ['43', 'k0', 'd', 'x'],
      ]);
      expect(p3).toMatchObject({ partition: 3, highWatermark: '0', messages: [], abortedTransactions: [] });
    });

    it(`v${version}: an injected error reaches every partition and kafkajs raises it`, async () => {
      const req = decodeOurs(
        fetchApi,
        version,
        await kafkajsRequestBody('fetch', version, {
          replicaId: -1,
          maxWaitTime: 0,
          minBytes: 1,
          maxBytes: 100,
          topics: [{ topic: 't', partitions: [{ partition: 0, fetchOffset: '5', maxBytes: 100 }, { partition: 1, fetchOffset: '0', maxBytes: 100 }] }],
        }),
      );
      const body = encodeOurs(fetchApi, version, fetchApi.withError!(req, null, ErrorCode.OFFSET_OUT_OF_RANGE));
      const decoded = await kafkajsDecodeOnly('fetch', version, body);
      expect(decoded.responses[0].partitions.map((p: any) => [p.partition, p.errorCode, p.highWatermark, p.messages.length])).toEqual([
        [0, ErrorCode.OFFSET_OUT_OF_RANGE, '-1', 0],
        [1, ErrorCode.OFFSET_OUT_OF_RANGE, '-1', 0],
      ]);
      await expect(kafkajsDecodeResponse('fetch', version, body)).rejects.toMatchObject({ name: 'KafkaJSOffsetOutOfRange', partition: 0 });
    });
  }
});
