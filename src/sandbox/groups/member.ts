// One member of a classic consumer group, as Kafka's MemberMetadata: what it sent in its last JoinGroup, the
// assignment the leader gave it, and the join or sync request it is parked on while a rebalance runs.

export interface GroupProtocol {
  name: string;
  /** Opaque to the broker (the consumer protocol's subscription); stored and echoed to the leader. */
  metadata: Buffer;
}

export interface JoinGroupMember {
  memberId: string;
  groupInstanceId: string | null;
  metadata: Buffer;
}

export interface JoinResult {
  errorCode: number;
  generationId: number;
  protocolName: string;
  leaderId: string;
  memberId: string;
  /** Every member's metadata for the chosen protocol, for the leader only; followers get []. */
  members: JoinGroupMember[];
}

export interface SyncResult {
  errorCode: number;
  assignment: Buffer;
}

export interface Member {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocolType: string;
  protocols: GroupProtocol[];
  /** Opaque bytes from the leader's SyncGroup; empty until the group is Stable. */
  assignment: Buffer;
  /** Set while its JoinGroup waits for the rebalance to complete. */
  awaitingJoin: ((r: JoinResult) => void) | null;
  /** Set while its SyncGroup waits for the leader's assignment. */
  awaitingSync: ((r: SyncResult) => void) | null;
  sessionTimer: unknown;
}

export const EMPTY_BYTES = Buffer.alloc(0);

export function joinError(memberId: string, errorCode: number): JoinResult {
  return { errorCode, generationId: -1, protocolName: '', leaderId: '', memberId, members: [] };
}

export function syncError(errorCode: number): SyncResult {
  return { errorCode, assignment: EMPTY_BYTES };
}

export function metadataFor(member: Member, protocol: string): Buffer {
  return member.protocols.find((p) => p.name === protocol)?.metadata ?? EMPTY_BYTES;
}

/** Same protocols with the same metadata, in the same order: a rejoin that changes nothing. */
export function sameProtocols(a: GroupProtocol[], b: GroupProtocol[]): boolean {
  return a.length === b.length && a.every((p, i) => p.name === b[i].name && p.metadata.equals(b[i].metadata));
}

/** Kafka's vote: among the protocols every member supports, each member votes for its most preferred one. */
export function selectProtocol(members: Member[]): string {
  const candidates = members[0].protocols.map((p) => p.name).filter((name) => members.every((m) => m.protocols.some((p) => p.name === name)));
  const votes = new Map<string, number>();
  for (const m of members) {
    const choice = m.protocols.find((p) => candidates.includes(p.name));
    if (choice) votes.set(choice.name, (votes.get(choice.name) ?? 0) + 1);
  }
  let best = candidates[0];
  for (const name of candidates) if ((votes.get(name) ?? 0) > (votes.get(best) ?? 0)) best = name;
  return best;
}

/** Answers a member's parked JoinGroup and SyncGroup with `errorCode`. */
export function answerParked(member: Member, errorCode: number): void {
  member.awaitingJoin?.(joinError(member.memberId, errorCode));
  member.awaitingSync?.(syncError(errorCode));
  member.awaitingJoin = null;
  member.awaitingSync = null;
}
