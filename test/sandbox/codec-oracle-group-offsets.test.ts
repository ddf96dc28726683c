// Group offsets and group admin codecs (OffsetCommit, OffsetFetch, DescribeGroups, ListGroups) against kafkajs's
// own encoders and decoders, for every served version.
import { describe, expect, it } from 'vitest';
import { offsetCommitApi } from '../../src/sandbox/apis/08-offset-commit.js';
import { offsetFetchApi } from '../../src/sandbox/apis/09-offset-fetch.js';
import { describeGroupsApi } from '../../src/sandbox/apis/15-describe-groups.js';
import { listGroupsApi } from '../../src/sandbox/apis/16-list-groups.js';
import { decodeOurs, encodeOurs, kafkajsDecodeOnly, kafkajsDecodeResponse, kafkajsRequestBody } from '../helpers/oracle.js';

const throttleOf = (decoded: any) => decoded.clientSideThrottleTime ?? decoded.throttleTime;

describe('OffsetCommit codec', () => {
  for (const version of [2, 3, 4, 5]) {
    it(`v${version}: decodes kafkajs's request and kafkajs decodes our response`, async () => {
      const body = await kafkajsRequestBody('offsetCommit', version, {
        groupId: 'g1',
        groupGenerationId: 3,
        memberId: 'm-1',
        retentionTime: 86_400_000,
        topics: [
          { topic: 't', partitions: [{ partition: 0, offset: '42' }, { partition: 5, offset: '9007199254740000', metadata: 'meta' }] },
        ],
      });
      const req = decodeOurs(offsetCommitApi, version, body);
      expect(req).toMatchObject({
        groupId: 'g1',
        generationIdOrMemberEpoch: 3,
        memberId: 'm-1',
        retentionTimeMs: version <= 4 ? 86_400_000 : -1, // v5 dropped the retention time
        topics: [
          {
            name: 't',
            partitions: [
              { partitionIndex: 0, committedOffset: 42, committedMetadata: null },
              { partitionIndex: 5, committedOffset: 9007199254740000, committedMetadata: 'meta' },
            ],
          },
        ],
      });

      const res = encodeOurs(offsetCommitApi, version, {
        throttleTimeMs: 6,
        topics: [{ name: 't', partitions: [{ partitionIndex: 0, errorCode: 0 }, { partitionIndex: 5, errorCode: 0 }] }],
      });
      const parsed = await kafkajsDecodeResponse('offsetCommit', version, res);
      expect(parsed.responses).toEqual([{ topic: 't', partitions: [{ partition: 0, errorCode: 0 }, { partition: 5, errorCode: 0 }] }]);
      if (version >= 3) expect(throttleOf(parsed)).toBe(6);

      const failed = encodeOurs(offsetCommitApi, version, offsetCommitApi.withError!(req, null, 27));
      expect((await kafkajsDecodeOnly('offsetCommit', version, failed)).responses[0].partitions).toEqual([
        { partition: 0, errorCode: 27 },
        { partition: 5, errorCode: 27 },
      ]);
      await expect(kafkajsDecodeResponse('offsetCommit', version, failed)).rejects.toMatchObject({ type: 'REBALANCE_IN_PROGRESS' });
    });
  }
});

describe('OffsetFetch codec', () => {
  for (const version of [1, 2, 3, 4]) {
    it(`v${version}: decodes kafkajs's request and kafkajs decodes our response`, async () => {
      const body = await kafkajsRequestBody('offsetFetch', version, {
        groupId: 'g1',
        topics: [{ topic: 't', partitions: [{ partition: 0 }, { partition: 1 }] }],
      });
      const req = decodeOurs(offsetFetchApi, version, body);
      expect(req).toMatchObject({ groupId: 'g1', topics: [{ name: 't', partitionIndexes: [0, 1] }] });

      const res = encodeOurs(offsetFetchApi, version, {
        throttleTimeMs: 8,
        errorCode: 0,
        topics: [
          {
            name: 't',
            partitions: [
              { partitionIndex: 0, committedOffset: 17, metadata: 'm', errorCode: 0 },
              { partitionIndex: 1, committedOffset: -1, metadata: '', errorCode: 0 },
            ],
          },
        ],
      });
      const parsed = await kafkajsDecodeResponse('offsetFetch', version, res);
      expect(parsed.responses).toEqual([
        {
          topic: 't',
          partitions: [
            { partition: 0, offset: '17', metadata: 'm', errorCode: 0 },
            { partition: 1, offset: '-1', metadata: '', errorCode: 0 },
          ],
        },
      ]);
      if (version >= 3) expect(throttleOf(parsed)).toBe(8);

      // A group-level error reaches kafkajs on every version: top-level from v2, per partition in v1.
      const failed = encodeOurs(offsetFetchApi, version, offsetFetchApi.withError!(req, null, 16));
      await expect(kafkajsDecodeResponse('offsetFetch', version, failed)).rejects.toMatchObject({ type: 'NOT_COORDINATOR_FOR_GROUP' });
      if (version >= 2) expect((await kafkajsDecodeOnly('offsetFetch', version, failed)).errorCode).toBe(16);
    });
  }

  for (const version of [3, 4]) {
    it(`v${version}: no topics from kafkajs arrives as null, meaning every committed offset`, async () => {
      const req = decodeOurs(offsetFetchApi, version, await kafkajsRequestBody('offsetFetch', version, { groupId: 'g1', topics: [] }));
      expect(req.topics).toBeNull();
    });
  }
});

describe('DescribeGroups codec', () => {
  for (const version of [0, 1, 2]) {
    it(`v${version}: decodes kafkajs's request and kafkajs decodes our response`, async () => {
      const req = decodeOurs(describeGroupsApi, version, await kafkajsRequestBody('describeGroups', version, { groupIds: ['g1', 'g2'] }));
      expect(req).toMatchObject({ groups: ['g1', 'g2'] });

      const res = encodeOurs(describeGroupsApi, version, {
        throttleTimeMs: 9,
        groups: [
          {
            errorCode: 0,
            groupId: 'g1',
            groupState: 'Stable',
            protocolType: 'consumer',
            protocolData: 'RoundRobinAssigner',
            members: [
              { memberId: 'm-1', groupInstanceId: null, clientId: 'app', clientHost: '/127.0.0.1', memberMetadata: Buffer.from([1]), memberAssignment: Buffer.from([2, 3]) },
            ],
          },
          { errorCode: 0, groupId: 'g2', groupState: 'Dead', protocolType: '', protocolData: '', members: [] },
        ],
      });
      const parsed = await kafkajsDecodeResponse('describeGroups', version, res);
      expect(parsed.groups[0]).toMatchObject({ errorCode: 0, groupId: 'g1', state: 'Stable', protocolType: 'consumer', protocol: 'RoundRobinAssigner' });
      expect(parsed.groups[0].members[0]).toMatchObject({ memberId: 'm-1', clientId: 'app', clientHost: '/127.0.0.1' });
      expect([...parsed.groups[0].members[0].memberMetadata]).toEqual([1]);
      expect([...parsed.groups[0].members[0].memberAssignment]).toEqual([2, 3]);
      expect(parsed.groups[1]).toMatchObject({ groupId: 'g2', state: 'Dead', members: [] });
      if (version >= 1) expect(throttleOf(parsed)).toBe(9);

      const failed = encodeOurs(describeGroupsApi, version, describeGroupsApi.withError!(req, null, 16));
      await expect(kafkajsDecodeResponse('describeGroups', version, failed)).rejects.toMatchObject({ type: 'NOT_COORDINATOR_FOR_GROUP' });
    });
  }
});

describe('ListGroups codec', () => {
  for (const version of [0, 1, 2]) {
    it(`v${version}: decodes kafkajs's request and kafkajs decodes our response`, async () => {
      expect(decodeOurs(listGroupsApi, version, await kafkajsRequestBody('listGroups', version, {}))).toMatchObject({});

      const res = encodeOurs(listGroupsApi, version, {
        throttleTimeMs: 10,
        errorCode: 0,
        groups: [
          { groupId: 'g1', protocolType: 'consumer' },
          { groupId: 'offsets-only', protocolType: '' },
        ],
      });
      const parsed = await kafkajsDecodeResponse('listGroups', version, res);
      expect(parsed.groups).toEqual([
        { groupId: 'g1', protocolType: 'consumer' },
        { groupId: 'offsets-only', protocolType: '' },
      ]);
      if (version >= 1) expect(throttleOf(parsed)).toBe(10);

      const failed = encodeOurs(listGroupsApi, version, listGroupsApi.withError!({ statesFilter: [], typesFilter: [] }, null, 15));
      await expect(kafkajsDecodeResponse('listGroups', version, failed)).rejects.toMatchObject({ type: 'GROUP_COORDINATOR_NOT_AVAILABLE' });
    });
  }
});
