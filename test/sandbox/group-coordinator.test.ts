// The group state machine and coordinator on a manual clock: what a client sees from JoinGroup, SyncGroup,
// Heartbeat, OffsetCommit and OffsetFetch as members come, go silent, or ask the wrong broker.
import { describe, expect, it } from 'vitest';
import { Cluster } from '../../src/sandbox/cluster/cluster.js';
import type { Clock } from '../../src/wire/clock.js';
import { stopBroker } from '../../src/sandbox/cluster/broker-lifecycle.js';
import type { JoinArgs } from '../../src/sandbox/groups/group.js';
import { GroupCoordinator } from '../../src/sandbox/groups/group-coordinator.js';
import { ErrorCode } from '../../src/wire/error-codes.js';

class ManualClock implements Clock {
  private t = 0;
  private timers = new Map<number, { at: number; fn: () => void }>();
  private nextId = 1;
  now(): number {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { at: this.t + ms, fn });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      const next = [...this.timers.entries()].filter(([, x]) => x.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!next) break;
      this.timers.delete(next[0]);
      this.t = next[1].at;
      next[1].fn();
    }
    this.t = end;
  }
}

/** The state machine without group.initial.rebalance.delay.ms (Kafka's 3000 is tested on its own below). */
function setup(groupInitialRebalanceDelayMs = 0) {
  const clock = new ManualClock();
  const cluster = new Cluster({ brokerIds: [1, 2, 3], clock, groupInitialRebalanceDelayMs });
  cluster.createTopic('t', 4, 3);
  const groups = new GroupCoordinator(cluster);
  const coordinator = cluster.coordinatorFor('g');
  return { clock, cluster, groups, coordinator };
}

function joinArgs(memberId: string, over: Partial<JoinArgs> = {}): JoinArgs {
  return {
    memberId,
    groupInstanceId: null,
    clientId: 'app',
    clientHost: '/127.0.0.1',
    sessionTimeoutMs: 10_000,
    rebalanceTimeoutMs: 30_000,
    protocolType: 'consumer',
    protocols: [{ name: 'range', metadata: Buffer.from(memberId || 'new') }],
    requireKnownMemberId: false,
    ...over,
  };
}

/** Lets parked requests that completed synchronously settle. */
const tick = () => new Promise((r) => setImmediate(r));

describe('group coordinator', () => {
  it('the first rebalance waits group.initial.rebalance.delay.ms (Kafka: 3000), longer while members keep joining', async () => {
    const { clock, groups, coordinator } = setup(3000);
    const results: Awaited<ReturnType<typeof groups.join>>[] = [];
    void groups.join(coordinator, 'g', joinArgs('')).then((r) => results.push(r));
    clock.advance(2000);
    await tick();
    expect(results).toHaveLength(0);
    void groups.join(coordinator, 'g', joinArgs('')).then((r) => results.push(r));
    clock.advance(1000); // the first delay ends, but a member arrived during it: one more delay
    await tick();
    expect(results).toHaveLength(0);
    clock.advance(3000);
    await tick();
    expect(results.map((r) => [r.errorCode, r.generationId])).toEqual([[0, 1], [0, 1]]);
    // Later rebalances (not from Empty) do not wait: a rejoin of every member completes at once.
    const [a, b] = results;
    void groups.sync(coordinator, 'g', b.memberId, 1, new Map());
    await groups.sync(coordinator, 'g', a.memberId, 1, new Map());
    const third = groups.join(coordinator, 'g', joinArgs(''));
    const rejoinA = groups.join(coordinator, 'g', joinArgs(a.memberId));
    const rejoinB = groups.join(coordinator, 'g', joinArgs(b.memberId));
    await tick();
    expect((await Promise.all([third, rejoinA, rejoinB])).map((r) => r.generationId)).toEqual([2, 2, 2]);
  });

  it('v4+ first join gets MEMBER_ID_REQUIRED with an id that then joins as leader', async () => {
    const { groups, coordinator } = setup();
    const first = await groups.join(coordinator, 'g', joinArgs('', { requireKnownMemberId: true }));
    expect(first.errorCode).toBe(ErrorCode.MEMBER_ID_REQUIRED);
    expect(first.memberId).toMatch(/^app-/);
    const joined = await groups.join(coordinator, 'g', joinArgs(first.memberId, { requireKnownMemberId: true }));
    expect(joined).toMatchObject({ errorCode: 0, generationId: 1, leaderId: first.memberId, memberId: first.memberId, protocolName: 'range' });
    expect(joined.members.map((m) => m.memberId)).toEqual([first.memberId]);
  });

  it('a second member rebalances the group: the first learns it from its heartbeat and both get the new generation', async () => {
    const { groups, coordinator } = setup();
    const a = await groups.join(coordinator, 'g', joinArgs(''));
    const assignA = Buffer.from('A-all');
    expect((await groups.sync(coordinator, 'g', a.memberId, 1, new Map([[a.memberId, assignA]]))).assignment).toEqual(assignA);

    let bResult: Awaited<ReturnType<typeof groups.join>> | undefined;
    void groups.join(coordinator, 'g', joinArgs('')).then((r) => (bResult = r));
    await tick();
    expect(bResult).toBeUndefined(); // parked until A rejoins
    expect(groups.heartbeat(coordinator, 'g', a.memberId, 1)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    // A may still commit for generation 1 before it rejoins.
    expect(groups.commitOffsets(coordinator, 'g', a.memberId, 1, [{ name: 't', partitions: [{ index: 0, offset: 5, metadata: null }] }])[0].partitions[0].errorCode).toBe(0);

    const a2 = await groups.join(coordinator, 'g', joinArgs(a.memberId));
    await tick();
    expect(a2.generationId).toBe(2);
    expect(a2.leaderId).toBe(a.memberId); // leader = first member
    expect(a2.members.map((m) => [m.memberId, m.metadata.toString()])).toEqual([
      [a.memberId, a.memberId],
      [bResult!.memberId, 'new'],
    ]);
    expect(bResult).toMatchObject({ errorCode: 0, generationId: 2, members: [] }); // followers get no member list

    // Between join and sync: commits are refused, heartbeats are fine.
    const commit = groups.commitOffsets(coordinator, 'g', a.memberId, 2, [{ name: 't', partitions: [{ index: 0, offset: 6, metadata: null }] }]);
    expect(commit[0].partitions[0].errorCode).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    expect(groups.heartbeat(coordinator, 'g', bResult!.memberId, 2)).toBe(0);
    expect(groups.heartbeat(coordinator, 'g', bResult!.memberId, 1)).toBe(ErrorCode.ILLEGAL_GENERATION);

    const followerSync = groups.sync(coordinator, 'g', bResult!.memberId, 2, new Map());
    const leaderSync = groups.sync(coordinator, 'g', a.memberId, 2, new Map([[a.memberId, Buffer.from('A')], [bResult!.memberId, Buffer.from('B')]]));
    expect((await followerSync).assignment.toString()).toBe('B');
    expect((await leaderSync).assignment.toString()).toBe('A');
    expect(groups.group('g')!.state).toBe('Stable');
  });

  it('a member whose session expires is removed and the group rebalances without it', async () => {
    const { clock, groups, coordinator } = setup();
    const a = await groups.join(coordinator, 'g', joinArgs(''));
    await groups.sync(coordinator, 'g', a.memberId, 1, new Map());
    const b = groups.join(coordinator, 'g', joinArgs('', { sessionTimeoutMs: 6000 }));
    await groups.join(coordinator, 'g', joinArgs(a.memberId));
    const bId = (await b).memberId;
    await Promise.all([groups.sync(coordinator, 'g', a.memberId, 2, new Map()), groups.sync(coordinator, 'g', bId, 2, new Map())]);

    // A keeps heartbeating; B goes silent past its 6 s session.
    for (let i = 0; i < 2; i++) {
      clock.advance(2000);
      expect(groups.heartbeat(coordinator, 'g', a.memberId, 2)).toBe(0);
    }
    expect(groups.group('g')!.members.has(bId)).toBe(true);
    clock.advance(2500);
    expect(groups.group('g')!.members.has(bId)).toBe(false);
    expect(groups.heartbeat(coordinator, 'g', a.memberId, 2)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    expect(groups.heartbeat(coordinator, 'g', bId, 2)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    const rejoined = await groups.join(coordinator, 'g', joinArgs(a.memberId));
    expect(rejoined).toMatchObject({ errorCode: 0, generationId: 3, leaderId: a.memberId });
    expect(rejoined.members.map((m) => m.memberId)).toEqual([a.memberId]);
  });

  it('members that do not rejoin within the rebalance timeout are dropped from the new generation', async () => {
    const { clock, groups, coordinator } = setup();
    const a = await groups.join(coordinator, 'g', joinArgs('', { rebalanceTimeoutMs: 5000 }));
    const b = groups.join(coordinator, 'g', joinArgs('', { rebalanceTimeoutMs: 5000 }));
    await groups.join(coordinator, 'g', joinArgs(a.memberId, { rebalanceTimeoutMs: 5000 }));
    const bId = (await b).memberId;
    await Promise.all([groups.sync(coordinator, 'g', a.memberId, 2, new Map()), groups.sync(coordinator, 'g', bId, 2, new Map())]);

    // C joins; A rejoins, B keeps heartbeating but never rejoins (heartbeats do not count as rejoining).
    const c = groups.join(coordinator, 'g', joinArgs('', { rebalanceTimeoutMs: 5000 }));
    const a3 = groups.join(coordinator, 'g', joinArgs(a.memberId, { rebalanceTimeoutMs: 5000 }));
    clock.advance(4000);
    expect(groups.heartbeat(coordinator, 'g', bId, 2)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    clock.advance(1000);
    const [a3r, cr] = [await a3, await c];
    expect(a3r.generationId).toBe(3);
    expect(a3r.members.map((m) => m.memberId)).toEqual([a.memberId, cr.memberId]);
    expect(groups.heartbeat(coordinator, 'g', bId, 3)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it('the last member leaving empties the group; its committed offsets stay', async () => {
    const { groups, coordinator } = setup();
    const a = await groups.join(coordinator, 'g', joinArgs(''));
    await groups.sync(coordinator, 'g', a.memberId, 1, new Map());
    groups.commitOffsets(coordinator, 'g', a.memberId, 1, [{ name: 't', partitions: [{ index: 3, offset: 42, metadata: 'note' }] }]);
    expect(groups.leave(coordinator, 'g', a.memberId)).toBe(0);
    expect(groups.group('g')!.state).toBe('Empty');
    expect(groups.leave(coordinator, 'g', a.memberId)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(groups.fetchOffsets(coordinator, 'g', [{ name: 't', partitions: [3, 1] }])).toEqual({
      errorCode: 0,
      topics: [{ name: 't', partitions: [{ index: 3, offset: 42, metadata: 'note', errorCode: 0 }, { index: 1, offset: -1, metadata: '', errorCode: 0 }] }],
    });
    expect(groups.fetchOffsets(coordinator, 'g', null).topics).toEqual([{ name: 't', partitions: [{ index: 3, offset: 42, metadata: 'note', errorCode: 0 }] }]);
  });

  it('a simple commit (generation -1, no member id) is accepted for an unknown or Empty group only', async () => {
    const { groups, coordinator } = setup();
    const commit = (memberId: string, generation: number) =>
      groups.commitOffsets(coordinator, 'g', memberId, generation, [{ name: 't', partitions: [{ index: 0, offset: 9, metadata: null }, { index: 99, offset: 1, metadata: null }] }])[0].partitions;
    expect(commit('', -1)).toEqual([{ index: 0, errorCode: 0 }, { index: 99, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION }]);
    expect(groups.list(coordinator)).toEqual([{ groupId: 'g', protocolType: '' }]);

    const a = await groups.join(coordinator, 'g', joinArgs(''));
    expect(commit('', -1)[0].errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(commit('someone-else', 1)[0].errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(commit(a.memberId, 7)[0].errorCode).toBe(ErrorCode.ILLEGAL_GENERATION);
  });

  it('a member must share a protocol with the group', async () => {
    const { groups, coordinator } = setup();
    await groups.join(coordinator, 'g', joinArgs('', { protocols: [{ name: 'range', metadata: Buffer.alloc(0) }, { name: 'roundrobin', metadata: Buffer.alloc(0) }] }));
    const other = await groups.join(coordinator, 'g', joinArgs('', { protocols: [{ name: 'sticky', metadata: Buffer.alloc(0) }] }));
    expect(other.errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    const wrongType = await groups.join(coordinator, 'g', joinArgs('', { protocolType: 'connect' }));
    expect(wrongType.errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    expect(groups.group('g')!.members.size).toBe(1);
  });

  it('the group uses the protocol most members prefer among those every member supports', async () => {
    const { groups, coordinator } = setup();
    const protocols = (...names: string[]) => ({ protocols: names.map((name) => ({ name, metadata: Buffer.from(name) })) });
    const a = groups.join(coordinator, 'g', joinArgs('', protocols('range', 'roundrobin', 'sticky')));
    const first = await a;
    const b = groups.join(coordinator, 'g', joinArgs('', protocols('roundrobin', 'range')));
    const c = groups.join(coordinator, 'g', joinArgs('', protocols('sticky', 'roundrobin', 'range')));
    const leader = await groups.join(coordinator, 'g', joinArgs(first.memberId, protocols('range', 'roundrobin', 'sticky')));
    await Promise.all([b, c]);
    // b lacks sticky, so c votes for its next choice: roundrobin (b, c) beats range (a).
    expect(leader.protocolName).toBe('roundrobin');
    expect(leader.members.map((m) => m.metadata.toString())).toEqual(['roundrobin', 'roundrobin', 'roundrobin']);
  });

  it('requests on a broker that is not the coordinator get NOT_COORDINATOR; the group moves with the coordinator', async () => {
    const { cluster, groups, coordinator } = setup();
    const elsewhere = [1, 2, 3].find((id) => id !== coordinator)!;
    expect((await groups.join(elsewhere, 'g', joinArgs(''))).errorCode).toBe(ErrorCode.NOT_COORDINATOR);
    expect(groups.fetchOffsets(elsewhere, 'g', null).errorCode).toBe(ErrorCode.NOT_COORDINATOR);

    const a = await groups.join(coordinator, 'g', joinArgs(''));
    await groups.sync(coordinator, 'g', a.memberId, 1, new Map());
    stopBroker(cluster, coordinator);
    const next = cluster.coordinatorFor('g');
    expect(next).not.toBe(coordinator);
    expect(groups.heartbeat(coordinator, 'g', a.memberId, 1)).toBe(ErrorCode.NOT_COORDINATOR);
    expect(groups.heartbeat(next, 'g', a.memberId, 1)).toBe(0);

    for (const id of [1, 2, 3]) if (id !== coordinator) stopBroker(cluster, id);
    expect(groups.heartbeat(next, 'g', a.memberId, 1)).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
  });

  it('closing answers parked joins and stops every timer', async () => {
    const { clock, groups, coordinator } = setup();
    const a = await groups.join(coordinator, 'g', joinArgs(''));
    await groups.sync(coordinator, 'g', a.memberId, 1, new Map());
    const parked = groups.join(coordinator, 'g', joinArgs(''));
    groups.close();
    expect((await parked).errorCode).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    clock.advance(3_600_000); // a session or rebalance timer left behind would now remove members
    expect(groups.group('g')!.members.size).toBe(2);
  });
});
