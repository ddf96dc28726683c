// ListOffsets codec against kafkajs, v0-3 (what kafkajs has).
import { describe, expect, it } from 'vitest';
import { listOffsetsApi } from '../../src/sandbox/apis/02-list-offsets.js';
import { ErrorCode } from '../../src/wire/error-codes.js';
import { decodeOurs, encodeOurs, kafkajsDecodeOnly, kafkajsDecodeResponse, kafkajsRequestBody } from '../helpers/oracle.js';

describe('ListOffsets codec against kafkajs', () => {
  for (const version of [0, 1, 2, 3]) {
    it(`v${version}: decodes kafkajs's request and kafkajs decodes our response`, async () => {
      const body = await kafkajsRequestBody('listOffsets', version, {
        replicaId: -1,
        isolationLevel: 1,
        topics: [
          { topic: 't', partitions: [{ partition: 0, timestamp: -1 }, { partition: 1, timestamp: -2 }] },
          { topic: 'u', partitions: [{ partition: 4, timestamp: 1700000000123 }] },
        ],
      });
      const req = decodeOurs(listOffsetsApi, version, body);
      expect(req.replicaId).toBe(-1);
      // v1 has no isolation level: it reads uncommitted.
      expect(req.isolationLevel).toBe(version >= 2 ? 1 : 0);
      expect(req.topics).toMatchObject([
        { name: 't', partitions: [{ partitionIndex: 0, timestamp: -1 }, { partitionIndex: 1, timestamp: -2 }] },
        { name: 'u', partitions: [{ partitionIndex: 4, timestamp: 1700000000123 }] },
      ]);

      const res = encodeOurs(listOffsetsApi, version, {
        throttleTimeMs: 0,
        topics: [
          {
            name: 't',
            partitions: [
              { partitionIndex: 0, errorCode: 0, oldStyleOffsets: [42], timestamp: -1, offset: 42, leaderEpoch: -1 },
              { partitionIndex: 1, errorCode: 0, oldStyleOffsets: [7], timestamp: -1, offset: 7, leaderEpoch: -1 },
            ],
          },
          { name: 'u', partitions: [{ partitionIndex: 4, errorCode: 0, oldStyleOffsets: [13], timestamp: 1700000000200, offset: 13, leaderEpoch: -1 }] },
        ],
      });
      const parsed = await kafkajsDecodeResponse('listOffsets', version, res);
      // v0 answers with a list of offsets and no timestamp.
      const p = (partition: number, timestamp: string, offset: string) =>
        version === 0 ? { partition, errorCode: 0, offsets: [offset] } : { partition, errorCode: 0, timestamp, offset };
      expect(parsed.responses).toEqual([
        { topic: 't', partitions: [p(0, '-1', '42'), p(1, '-1', '7')] },
        { topic: 'u', partitions: [p(4, '1700000000200', '13')] },
      ]);
    });

    it(`v${version}: an injected error reaches every partition and kafkajs raises it`, async () => {
      const req = decodeOurs(
        listOffsetsApi,
        version,
        await kafkajsRequestBody('listOffsets', version, { replicaId: -1, isolationLevel: 0, topics: [{ topic: 't', partitions: [{ partition: 0 }, { partition: 1 }] }] }),
      );
      const body = encodeOurs(listOffsetsApi, version, listOffsetsApi.withError!(req, null, ErrorCode.NOT_LEADER_OR_FOLLOWER));
      const decoded = await kafkajsDecodeOnly('listOffsets', version, body);
      const none = version === 0 ? [] : '-1';
      expect(decoded.responses[0].partitions.map((p: any) => [p.partition, p.errorCode, p.offset ?? p.offsets])).toEqual([
        [0, ErrorCode.NOT_LEADER_OR_FOLLOWER, none],
        [1, ErrorCode.NOT_LEADER_OR_FOLLOWER, none],
      ]);
      await expect(kafkajsDecodeResponse('listOffsets', version, body)).rejects.toMatchObject({ type: 'NOT_LEADER_FOR_PARTITION' });
    });
  }
});
