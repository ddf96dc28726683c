// Transaction codecs (AddPartitionsToTxn, AddOffsetsToTxn, EndTxn, TxnOffsetCommit) against kafkajs's own encoders
// and decoders, for every served version.
import { describe, expect, it } from 'vitest';
import { addPartitionsToTxnApi } from '../../src/sandbox/apis/24-add-partitions-to-txn.js';
import { addOffsetsToTxnApi } from '../../src/sandbox/apis/25-add-offsets-to-txn.js';
import { endTxnApi } from '../../src/sandbox/apis/26-end-txn.js';
import { txnOffsetCommitApi } from '../../src/sandbox/apis/28-txn-offset-commit.js';
import { decodeOurs, encodeOurs, kafkajsDecodeOnly, kafkajsDecodeResponse, kafkajsRequestBody } from '../helpers/oracle.js';

const VERSIONS = [0, 1];
// v1 only changes how clients throttle (KIP-219): kafkajs moves the value to clientSideThrottleTime.
const throttleOf = (decoded: any) => decoded.clientSideThrottleTime ?? decoded.throttleTime;

describe('AddPartitionsToTxn codec', () => {
  for (const version of VERSIONS) {
    it(`v${version}: decodes kafkajs's request and kafkajs decodes our response`, async () => {
      const body = await kafkajsRequestBody('addPartitionsToTxn', version, {
        transactionalId: 'tx-1',
        producerId: '9007199254740000',
        producerEpoch: 3,
        topics: [
          { topic: 'a', partitions: [0, 2] },
          { topic: 'b', partitions: [7] },
        ],
      });
      const req = decodeOurs(addPartitionsToTxnApi, version, body);
      expect(req).toMatchObject({
        v3AndBelowTransactionalId: 'tx-1',
        v3AndBelowProducerId: 9007199254740000,
        v3AndBelowProducerEpoch: 3,
        v3AndBelowTopics: [
          { name: 'a', partitions: [0, 2] },
          { name: 'b', partitions: [7] },
        ],
      });

      const res = encodeOurs(addPartitionsToTxnApi, version, {
        throttleTimeMs: 4,
        resultsByTopicV3AndBelow: [
          { name: 'a', resultsByPartition: [{ partitionIndex: 0, partitionErrorCode: 0 }, { partitionIndex: 2, partitionErrorCode: 0 }] },
          { name: 'b', resultsByPartition: [{ partitionIndex: 7, partitionErrorCode: 0 }] },
        ],
      });
      const parsed = await kafkajsDecodeResponse('addPartitionsToTxn', version, res);
      expect(throttleOf(parsed)).toBe(4);
      expect(parsed.errors).toEqual([
        { topic: 'a', partitionErrors: [{ partition: 0, errorCode: 0 }, { partition: 2, errorCode: 0 }] },
        { topic: 'b', partitionErrors: [{ partition: 7, errorCode: 0 }] },
      ]);

      const failed = encodeOurs(addPartitionsToTxnApi, version, addPartitionsToTxnApi.withError!(req, null, 51));
      expect((await kafkajsDecodeOnly('addPartitionsToTxn', version, failed)).errors[1]).toEqual({
        topic: 'b',
        partitionErrors: [{ partition: 7, errorCode: 51 }],
      });
      await expect(kafkajsDecodeResponse('addPartitionsToTxn', version, failed)).rejects.toMatchObject({ type: 'CONCURRENT_TRANSACTIONS' });
    });
  }
});

describe('AddOffsetsToTxn codec', () => {
  for (const version of VERSIONS) {
    it(`v${version}: decodes kafkajs's request and kafkajs decodes our response`, async () => {
      const body = await kafkajsRequestBody('addOffsetsToTxn', version, {
        transactionalId: 'tx-2',
        producerId: '1001',
        producerEpoch: 0,
        groupId: 'orders-app',
      });
      expect(decodeOurs(addOffsetsToTxnApi, version, body)).toMatchObject({
        transactionalId: 'tx-2',
        producerId: 1001,
        producerEpoch: 0,
        groupId: 'orders-app',
      });

      const parsed = await kafkajsDecodeResponse('addOffsetsToTxn', version, encodeOurs(addOffsetsToTxnApi, version, { throttleTimeMs: 9, errorCode: 0 }));
      expect(parsed).toMatchObject({ errorCode: 0 });
      expect(throttleOf(parsed)).toBe(9);

      const fenced = encodeOurs(addOffsetsToTxnApi, version, addOffsetsToTxnApi.withError!(decodeOurs(addOffsetsToTxnApi, version, body), null, 47));
      await expect(kafkajsDecodeResponse('addOffsetsToTxn', version, fenced)).rejects.toMatchObject({ type: 'INVALID_PRODUCER_EPOCH' });
    });
  }
});

describe('EndTxn codec', () => {
  for (const version of VERSIONS) {
    it(`v${version}: decodes kafkajs's commit and abort and kafkajs decodes our response`, async () => {
      for (const transactionResult of [true, false]) {
        const body = await kafkajsRequestBody('endTxn', version, { transactionalId: 'tx-3', producerId: '77', producerEpoch: 12, transactionResult });
        expect(decodeOurs(endTxnApi, version, body)).toMatchObject({ transactionalId: 'tx-3', producerId: 77, producerEpoch: 12, committed: transactionResult });
      }

      const parsed = await kafkajsDecodeResponse('endTxn', version, encodeOurs(endTxnApi, version, { throttleTimeMs: 2, errorCode: 0 }));
      expect(parsed).toMatchObject({ errorCode: 0 });
      expect(throttleOf(parsed)).toBe(2);

      const invalid = encodeOurs(endTxnApi, version, { throttleTimeMs: 0, errorCode: 48 });
      await expect(kafkajsDecodeResponse('endTxn', version, invalid)).rejects.toMatchObject({ type: 'INVALID_TXN_STATE' });
    });
  }
});

describe('TxnOffsetCommit codec', () => {
  for (const version of VERSIONS) {
    it(`v${version}: decodes kafkajs's request and kafkajs decodes our response`, async () => {
      const body = await kafkajsRequestBody('txnOffsetCommit', version, {
        transactionalId: 'tx-4',
        groupId: 'g-4',
        producerId: '5000',
        producerEpoch: 1,
        topics: [{ topic: 'in', partitions: [{ partition: 0, offset: '42' }, { partition: 3, offset: '9007199254740000', metadata: 'm' }] }],
      });
      const req = decodeOurs(txnOffsetCommitApi, version, body);
      expect(req).toMatchObject({
        transactionalId: 'tx-4',
        groupId: 'g-4',
        producerId: 5000,
        producerEpoch: 1,
        topics: [
          {
            name: 'in',
            partitions: [
              { partitionIndex: 0, committedOffset: 42, committedMetadata: null },
              { partitionIndex: 3, committedOffset: 9007199254740000, committedMetadata: 'm' },
            ],
          },
        ],
      });

      const res = encodeOurs(txnOffsetCommitApi, version, {
        throttleTimeMs: 5,
        topics: [{ name: 'in', partitions: [{ partitionIndex: 0, errorCode: 0 }, { partitionIndex: 3, errorCode: 0 }] }],
      });
      const parsed = await kafkajsDecodeResponse('txnOffsetCommit', version, res);
      expect(throttleOf(parsed)).toBe(5);
      expect(parsed.topics).toEqual([{ topic: 'in', partitions: [{ partition: 0, errorCode: 0 }, { partition: 3, errorCode: 0 }] }]);

      const failed = encodeOurs(txnOffsetCommitApi, version, txnOffsetCommitApi.withError!(req, null, 16));
      expect((await kafkajsDecodeOnly('txnOffsetCommit', version, failed)).topics[0].partitions).toEqual([
        { partition: 0, errorCode: 16 },
        { partition: 3, errorCode: 16 },
      ]);
      await expect(kafkajsDecodeResponse('txnOffsetCommit', version, failed)).rejects.toMatchObject({ type: 'NOT_COORDINATOR_FOR_GROUP' }); // kafkajs's name for 16
    });
  }
});
