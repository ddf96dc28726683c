// Partition reassignments in progress (KIP-455). As Kafka's controller does, a reassignment first adds the target
// replicas the partition lacks; they copy the leader's log and join the ISR; only then does leadership leave the
// replicas that go, and those are dropped. Until then ListPartitionReassignments lists the partition with its
// adding and removing replicas, and a cancellation (null replicas) puts the partition back as it was.
import { ErrorCode } from '../../wire/error-codes.js';
import type { TimerHandle } from '../../wire/clock.js';
import type { Cluster } from './cluster.js';
import type { Partition } from './partition.js';
import { ReplicaLog } from './replica-log.js';
import { checkAssignment, type AdminResult } from './topic-admin.js';

export interface OngoingReassignment {
  topic: string;
  partition: number;
  /** Kafka's order: the target replicas, then those leaving. */
  replicas: number[];
  adding: number[];
  removing: number[];
}

interface Ongoing {
  partition: Partition;
  original: number[];
  target: number[];
  adding: number[];
  removing: number[];
  started: boolean;
  timer: TimerHandle;
}

export class PartitionReassignments {
  private readonly ongoing = new Map<Partition, Ongoing>();

  constructor(private readonly cluster: Cluster) {
    cluster.on((e) => {
      if (e.type !== 'isr-expand') return;
      const p = cluster.partition(e.topic, e.partition);
      // After the append or fetch that expanded the ISR has finished with the partition.
      if (p && this.ongoing.has(p)) queueMicrotask(() => this.maybeComplete(p));
    });
  }

  /** Starts moving `p` to `target` (replacing a reassignment in progress); completes at once if nothing is to copy. */
  start(p: Partition, target: number[]): AdminResult {
    const checked = checkAssignment(this.cluster, [target], null);
    if (checked.error !== 0) return checked;
    if (this.ongoing.has(p)) this.cancel(p);
    const original = [...p.replicas];
    const r: Ongoing = {
      partition: p,
      original,
      target: [...target],
      adding: target.filter((b) => !original.includes(b)),
      removing: original.filter((b) => !target.includes(b)),
      started: false,
      timer: undefined,
    };
    this.ongoing.set(p, r);
    if (r.adding.length === 0) {
      r.started = true;
      this.maybeComplete(p);
    } else {
      r.timer = this.cluster.clock.setTimeout(() => this.addReplicas(r), this.cluster.settings.reassignmentDelayMs);
    }
    return { error: 0 };
  }

  /** Cancels the reassignment of `p`: the added replicas go, the original ones stay. */
  cancel(p: Partition): AdminResult {
    const r = this.ongoing.get(p);
    if (!r) return { error: ErrorCode.NO_REASSIGNMENT_IN_PROGRESS, message: 'No reassignment is in progress for this partition.' };
    this.cluster.clock.clearTimeout(r.timer);
    this.ongoing.delete(p);
    if (r.started) {
      for (const b of r.adding) {
        p.shrinkIsr(b);
        p.logs.delete(b);
      }
      p.replicas.splice(0, p.replicas.length, ...r.original);
    }
    return { error: 0 };
  }

  /** The reassignments in progress, of the partitions asked for (null: all), in topic and partition order. */
  list(wanted: { name: string; partitionIndexes: number[] }[] | null): OngoingReassignment[] {
    const out: OngoingReassignment[] = [];
    for (const [p, r] of this.ongoing) {
      if (this.cluster.closed || this.cluster.partition(p.topic, p.index) !== p) {
        this.ongoing.delete(p); // its topic was deleted
        continue;
      }
      if (wanted !== null && !wanted.some((w) => w.name === p.topic && w.partitionIndexes.includes(p.index))) continue;
      out.push({ topic: p.topic, partition: p.index, replicas: [...r.target, ...r.removing], adding: [...r.adding], removing: [...r.removing] });
    }
    return out.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
  }

  /** The new replicas join as followers outside the ISR and start copying the leader's log. */
  private addReplicas(r: Ongoing): void {
    const p = r.partition;
    if (this.cluster.closed || this.ongoing.get(p) !== r || this.cluster.partition(p.topic, p.index) !== p) return;
    r.started = true;
    for (const b of r.adding) p.logs.set(b, new ReplicaLog());
    p.replicas.splice(0, p.replicas.length, ...r.target, ...r.removing);
    for (const b of r.adding) p.replicateTo(b);
    this.maybeComplete(p);
  }

  /** Every target replica is in the ISR: leadership leaves the replicas that go, and they are dropped. */
  private maybeComplete(p: Partition): void {
    const r = this.ongoing.get(p);
    if (!r || !r.started || !r.target.every((b) => p.isr.includes(b))) return;
    this.ongoing.delete(p);
    if (!r.target.includes(p.leader)) {
      const next = r.target.find((b) => p.isr.includes(b) && this.cluster.isServing(b));
      if (next !== undefined) p.transferLeadership(next, 'reassignment');
      else p.elect(p.leader, 'reassignment');
    }
    for (const b of r.removing) {
      p.shrinkIsr(b);
      p.logs.delete(b);
    }
    p.replicas.splice(0, p.replicas.length, ...r.target);
  }
}
