// One classic consumer group's state machine, after Kafka's GroupCoordinator/GroupMetadata:
//   Empty -> PreparingRebalance -> CompletingRebalance -> Stable, back to PreparingRebalance on any membership
//   change, and Dead once the coordinator closes. JoinGroup and SyncGroup requests are parked until the rebalance
//   step they wait for completes. A group's first rebalance (from Empty) waits group.initial.rebalance.delay.ms, longer
//   while members keep arriving (Kafka's InitialDelayedJoin); later ones complete as soon as every known member has
//   rejoined, or when the rebalance timeout expires (members that did not rejoin are removed). Protocol metadata
//   and assignments are opaque bytes.
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../wire/clock.js';
import { ErrorCode } from '../../wire/error-codes.js';
import { InitialDelayedJoin } from './initial-delayed-join.js';
import {
  answerParked,
  EMPTY_BYTES,
  joinError,
  metadataFor,
  sameProtocols,
  selectProtocol,
  syncError,
  type GroupProtocol,
  type JoinResult,
  type Member,
  type SyncResult,
} from './member.js';

export type GroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';

export interface JoinArgs {
  /** '' for a member joining for the first time. */
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocolType: string;
  protocols: GroupProtocol[];
  /** JoinGroup v4+ (KIP-394): hand out a member id with MEMBER_ID_REQUIRED and wait for the rejoin. */
  requireKnownMemberId: boolean;
}

export interface MemberDescription {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  metadata: Buffer;
  assignment: Buffer;
}

export interface GroupDescription {
  state: GroupState;
  protocolType: string;
  /** The chosen protocol; '' unless Stable (Kafka's GroupMetadata.summary). */
  protocolName: string;
  members: MemberDescription[];
}

export class Group {
  state: GroupState = 'Empty';
  generationId = 0;
  protocolType: string | null = null;
  protocolName: string | null = null;
  leaderId: string | null = null;
  /** In join order: the first member becomes the leader. */
  readonly members = new Map<string, Member>();
  /** Member ids handed out with MEMBER_ID_REQUIRED that have not rejoined yet, with their expiry timers. */
  private readonly pending = new Map<string, unknown>();
  private joinTimer: unknown = null;
  /** The first rebalance's delay, while it runs. */
  private initialDelay: InitialDelayedJoin | null = null;

  constructor(
    readonly groupId: string,
    private readonly clock: Clock,
    /** group.initial.rebalance.delay.ms, read when a rebalance starts from Empty. */
    private readonly initialRebalanceDelayMs: () => number = () => 0,
  ) {}

  join(a: JoinArgs): Promise<JoinResult> {
    if (this.state === 'Dead') return done(joinError(a.memberId, ErrorCode.COORDINATOR_NOT_AVAILABLE));
    const member = a.memberId === '' ? undefined : this.members.get(a.memberId);
    if (a.memberId !== '' && !member && !this.pending.has(a.memberId)) {
      return done(joinError(a.memberId, ErrorCode.UNKNOWN_MEMBER_ID));
    }
    if (!this.supportsProtocols(a.protocolType, a.protocols, member?.memberId)) {
      return done(joinError(a.memberId, ErrorCode.INCONSISTENT_GROUP_PROTOCOL));
    }
    if (a.memberId === '') {
      const memberId = `${a.clientId}-${randomUUID()}`;
      if (!a.requireKnownMemberId) return this.addMemberAndRebalance(memberId, a);
      this.addPending(memberId, a.sessionTimeoutMs);
      return done(joinError(memberId, ErrorCode.MEMBER_ID_REQUIRED));
    }
    if (!member) {
      this.clock.clearTimeout(this.pending.get(a.memberId));
      this.pending.delete(a.memberId);
      return this.addMemberAndRebalance(a.memberId, a);
    }
    switch (this.state) {
      case 'PreparingRebalance':
        return this.updateMemberAndRebalance(member, a);
      case 'CompletingRebalance':
        // Same metadata: it probably missed our JoinGroup response, so repeat it for this generation.
        if (sameProtocols(member.protocols, a.protocols)) return this.currentJoinResult(member);
        return this.updateMemberAndRebalance(member, a);
      case 'Stable':
        // A leader's rejoin always rebalances (its subscription may have changed); a follower's only if it changed.
        if (member.memberId === this.leaderId || !sameProtocols(member.protocols, a.protocols)) {
          return this.updateMemberAndRebalance(member, a);
        }
        return this.currentJoinResult(member);
      default:
        return done(joinError(a.memberId, ErrorCode.UNKNOWN_MEMBER_ID));
    }
  }

  sync(memberId: string, generationId: number, assignments: Map<string, Buffer>): Promise<SyncResult> {
    if (this.state === 'Dead') return done(syncError(ErrorCode.COORDINATOR_NOT_AVAILABLE));
    const member = this.members.get(memberId);
    if (!member) return done(syncError(ErrorCode.UNKNOWN_MEMBER_ID));
    if (generationId !== this.generationId) return done(syncError(ErrorCode.ILLEGAL_GENERATION));
    switch (this.state) {
      case 'PreparingRebalance':
        return done(syncError(ErrorCode.REBALANCE_IN_PROGRESS));
      case 'Stable':
        this.scheduleSessionExpiry(member);
        return done({ errorCode: ErrorCode.NONE, assignment: member.assignment });
      case 'CompletingRebalance':
        return new Promise((resolve) => {
          member.awaitingSync?.(syncError(ErrorCode.REBALANCE_IN_PROGRESS));
          member.awaitingSync = resolve;
          this.scheduleSessionExpiry(member);
          if (memberId === this.leaderId) this.completeSync(assignments);
        });
      default:
        return done(syncError(ErrorCode.UNKNOWN_MEMBER_ID));
    }
  }

  heartbeat(memberId: string, generationId: number): number {
    if (this.state === 'Dead') return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    const member = this.members.get(memberId);
    if (!member) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (generationId !== this.generationId) return ErrorCode.ILLEGAL_GENERATION;
    this.scheduleSessionExpiry(member);
    // During CompletingRebalance a member may heartbeat between its JoinGroup and SyncGroup: that is fine.
    return this.state === 'PreparingRebalance' ? ErrorCode.REBALANCE_IN_PROGRESS : ErrorCode.NONE;
  }

  leave(memberId: string): number {
    if (this.state === 'Dead') return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    if (this.pending.has(memberId)) {
      this.clock.clearTimeout(this.pending.get(memberId));
      this.pending.delete(memberId);
      this.tryCompleteJoin();
      return ErrorCode.NONE;
    }
    const member = this.members.get(memberId);
    if (!member) return ErrorCode.UNKNOWN_MEMBER_ID;
    this.removeMemberAndUpdateGroup(member);
    return ErrorCode.NONE;
  }

  /**
   * Whether an OffsetCommit may be stored (Kafka's validateOffsetCommit). Generation -1 with an empty member id is
   * a simple commit (kcat, admin tools), allowed only while the group is Empty. Members of the current generation
   * may still commit while the group prepares a rebalance (so they can commit before rejoining), not once the
   * join has completed and the new generation awaits its assignment.
   */
  validateCommit(memberId: string, generationId: number): number {
    if (this.state === 'Dead') return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    if (generationId >= 0 || memberId !== '') {
      const member = this.members.get(memberId);
      if (!member) return ErrorCode.UNKNOWN_MEMBER_ID;
      if (generationId !== this.generationId) return ErrorCode.ILLEGAL_GENERATION;
      if (this.state === 'CompletingRebalance') return ErrorCode.REBALANCE_IN_PROGRESS;
      this.scheduleSessionExpiry(member);
      return ErrorCode.NONE;
    }
    return this.state === 'Empty' ? ErrorCode.NONE : ErrorCode.UNKNOWN_MEMBER_ID;
  }

  describe(): GroupDescription {
    const stable = this.state === 'Stable';
    const protocolName = stable ? (this.protocolName ?? '') : '';
    return {
      state: this.state,
      protocolType: this.protocolType ?? '',
      protocolName,
      members: [...this.members.values()].map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        metadata: stable ? metadataFor(m, protocolName) : EMPTY_BYTES,
        assignment: stable ? m.assignment : EMPTY_BYTES,
      })),
    };
  }

  /** The coordinator shuts down: timers stop and parked requests are answered so no client waits forever. */
  close(): void {
    this.clock.clearTimeout(this.joinTimer);
    this.initialDelay?.cancel();
    this.initialDelay = null;
    for (const t of this.pending.values()) this.clock.clearTimeout(t);
    this.pending.clear();
    for (const m of this.members.values()) {
      this.clock.clearTimeout(m.sessionTimer);
      answerParked(m, ErrorCode.COORDINATOR_NOT_AVAILABLE);
    }
    this.state = 'Dead';
  }

  /** Kafka's supportsProtocols: same protocol type, and some protocol every other member also supports. */
  private supportsProtocols(protocolType: string, protocols: GroupProtocol[], self: string | undefined): boolean {
    if (protocolType === '' || protocols.length === 0) return false;
    const others = [...this.members.values()].filter((m) => m.memberId !== self);
    if (others.length === 0) return true;
    if (protocolType !== this.protocolType) return false;
    return protocols.some((p) => others.every((m) => m.protocols.some((q) => q.name === p.name)));
  }

  private addPending(memberId: string, sessionTimeoutMs: number): void {
    const timer = this.clock.setTimeout(() => {
      this.pending.delete(memberId);
      this.tryCompleteJoin();
    }, sessionTimeoutMs);
    this.pending.set(memberId, timer);
  }

  private addMemberAndRebalance(memberId: string, a: JoinArgs): Promise<JoinResult> {
    return new Promise((resolve) => {
      const member: Member = {
        memberId,
        groupInstanceId: a.groupInstanceId,
        clientId: a.clientId,
        clientHost: a.clientHost,
        sessionTimeoutMs: a.sessionTimeoutMs,
        rebalanceTimeoutMs: a.rebalanceTimeoutMs,
        protocolType: a.protocolType,
        protocols: a.protocols,
        assignment: EMPTY_BYTES,
        awaitingJoin: resolve,
        awaitingSync: null,
        sessionTimer: null,
      };
      this.members.set(memberId, member);
      this.protocolType = a.protocolType;
      this.leaderId ??= memberId;
      this.scheduleSessionExpiry(member);
      this.initialDelay?.memberAdded();
      this.maybePrepareRebalance();
    });
  }

  private updateMemberAndRebalance(member: Member, a: JoinArgs): Promise<JoinResult> {
    return new Promise((resolve) => {
      // A second JoinGroup from the same member (e.g. over a new connection) supersedes the parked one.
      member.awaitingJoin?.(joinError(member.memberId, ErrorCode.REBALANCE_IN_PROGRESS));
      member.protocols = a.protocols;
      member.protocolType = a.protocolType;
      member.sessionTimeoutMs = a.sessionTimeoutMs;
      member.rebalanceTimeoutMs = a.rebalanceTimeoutMs;
      member.clientId = a.clientId;
      member.clientHost = a.clientHost;
      member.awaitingJoin = resolve;
      this.protocolType = a.protocolType;
      this.scheduleSessionExpiry(member);
      this.maybePrepareRebalance();
    });
  }

  private currentJoinResult(member: Member): Promise<JoinResult> {
    this.scheduleSessionExpiry(member);
    return done(this.joinResultFor(member));
  }

  private joinResultFor(member: Member): JoinResult {
    const protocolName = this.protocolName ?? '';
    const isLeader = member.memberId === this.leaderId;
    return {
      errorCode: ErrorCode.NONE,
      generationId: this.generationId,
      protocolName,
      leaderId: this.leaderId ?? '',
      memberId: member.memberId,
      members: isLeader
        ? [...this.members.values()].map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId, metadata: metadataFor(m, protocolName) }))
        : [],
    };
  }

  private maybePrepareRebalance(): void {
    if (this.state === 'PreparingRebalance') this.tryCompleteJoin();
    else if (this.state !== 'Dead') this.prepareRebalance();
  }

  private prepareRebalance(): void {
    const fromEmpty = this.state === 'Empty';
    if (this.state === 'CompletingRebalance') {
      // The assignment being synced is for a generation that will never be Stable: tell the waiting members.
      for (const m of this.members.values()) {
        m.assignment = EMPTY_BYTES;
        m.awaitingSync?.(syncError(ErrorCode.REBALANCE_IN_PROGRESS));
        m.awaitingSync = null;
      }
    }
    this.state = 'PreparingRebalance';
    let rebalanceTimeoutMs = 0;
    for (const m of this.members.values()) rebalanceTimeoutMs = Math.max(rebalanceTimeoutMs, m.rebalanceTimeoutMs);
    this.clock.clearTimeout(this.joinTimer);
    const delayMs = fromEmpty ? this.initialRebalanceDelayMs() : 0;
    const afterDelay = () => ((this.initialDelay = null), this.onRebalanceTimeout());
    if (delayMs > 0) return void (this.initialDelay = new InitialDelayedJoin(this.clock, delayMs, rebalanceTimeoutMs, afterDelay));
    this.joinTimer = this.clock.setTimeout(() => this.onRebalanceTimeout(), rebalanceTimeoutMs);
    this.tryCompleteJoin();
  }

  private tryCompleteJoin(): void {
    if (this.initialDelay || this.state !== 'PreparingRebalance' || this.pending.size > 0) return;
    for (const m of this.members.values()) if (!m.awaitingJoin) return;
    this.completeJoin();
  }

  private onRebalanceTimeout(): void {
    this.joinTimer = null;
    if (this.state !== 'PreparingRebalance') return;
    for (const m of [...this.members.values()]) if (!m.awaitingJoin) this.removeMember(m);
    this.completeJoin();
  }

  private completeJoin(): void {
    this.initialDelay?.cancel();
    this.initialDelay = null;
    this.clock.clearTimeout(this.joinTimer);
    this.joinTimer = null;
    this.generationId++;
    if (this.members.size === 0) {
      this.state = 'Empty';
      this.protocolName = null;
      this.leaderId = null;
      return;
    }
    this.protocolName = selectProtocol([...this.members.values()]);
    this.state = 'CompletingRebalance';
    for (const m of this.members.values()) {
      const reply = m.awaitingJoin;
      m.awaitingJoin = null;
      this.scheduleSessionExpiry(m);
      reply?.(this.joinResultFor(m));
    }
  }

  private completeSync(assignments: Map<string, Buffer>): void {
    for (const m of this.members.values()) m.assignment = assignments.get(m.memberId) ?? EMPTY_BYTES;
    this.state = 'Stable';
    for (const m of this.members.values()) {
      const reply = m.awaitingSync;
      m.awaitingSync = null;
      this.scheduleSessionExpiry(m);
      reply?.({ errorCode: ErrorCode.NONE, assignment: m.assignment });
    }
  }

  private scheduleSessionExpiry(member: Member): void {
    this.clock.clearTimeout(member.sessionTimer);
    member.sessionTimer = this.clock.setTimeout(() => this.onSessionExpired(member), member.sessionTimeoutMs);
  }

  private onSessionExpired(member: Member): void {
    if (this.members.get(member.memberId) !== member) return;
    // A member parked on a JoinGroup or SyncGroup is waiting for us, not silent.
    if (member.awaitingJoin || member.awaitingSync) {
      this.scheduleSessionExpiry(member);
      return;
    }
    this.removeMemberAndUpdateGroup(member);
  }

  private removeMemberAndUpdateGroup(member: Member): void {
    this.removeMember(member);
    if (this.state === 'Stable' || this.state === 'CompletingRebalance') this.prepareRebalance();
    else this.tryCompleteJoin();
  }

  private removeMember(member: Member): void {
    this.clock.clearTimeout(member.sessionTimer);
    this.members.delete(member.memberId);
    answerParked(member, ErrorCode.UNKNOWN_MEMBER_ID);
    if (this.leaderId === member.memberId) this.leaderId = this.members.keys().next().value ?? null;
  }
}

function done<T>(value: T): Promise<T> {
  return Promise.resolve(value);
}
