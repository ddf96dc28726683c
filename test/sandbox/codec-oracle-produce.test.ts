// Example of the oracle pattern for one API; each API's codec test follows it.
import { describe, expect, it } from 'vitest';
import { produceApi } from '../../src/sandbox/apis/00-produce.js';
import { decodeOurs, encodeOurs, kafkajsDecodeResponse, kafkajsRequestBody } from '../helpers/oracle.js';

describe('Produce codec against kafkajs', () => {
  for (const version of [3, 4, 5, 6, 7]) {
    it(`v${version}: decodes kafkajs's request and kafkajs decodes our response`, async () => {
      const body = await kafkajsRequestBody('produce', version, {
        acks: -1,
        timeout: 1234,
        transactionalId: 'tx',
        producerId: 7,
        producerEpoch: 1,
        compression: 0,
        topicData: [{ topic: 't', partitions: [{ partition: 2, firstSequence: 0, messages: [{ key: 'k', value: 'v' }] }] }],
      });
      const req = decodeOurs(produceApi, version, body);
      expect(req.acks).toBe(-1);
      expect(req.timeoutMs).toBe(1234);
      expect(req.transactionalId).toBe('tx');
      expect(req.topicData[0].name).toBe('t');
      expect(req.topicData[0].partitionData[0].index).toBe(2);
      expect(req.topicData[0].partitionData[0].records!.readInt8(16)).toBe(2); // magic 2 record batch

      const res = encodeOurs(produceApi, version, {
        responses: [{ name: 't', partitionResponses: [{ index: 2, errorCode: 0, baseOffset: 41, logAppendTimeMs: -1, logStartOffset: 3 }] }],
        throttleTimeMs: 0,
      });
      const parsed = await kafkajsDecodeResponse('produce', version, res);
      expect(parsed.topics[0].topicName).toBe('t');
      expect(parsed.topics[0].partitions[0]).toMatchObject({ partition: 2, errorCode: 0, baseOffset: '41' });
      if (version >= 5) expect(parsed.topics[0].partitions[0].logStartOffset).toBe('3');
    });
  }
});
