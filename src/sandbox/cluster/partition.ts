// One partition: its replicas' logs, leader, leader epoch, ISR and high watermark.
// The leader appends; followers copy the leader's batches after their replication delay; the high watermark is the
// smallest log end offset in the ISR; a follower that lags longer than replica.lag.time.max.ms leaves the ISR.
import { ErrorCode } from '../../wire/error-codes.js';
import type { BatchHeader } from '../../wire/record-batch.js';
import type { Clock } from '../../wire/clock.js';
import type { ClusterEvent } from './events.js';
import { AckWaiters } from './ack-waiters.js';
import { FollowerFetches } from './follower-fetches.js';
import { BatchStore } from './batch-store.js';
import { ProducerStateTable } from './producer-state.js';
import { ReplicaLog, storedBatch } from './replica-log.js';

/** What a partition needs to know about the rest of the cluster. */
export interface ReplicationEnv {
  clock: Clock;
  /** Up and not paused: it answers, replicates and can lead. */
  isServing(broker: number): boolean;
  replicationDelayMs(broker: number): number;
  replicaLagTimeMaxMs(): number;
  emit(event: ClusterEvent): void;
  /** False when no listener takes high-watermark events: then none is built. */
  highWatermarkListened(): boolean;
}

export interface TopicConfigView {
  minInsyncReplicas: number;
  maxMessageBytes: number;
  retentionBytes: number;
  uncleanLeaderElection: boolean;
}

export type AppendResult =
  | { ok: true; baseOffset: number; lastOffset: number; duplicate: boolean }
  | { ok: false; error: number; message: string };

const callWaiter = (fn: () => void): void => fn();

export class Partition {
  leader = -1;
  leaderEpoch = 0;
  isr: number[];
  highWatermark = 0;
  readonly logs = new Map<number, ReplicaLog>();
  /** Idempotence state of the current leader, rebuilt from its log on election. */
  producers = new ProducerStateTable();
  /** Ongoing transactions: producer id -> first offset (the last stable offset stops there). */
  readonly openTxns = new Map<number, number>();
  /** Aborted transactions for read_committed fetches. */
  readonly abortedTxns: { producerId: number; firstOffset: number; lastOffset: number }[] = [];
  /** The leader before the partition went leaderless: whose records an election from there may lose. */
  private lastLeader = -1;
  private lastCaughtUpAt = new Map<number, number>();
  private readonly followerFetches: FollowerFetches;
  private readonly ackWaiters: AckWaiters;
  /** The bytes of every replica's batches (followers share the leader's copy). */
  private readonly store = new BatchStore();
  private dataWaiters = new Set<() => void>();

  constructor(
    readonly topic: string,
    readonly index: number,
    readonly replicas: number[],
    readonly config: TopicConfigView,
    private readonly env: ReplicationEnv,
  ) {
    this.ackWaiters = new AckWaiters(env.clock);
    this.followerFetches = new FollowerFetches(env.clock, (f) => this.replicateTo(f));
    for (const r of replicas) {
      this.logs.set(r, new ReplicaLog());
      this.lastCaughtUpAt.set(r, env.clock.now());
    }
    this.isr = replicas.filter((r) => env.isServing(r));
    this.leader = this.isr[0] ?? -1;
  }

  leaderLog(): ReplicaLog | undefined {
    return this.leader >= 0 ? this.logs.get(this.leader) : undefined;
  }

  logStartOffset(): number {
    return this.leaderLog()?.logStartOffset ?? 0;
  }

  logEndOffset(): number {
    return this.leaderLog()?.endOffset ?? this.highWatermark;
  }

  lastStableOffset(): number {
    let lso = this.highWatermark;
    for (const first of this.openTxns.values()) lso = Math.min(lso, first);
    return lso;
  }

  /** Checks done before an append under acks=all (Kafka checks the ISR size against min.insync.replicas first). */
  checkAppend(acks: number): number {
    if (this.leader < 0) return ErrorCode.LEADER_NOT_AVAILABLE;
    if (acks === -1 && this.isr.length < this.config.minInsyncReplicas) return ErrorCode.NOT_ENOUGH_REPLICAS;
    return ErrorCode.NONE;
  }

  /** Appends validated batches to the leader's log (one Produce partition entry). */
  appendAsLeader(batches: { header: BatchHeader; bytes: Buffer }[]): AppendResult {
    const log = this.leaderLog();
    if (!log) return { ok: false, error: ErrorCode.LEADER_NOT_AVAILABLE, message: 'no leader' };
    const now = this.env.clock.now();
    // Idempotence: check every batch before appending any (a request's batches stand or fall together).
    for (let i = 0; i < batches.length; i++) {
      const header = batches[i].header;
      if (header.producerId < 0) continue;
      const check = this.producers.check(header.producerId, header.producerEpoch, header.baseSequence, header.recordCount);
      if (check.kind === 'error') return { ok: false, error: check.error, message: check.message };
      if (check.kind === 'duplicate') {
        // Kafka answers a duplicate of a recent batch with success and the original offset.
        return { ok: true, baseOffset: check.baseOffset, lastOffset: check.baseOffset + header.recordCount - 1, duplicate: true };
      }
    }
    const baseOffset = log.endOffset;
    for (let i = 0; i < batches.length; i++) {
      const { header, bytes } = batches[i];
      const offset = log.endOffset;
      const stored = storedBatch(this.store.copyIn(bytes), offset, this.leaderEpoch, now, header);
      log.append(stored);
      if (header.producerId >= 0) {
        this.producers.record(header.producerId, header.producerEpoch, header.baseSequence, header.recordCount, offset);
        if (header.isTransactional && !this.openTxns.has(header.producerId)) this.openTxns.set(header.producerId, offset);
      }
    }
    this.lastCaughtUpAt.set(this.leader, now);
    this.afterLeaderAppend();
    return { ok: true, baseOffset, lastOffset: log.endOffset - 1, duplicate: false };
  }

  /** Appends a control batch (transaction marker) written by the coordinator. */
  appendControl(bytes: Buffer, producerId: number, producerEpoch: number, commit: boolean): number {
    const log = this.leaderLog();
    if (!log) return -1;
    const offset = log.endOffset;
    const now = this.env.clock.now();
    const marker = { lastOffsetDelta: 0, maxTimestamp: now, producerId, producerEpoch, baseSequence: -1, isTransactional: true, recordCount: 1 };
    log.append(storedBatch(this.store.copyIn(bytes), offset, this.leaderEpoch, now, marker, true));
    // Like a leader rebuilding from its log (rebuildProducerState): a marker's epoch fences the older ones.
    this.producers.bumpEpoch(producerId, producerEpoch);
    const first = this.openTxns.get(producerId);
    if (first !== undefined) {
      this.openTxns.delete(producerId);
      if (!commit) this.abortedTxns.push({ producerId, firstOffset: first, lastOffset: offset });
    }
    this.afterLeaderAppend();
    return offset;
  }

  private afterLeaderAppend(): void {
    const log = this.leaderLog()!;
    log.applyRetention(this.config.retentionBytes, this.highWatermark);
    this.store.releaseUnused(this.logs);
    // Aborted transactions wholly below the log start can no longer be fetched: forget them (memory stays bounded).
    while (this.abortedTxns.length > 0 && this.abortedTxns[0].lastOffset < log.logStartOffset) this.abortedTxns.shift();
    for (let i = 0; i < this.replicas.length; i++) if (this.replicas[i] !== this.leader) this.followAppend(this.replicas[i]);
    this.updateHighWatermark();
    this.wakeFetchers();
  }

  /**
   * A follower with no replication delay copies an append at once, as a Kafka follower's pending fetch answers at
   * once: an acks=all append is then covered when it returns and its answer waits for nothing. A delayed, paused or
   * stopped follower (or a paused leader) keeps the timer path of scheduleFetch.
   */
  private followAppend(follower: number): void {
    if (this.env.replicationDelayMs(follower) !== 0 || !this.env.isServing(follower) || !this.env.isServing(this.leader)) {
      this.scheduleFetch(follower);
      return;
    }
    this.followerFetches.cancel(follower);
    this.replicateTo(follower);
  }

  /**
   * A follower fetches from the leader once the oldest batch it lacks is `replicationDelayMs` old (a timer per
   * follower, armed on demand): each batch reaches the follower its delay after the leader appended it.
   */
  scheduleFetch(follower: number): void {
    if (this.followerFetches.isArmed(follower) || follower === this.leader || this.leader < 0) return;
    if (!this.env.isServing(follower)) return;
    const leaderLog = this.leaderLog();
    const log = this.logs.get(follower);
    if (!leaderLog || !log) return;
    const next = leaderLog.batches[leaderLog.indexFor(log.endOffset)];
    const delay = this.env.replicationDelayMs(follower);
    const due = next ? Math.max(0, next.appendedAt + delay - this.env.clock.now()) : delay;
    this.followerFetches.arm(follower, due, due === 0 && delay === 0);
  }

  /** The follower's replication delay changed: re-arm its fetch for the new due time. */
  rescheduleFetch(follower: number): void {
    this.followerFetches.cancel(follower);
    this.scheduleFetch(follower);
  }

  /** Copies to the follower every leader batch that is older than the follower's replication delay. */
  replicateTo(follower: number, ignoreDelay = false): void {
    const leaderLog = this.leaderLog();
    const log = this.logs.get(follower);
    if (!leaderLog || !log || follower === this.leader || !this.env.isServing(follower)) return;
    if (!this.env.isServing(this.leader)) return; // a paused leader answers no fetches
    const now = this.env.clock.now();
    const cutoff = ignoreDelay ? Infinity : now - this.env.replicationDelayMs(follower);
    if (log.endOffset < leaderLog.logStartOffset) log.resetTo(leaderLog.logStartOffset);
    let i = leaderLog.indexFor(log.endOffset);
    for (; i < leaderLog.batches.length; i++) {
      const b = leaderLog.batches[i];
      if (b.appendedAt > cutoff) break;
      if (b.baseOffset < log.endOffset) continue;
      log.append(b);
    }
    log.applyRetention(this.config.retentionBytes, this.highWatermark);
    this.store.releaseUnused(this.logs);
    // Kafka's lastCaughtUpTime: the follower now holds everything the leader had until the first batch it still
    // lacks was appended. A follower steadily `delay` behind stays in sync as long as delay < replica.lag.time.max.ms.
    const caughtUpAt = i < leaderLog.batches.length ? leaderLog.batches[i].appendedAt : now;
    if (caughtUpAt > (this.lastCaughtUpAt.get(follower) ?? 0)) this.lastCaughtUpAt.set(follower, caughtUpAt);
    // Kafka's rule for rejoining: the follower's log end offset has reached the high watermark.
    if (!this.isr.includes(follower) && log.endOffset >= this.highWatermark) {
      this.isr = this.replicas.filter((r) => r === follower || this.isr.includes(r));
      this.lastCaughtUpAt.set(follower, now);
      this.env.emit({ type: 'isr-expand', at: now, topic: this.topic, partition: this.index, broker: follower, isr: [...this.isr] });
    }
    this.updateHighWatermark();
    if (i < leaderLog.batches.length) this.scheduleFetch(follower);
  }

  /** Removes followers that have not caught up within replica.lag.time.max.ms (run periodically). */
  checkIsr(): void {
    // A paused leader is not running: it shrinks nothing (the controller fences it instead, see pauseBroker).
    if (this.leader < 0 || !this.env.isServing(this.leader)) return;
    const now = this.env.clock.now();
    const maxLag = this.env.replicaLagTimeMaxMs();
    const leaderEnd = this.leaderLog()!.endOffset;
    for (const r of [...this.isr]) {
      if (r === this.leader) continue;
      const log = this.logs.get(r)!;
      const caughtUp = log.endOffset >= leaderEnd;
      if (caughtUp) this.lastCaughtUpAt.set(r, now);
      else if (now - (this.lastCaughtUpAt.get(r) ?? now) > maxLag) this.shrinkIsr(r);
    }
    for (const r of this.replicas) if (r !== this.leader && !this.isr.includes(r)) this.scheduleFetch(r);
  }

  shrinkIsr(broker: number): void {
    if (!this.isr.includes(broker)) return;
    this.isr = this.isr.filter((r) => r !== broker);
    this.env.emit({ type: 'isr-shrink', at: this.env.clock.now(), topic: this.topic, partition: this.index, broker, isr: [...this.isr] });
    this.updateHighWatermark();
  }

  updateHighWatermark(): void {
    const leaderLog = this.leaderLog();
    if (!leaderLog) return;
    let hw = leaderLog.endOffset;
    for (let i = 0; i < this.isr.length; i++) hw = Math.min(hw, this.logs.get(this.isr[i])!.endOffset);
    if (hw > this.highWatermark) {
      this.highWatermark = hw;
      if (this.env.highWatermarkListened()) this.env.emit({ type: 'high-watermark', at: this.env.clock.now(), topic: this.topic, partition: this.index, highWatermark: hw });
      this.wakeFetchers();
    }
    this.ackWaiters.settle(this.ackDecision);
  }

  /**
   * acks=all: resolves with NONE once the high watermark covers `lastOffset`, NOT_ENOUGH_REPLICAS_AFTER_APPEND if
   * the ISR is then below min.insync.replicas, NOT_LEADER_OR_FOLLOWER if leadership moved, REQUEST_TIMED_OUT after
   * `timeoutMs` (the data stays written: the duplicate source Kafka has).
   */
  waitForHighWatermark(lastOffset: number, timeoutMs: number): Promise<number> {
    const waiting = this.ackWaiters.wait(lastOffset + 1, timeoutMs);
    this.ackWaiters.settle(this.ackDecision);
    return waiting;
  }

  /** acks=all: the answer waitForHighWatermark would give now, or undefined while the batch is above the high watermark. */
  ackNow(lastOffset: number): number | undefined {
    return this.ackDecision(lastOffset + 1);
  }

  /** A waiting acks=all request's answer now, undefined while its batch is above the high watermark (made once). */
  private readonly ackDecision = (covering: number): number | undefined => {
    if (this.leader < 0) return ErrorCode.NOT_LEADER_OR_FOLLOWER;
    if (this.highWatermark < covering) return undefined;
    return this.isr.length < this.config.minInsyncReplicas ? ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND : ErrorCode.NONE;
  };

  onData(fn: () => void): () => void {
    this.dataWaiters.add(fn);
    return () => this.dataWaiters.delete(fn);
  }

  private wakeFetchers(): void {
    // A waiter only queues its re-check (fetch-wait.ts), so the set is walked in place, with no copy per append.
    if (this.dataWaiters.size > 0) this.dataWaiters.forEach(callWaiter);
  }

  /**
   * Moves leadership to the first serving ISR replica in assignment order (or any serving replica when unclean
   * election is allowed and the ISR has none). `excluding` is the broker losing it. Returns the new leader or -1.
   */
  elect(excluding: number, reason: string): number {
    const old = this.leader;
    let candidates = this.replicas.filter((r) => r !== excluding && this.isr.includes(r) && this.env.isServing(r));
    let unclean = false;
    if (candidates.length === 0 && this.config.uncleanLeaderElection) {
      candidates = this.replicas.filter((r) => r !== excluding && this.env.isServing(r));
      unclean = candidates.length > 0;
    }
    const next = candidates[0] ?? -1;
    // With no eligible replica Kafka keeps the last ISR member listed, so only it can later lead cleanly.
    const remaining = this.isr.filter((r) => r !== excluding);
    const shrunk = remaining.length < this.isr.length && (remaining.length > 0 || next >= 0);
    if (shrunk) this.isr = remaining;
    if (next !== old) this.changeLeader(next, reason, unclean);
    if (shrunk) this.env.emit({ type: 'isr-shrink', at: this.env.clock.now(), topic: this.topic, partition: this.index, broker: excluding, isr: [...this.isr] });
    return next;
  }

  /** A requested move (or preferred-leader election) to `broker`, an in-sync serving replica. */
  transferLeadership(broker: number, reason: string): void {
    if (broker !== this.leader) this.changeLeader(broker, reason, false);
  }

  /**
   * Makes `next` the leader (-1: none): bumps the epoch, reports the election, rebuilds producer state from the new
   * leader's log, and makes serving followers truncate to it. Replicas that are down truncate when they rejoin.
   */
  private changeLeader(next: number, reason: string, unclean: boolean): void {
    const old = this.leader;
    const now = this.env.clock.now();
    const newLog = next >= 0 ? this.logs.get(next)! : undefined;
    // What the last leader holds beyond its divergence from the new one is gone for good: under acks=1 (or after an
    // unclean election) some of it was acknowledged. The old leader removes it when it next follows ('truncation').
    const lastLog = this.logs.get(old >= 0 ? old : this.lastLeader);
    const lostRecords = lastLog && newLog && lastLog !== newLog ? lastLog.recordsFrom(lastLog.divergenceFrom(newLog)) : 0;
    this.ackWaiters.failAll(ErrorCode.NOT_LEADER_OR_FOLLOWER); // as in Kafka, once leadership moves
    if (old >= 0) this.lastLeader = old;
    this.leader = next;
    this.leaderEpoch++;
    if (unclean && next >= 0) this.isr = [next];
    else if (next >= 0 && !this.isr.includes(next)) this.isr = [next, ...this.isr];
    this.env.emit({ type: 'election', at: now, topic: this.topic, partition: this.index, oldLeader: old, newLeader: next, epoch: this.leaderEpoch, reason, unclean, lostRecords });
    if (!newLog) return;
    // The new leader's log is the truth: the high watermark cannot exceed it (records above it are gone).
    if (this.highWatermark > newLog.endOffset) {
      this.highWatermark = newLog.endOffset;
      this.env.emit({ type: 'high-watermark', at: now, topic: this.topic, partition: this.index, highWatermark: this.highWatermark });
    }
    this.producers = ProducerStateTable.fromLog(newLog);
    for (const [pid, first] of this.openTxns) if (first >= newLog.endOffset) this.openTxns.delete(pid);
    for (const r of this.replicas) {
      if (r === next || !this.env.isServing(r)) continue;
      this.truncateFollower(r);
      this.scheduleFetch(r);
    }
    this.lastCaughtUpAt.set(next, now);
    this.updateHighWatermark();
    this.wakeFetchers();
  }

  /**
   * A follower truncates to where its log diverges from the leader's (Kafka uses leader epochs for this): records it
   * holds that the leader does not are removed. Returns the number of records removed.
   */
  truncateFollower(follower: number): number {
    const log = this.logs.get(follower);
    const leaderLog = this.leaderLog();
    if (!log || !leaderLog || follower === this.leader) return 0;
    const divergeAt = log.divergenceFrom(leaderLog);
    const removed = log.truncateTo(divergeAt);
    if (removed > 0) {
      this.env.emit({ type: 'truncation', at: this.env.clock.now(), topic: this.topic, partition: this.index, broker: follower, toOffset: divergeAt, records: removed });
    }
    return removed;
  }

  /** Replicates everything the leader has to every serving ISR follower now (controlled shutdown). */
  syncFollowers(): void {
    for (const r of this.isr) if (r !== this.leader) this.replicateTo(r, true);
  }

  cancelTimers(): void {
    this.followerFetches.cancelAll();
    this.ackWaiters.failAll(ErrorCode.NOT_LEADER_OR_FOLLOWER);
    // Long-polling fetches re-check and end (the partition is being deleted or the cluster closed).
    this.wakeFetchers();
  }

  offlineReplicas(): number[] {
    return this.replicas.filter((r) => !this.env.isServing(r));
  }
}
