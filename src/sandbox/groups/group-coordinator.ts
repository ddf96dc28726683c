// The group coordinator: every group's state machine and committed offsets. The state is cluster-wide, so a group
// survives its coordinator broker going down; a request reaching a broker that is not the group's coordinator
// (cluster.coordinatorFor) gets NOT_COORDINATOR, and clients re-run FindCoordinator.
import type { Cluster } from '../cluster/cluster.js';
import { ErrorCode } from '../../wire/error-codes.js';
import { Group, type GroupDescription, type JoinArgs } from './group.js';
import { joinError, syncError, type JoinResult, type SyncResult } from './member.js';

export interface GroupCoordinatorConfig {
  /** group.min.session.timeout.ms / group.max.session.timeout.ms: JoinGroup outside gets INVALID_SESSION_TIMEOUT. */
  groupMinSessionTimeoutMs: number;
  groupMaxSessionTimeoutMs: number;
}

export interface CommittedOffset {
  offset: number;
  /** Kafka stores a null commit metadata as "" (OffsetAndMetadata.NoMetadata). */
  metadata: string;
  commitTimestamp: number;
}

export interface OffsetCommitTopic {
  name: string;
  partitions: { index: number; offset: number; metadata: string | null }[];
}

export interface OffsetCommitResult {
  name: string;
  partitions: { index: number; errorCode: number }[];
}

export interface FetchedOffsetTopic {
  name: string;
  partitions: { index: number; offset: number; metadata: string | null; errorCode: number }[];
}

export interface OffsetFetchResult {
  errorCode: number;
  topics: FetchedOffsetTopic[];
}

export class GroupCoordinator {
  readonly config: GroupCoordinatorConfig = { groupMinSessionTimeoutMs: 6000, groupMaxSessionTimeoutMs: 1_800_000 };
  private readonly groups = new Map<string, Group>();
  /** group -> topic -> partition -> last commit. Offsets outlive members: an Empty group keeps them. */
  private readonly offsets = new Map<string, Map<string, Map<number, CommittedOffset>>>();

  constructor(private readonly cluster: Cluster) {}

  /** NONE when `brokerId` coordinates `groupId`; NOT_COORDINATOR, or COORDINATOR_NOT_AVAILABLE when no broker is up. */
  coordinatorError(brokerId: number, groupId: string): number {
    const coordinator = this.cluster.coordinatorFor(groupId);
    if (coordinator < 0) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    return coordinator === brokerId ? ErrorCode.NONE : ErrorCode.NOT_COORDINATOR;
  }

  group(groupId: string): Group | undefined {
    return this.groups.get(groupId);
  }

  join(brokerId: number, groupId: string, args: JoinArgs): Promise<JoinResult> {
    if (groupId === '') return Promise.resolve(joinError(args.memberId, ErrorCode.INVALID_GROUP_ID));
    const notCoordinator = this.coordinatorError(brokerId, groupId);
    if (notCoordinator) return Promise.resolve(joinError(args.memberId, notCoordinator));
    const { groupMinSessionTimeoutMs: min, groupMaxSessionTimeoutMs: max } = this.config;
    if (args.sessionTimeoutMs < min || args.sessionTimeoutMs > max) {
      return Promise.resolve(joinError(args.memberId, ErrorCode.INVALID_SESSION_TIMEOUT));
    }
    let group = this.groups.get(groupId);
    if (!group) {
      if (args.memberId !== '') return Promise.resolve(joinError(args.memberId, ErrorCode.UNKNOWN_MEMBER_ID));
      group = new Group(groupId, this.cluster.clock, () => this.cluster.settings.groupInitialRebalanceDelayMs);
      this.groups.set(groupId, group);
    }
    return group.join(args);
  }

  sync(brokerId: number, groupId: string, memberId: string, generationId: number, assignments: Map<string, Buffer>): Promise<SyncResult> {
    const error = this.groupError(brokerId, groupId);
    if (error) return Promise.resolve(syncError(error));
    return this.groups.get(groupId)!.sync(memberId, generationId, assignments);
  }

  heartbeat(brokerId: number, groupId: string, memberId: string, generationId: number): number {
    return this.groupError(brokerId, groupId) || this.groups.get(groupId)!.heartbeat(memberId, generationId);
  }

  leave(brokerId: number, groupId: string, memberId: string): number {
    return this.groupError(brokerId, groupId) || this.groups.get(groupId)!.leave(memberId);
  }

  commitOffsets(brokerId: number, groupId: string, memberId: string, generationId: number, topics: OffsetCommitTopic[]): OffsetCommitResult[] {
    const answer = (code: (t: string, p: number) => number) =>
      topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ index: p.index, errorCode: code(t.name, p.index) })) }));
    const notCoordinator = this.coordinatorError(brokerId, groupId);
    if (notCoordinator) return answer(() => notCoordinator);
    let group = this.groups.get(groupId);
    if (!group) {
      // A group not managed by the coordinator (simple consumer, admin tool) only stores offsets.
      if (generationId >= 0) return answer(() => ErrorCode.ILLEGAL_GENERATION);
      group = new Group(groupId, this.cluster.clock, () => this.cluster.settings.groupInitialRebalanceDelayMs);
      this.groups.set(groupId, group);
    }
    const valid = group.validateCommit(memberId, generationId);
    if (valid) return answer(() => valid);
    const now = this.cluster.clock.now();
    const stored = this.offsetsOf(groupId, true)!;
    return topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => {
        if (!this.cluster.partition(t.name, p.index)) return { index: p.index, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
        let byPartition = stored.get(t.name);
        if (!byPartition) stored.set(t.name, (byPartition = new Map()));
        byPartition.set(p.index, { offset: p.offset, metadata: p.metadata ?? '', commitTimestamp: now });
        return { index: p.index, errorCode: ErrorCode.NONE };
      }),
    }));
  }

  /** Offsets of a committed transaction (TxnOffsetCommit, checked by the transaction coordinator): stored as they are. */
  storeOffsets(groupId: string, topics: OffsetCommitTopic[]): void {
    const now = this.cluster.clock.now();
    const stored = this.offsetsOf(groupId, true)!;
    for (const t of topics) {
      let byPartition = stored.get(t.name);
      if (!byPartition) stored.set(t.name, (byPartition = new Map()));
      for (const p of t.partitions) byPartition.set(p.index, { offset: p.offset, metadata: p.metadata ?? '', commitTimestamp: now });
    }
  }

  /** `topics` null: every committed offset of the group. A partition with no commit gets offset -1 and no error. */
  fetchOffsets(brokerId: number, groupId: string, topics: { name: string; partitions: number[] }[] | null): OffsetFetchResult {
    const notCoordinator = this.coordinatorError(brokerId, groupId);
    if (notCoordinator) return { errorCode: notCoordinator, topics: [] };
    const stored = this.offsetsOf(groupId, false);
    const wanted =
      topics ??
      [...(stored?.entries() ?? [])].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, byPartition]) => ({
        name,
        partitions: [...byPartition.keys()].sort((a, b) => a - b),
      }));
    return {
      errorCode: ErrorCode.NONE,
      topics: wanted.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((index) => {
          const c = stored?.get(t.name)?.get(index);
          return { index, offset: c?.offset ?? -1, metadata: c?.metadata ?? '', errorCode: ErrorCode.NONE };
        }),
      })),
    };
  }

  /** A group no one has used describes as Dead with no members, as in Kafka. */
  describe(brokerId: number, groupId: string): { errorCode: number } & GroupDescription {
    const notCoordinator = this.coordinatorError(brokerId, groupId);
    const dead: GroupDescription = { state: 'Dead', protocolType: '', protocolName: '', members: [] };
    if (notCoordinator) return { errorCode: notCoordinator, ...dead };
    return { errorCode: ErrorCode.NONE, ...(this.groups.get(groupId)?.describe() ?? dead) };
  }

  /**
   * DeleteGroups: drops an Empty (or Dead) group and its committed offsets, as Kafka does; a group with members is
   * NON_EMPTY_GROUP, one never seen GROUP_ID_NOT_FOUND.
   */
  deleteGroup(brokerId: number, groupId: string): number {
    const notCoordinator = this.coordinatorError(brokerId, groupId);
    if (notCoordinator) return notCoordinator;
    const group = this.groups.get(groupId);
    if (!group && !this.offsets.has(groupId)) return ErrorCode.GROUP_ID_NOT_FOUND;
    if (group && group.state !== 'Empty' && group.state !== 'Dead') return ErrorCode.NON_EMPTY_GROUP;
    group?.close();
    this.groups.delete(groupId);
    this.offsets.delete(groupId);
    return ErrorCode.NONE;
  }

  /** Groups this broker coordinates (kafkajs's admin.listGroups asks every broker and concatenates). */
  list(brokerId: number): { groupId: string; protocolType: string }[] {
    return [...this.groups.values()]
      .filter((g) => g.state !== 'Dead' && this.cluster.coordinatorFor(g.groupId) === brokerId)
      .map((g) => ({ groupId: g.groupId, protocolType: g.protocolType ?? '' }));
  }

  close(): void {
    for (const g of this.groups.values()) g.close();
  }

  private groupError(brokerId: number, groupId: string): number {
    if (groupId === '') return ErrorCode.INVALID_GROUP_ID;
    const notCoordinator = this.coordinatorError(brokerId, groupId);
    if (notCoordinator) return notCoordinator;
    return this.groups.has(groupId) ? ErrorCode.NONE : ErrorCode.UNKNOWN_MEMBER_ID;
  }

  private offsetsOf(groupId: string, create: boolean): Map<string, Map<number, CommittedOffset>> | undefined {
    let stored = this.offsets.get(groupId);
    if (!stored && create) this.offsets.set(groupId, (stored = new Map()));
    return stored;
  }
}
