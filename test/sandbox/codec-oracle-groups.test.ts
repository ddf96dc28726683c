// Group membership codecs (FindCoordinator, JoinGroup, SyncGroup, Heartbeat, LeaveGroup) against kafkajs's own
// encoders and decoders, for every served version.
import { describe, expect, it } from 'vitest';
import { findCoordinatorApi } from '../../src/sandbox/apis/10-find-coordinator.js';
import { joinGroupApi } from '../../src/sandbox/apis/11-join-group.js';
import { heartbeatApi } from '../../src/sandbox/apis/12-heartbeat.js';
import { leaveGroupApi } from '../../src/sandbox/apis/13-leave-group.js';
import { syncGroupApi } from '../../src/sandbox/apis/14-sync-group.js';
import { decodeOurs, encodeOurs, kafkajsDecodeOnly, kafkajsDecodeResponse, kafkajsRequestBody } from '../helpers/oracle.js';

const throttleOf = (decoded: any) => decoded.clientSideThrottleTime ?? decoded.throttleTime;

describe('FindCoordinator codec', () => {
  for (const version of [0, 1, 2]) {
    it(`v${version}: decodes kafkajs's request and kafkajs decodes our response`, async () => {
      const args = version === 0 ? { groupId: 'g1' } : { coordinatorKey: 'tx-1', coordinatorType: 1 };
      const req = decodeOurs(findCoordinatorApi, version, await kafkajsRequestBody('findCoordinator', version, args));
      expect(req).toMatchObject(version === 0 ? { key: 'g1', keyType: 0 } : { key: 'tx-1', keyType: 1 });

      const ok = encodeOurs(findCoordinatorApi, version, {
        throttleTimeMs: 5,
        errorCode: 0,
        errorMessage: null,
        nodeId: 2,
        host: '127.0.0.1',
        port: 9093,
      });
      const parsed = await kafkajsDecodeResponse('findCoordinator', version, ok);
      expect(parsed.coordinator).toEqual({ nodeId: 2, host: '127.0.0.1', port: 9093 });
      if (version >= 1) expect(throttleOf(parsed)).toBe(5);

      const failed = encodeOurs(findCoordinatorApi, version, findCoordinatorApi.withError!(req, null, 15));
      await expect(kafkajsDecodeResponse('findCoordinator', version, failed)).rejects.toMatchObject({ type: 'GROUP_COORDINATOR_NOT_AVAILABLE' });
      if (version >= 1) expect((await kafkajsDecodeOnly('findCoordinator', version, failed)).errorMessage).toBe('The coordinator is not available.');
    });
  }
});

describe('JoinGroup codec', () => {
  for (const version of [0, 1, 2, 3, 4, 5]) {
    it(`v${version}: decodes kafkajs's request and kafkajs decodes our response`, async () => {
      const body = await kafkajsRequestBody('joinGroup', version, {
        groupId: 'g1',
        sessionTimeout: 30000,
        rebalanceTimeout: 60000,
        memberId: 'm-1',
        protocolType: 'consumer',
        groupProtocols: [
          { name: 'RoundRobinAssigner', metadata: Buffer.from([0, 1, 2]) },
          { name: 'range', metadata: Buffer.from('sub') },
        ],
      });
      const req = decodeOurs(joinGroupApi, version, body);
      expect(req).toMatchObject({
        groupId: 'g1',
        sessionTimeoutMs: 30000,
        rebalanceTimeoutMs: version === 0 ? -1 : 60000, // v0 has none: the handler uses the session timeout
        memberId: 'm-1',
        groupInstanceId: null,
        protocolType: 'consumer',
        protocols: [
          { name: 'RoundRobinAssigner', metadata: Buffer.from([0, 1, 2]) },
          { name: 'range', metadata: Buffer.from('sub') },
        ],
      });

      const res = encodeOurs(joinGroupApi, version, {
        throttleTimeMs: 3,
        errorCode: 0,
        generationId: 4,
        protocolName: 'RoundRobinAssigner',
        leader: 'm-1',
        memberId: 'm-1',
        members: [
          { memberId: 'm-1', groupInstanceId: null, metadata: Buffer.from([9, 8]) },
          { memberId: 'm-2', groupInstanceId: 'static-2', metadata: Buffer.alloc(0) },
        ],
      });
      const parsed = await kafkajsDecodeResponse('joinGroup', version, res);
      expect(parsed).toMatchObject({ errorCode: 0, generationId: 4, groupProtocol: 'RoundRobinAssigner', leaderId: 'm-1', memberId: 'm-1' });
      expect(parsed.members.map((m: any) => [m.memberId, [...m.memberMetadata]])).toEqual([
        ['m-1', [9, 8]],
        ['m-2', []],
      ]);
      if (version >= 5) expect(parsed.members[1].groupInstanceId).toBe('static-2');
      if (version >= 2) expect(throttleOf(parsed)).toBe(3);
    });
  }

  for (const version of [4, 5]) {
    it(`v${version}: MEMBER_ID_REQUIRED carries the member id kafkajs rejoins with`, async () => {
      const req = decodeOurs(
        joinGroupApi,
        version,
        await kafkajsRequestBody('joinGroup', version, {
          groupId: 'g1',
          sessionTimeout: 30000,
          rebalanceTimeout: 60000,
          memberId: '',
          protocolType: 'consumer',
          groupProtocols: [{ name: 'RoundRobinAssigner' }],
        }),
      );
      const res = encodeOurs(joinGroupApi, version, { ...joinGroupApi.withError!(req, null, 79), memberId: 'test-5f1c' });
      await expect(kafkajsDecodeResponse('joinGroup', version, res)).rejects.toMatchObject({
        name: 'KafkaJSMemberIdRequired',
        memberId: 'test-5f1c',
      });
    });
  }
});

describe('SyncGroup codec', () => {
  for (const version of [0, 1, 2, 3]) {
    it(`v${version}: decodes kafkajs's request and kafkajs decodes our response`, async () => {
      const body = await kafkajsRequestBody('syncGroup', version, {
        groupId: 'g1',
        generationId: 7,
        memberId: 'm-1',
        groupAssignment: [
          { memberId: 'm-1', memberAssignment: Buffer.from([1, 2, 3]) },
          { memberId: 'm-2', memberAssignment: Buffer.alloc(0) },
        ],
      });
      const req = decodeOurs(syncGroupApi, version, body);
      expect(req).toMatchObject({
        groupId: 'g1',
        generationId: 7,
        memberId: 'm-1',
        groupInstanceId: null,
        assignments: [
          { memberId: 'm-1', assignment: Buffer.from([1, 2, 3]) },
          { memberId: 'm-2', assignment: Buffer.alloc(0) },
        ],
      });

      const res = encodeOurs(syncGroupApi, version, { throttleTimeMs: 2, errorCode: 0, assignment: Buffer.from([4, 5]) });
      const parsed = await kafkajsDecodeResponse('syncGroup', version, res);
      expect([...parsed.memberAssignment]).toEqual([4, 5]);
      if (version >= 1) expect(throttleOf(parsed)).toBe(2);

      const failed = encodeOurs(syncGroupApi, version, syncGroupApi.withError!(req, null, 27));
      await expect(kafkajsDecodeResponse('syncGroup', version, failed)).rejects.toMatchObject({ type: 'REBALANCE_IN_PROGRESS' });
    });
  }
});

describe('Heartbeat codec', () => {
  for (const version of [0, 1, 2, 3]) {
    it(`v${version}: decodes kafkajs's request and kafkajs decodes our response`, async () => {
      const body = await kafkajsRequestBody('heartbeat', version, { groupId: 'g1', groupGenerationId: 3, memberId: 'm-1', groupInstanceId: null });
      const req = decodeOurs(heartbeatApi, version, body);
      expect(req).toMatchObject({ groupId: 'g1', generationId: 3, memberId: 'm-1', groupInstanceId: null });

      const ok = await kafkajsDecodeResponse('heartbeat', version, encodeOurs(heartbeatApi, version, { throttleTimeMs: 1, errorCode: 0 }));
      expect(ok.errorCode).toBe(0);
      if (version >= 1) expect(throttleOf(ok)).toBe(1);
      const failed = encodeOurs(heartbeatApi, version, heartbeatApi.withError!(req, null, 22));
      await expect(kafkajsDecodeResponse('heartbeat', version, failed)).rejects.toMatchObject({ type: 'ILLEGAL_GENERATION' });
    });
  }
});

describe('LeaveGroup codec', () => {
  for (const version of [0, 1, 2, 3]) {
    it(`v${version}: decodes kafkajs's request and kafkajs decodes our response`, async () => {
      const args = version < 3 ? { groupId: 'g1', memberId: 'm-1' } : { groupId: 'g1', members: [{ memberId: 'm-1' }, { memberId: 'm-2', groupInstanceId: 'i-2' }] };
      const req = decodeOurs(leaveGroupApi, version, await kafkajsRequestBody('leaveGroup', version, args));
      expect(req.groupId).toBe('g1');
      if (version < 3) expect(req.memberId).toBe('m-1');
      else expect(req.members).toMatchObject(
          [
              { memberId: 'm-1', groupInstanceId: null },
              { memberId: 'm-2', groupInstanceId: 'i-2' },
            ],
      );

      const res = encodeOurs(leaveGroupApi, version, {
        throttleTimeMs: 4,
        errorCode: 0,
        members: [
          { memberId: 'm-1', groupInstanceId: null, errorCode: 0 },
          { memberId: 'm-2', groupInstanceId: 'i-2', errorCode: 0 },
        ],
      });
      const decoded = await kafkajsDecodeOnly('leaveGroup', version, res);
      expect(decoded.errorCode).toBe(0);
      if (version >= 1) expect(throttleOf(decoded)).toBe(4);
      if (version >= 3) expect(decoded.members).toEqual([
        { memberId: 'm-1', groupInstanceId: null, errorCode: 0 },
        { memberId: 'm-2', groupInstanceId: 'i-2', errorCode: 0 },
      ]);

      // v3 reports an unknown member in its entry; kafkajs turns either form into the error.
      const unknown =
        version < 3
          ? { throttleTimeMs: 0, errorCode: 25, members: [] }
          : { throttleTimeMs: 0, errorCode: 0, members: [{ memberId: 'm-1', groupInstanceId: null, errorCode: 25 }] };
      await expect(kafkajsDecodeResponse('leaveGroup', version, encodeOurs(leaveGroupApi, version, unknown))).rejects.toMatchObject({
        type: 'UNKNOWN_MEMBER_ID',
      });
    });
  }
});
