// The screens' rows with the cluster's own state where it is known: partitions' leaders and ISRs and brokers'
// leaderships and controller from the cluster, the producer's belief kept beside them where it differs.
import type { ClusterTruth } from '../../kafka/cluster/cluster-truth.js';
import type { BrokerView, PartitionView } from '../../kafka/producer/engine-types.js';
import type { PartitionRow } from './snapshot.js';

/** Cluster state this old is no longer shown as the truth (the reads stopped answering). */
export const TRUTH_MAX_AGE_MS = 10_000;

export function truthIfFresh(truth: ClusterTruth | null, topic: string, now: number): ClusterTruth | null {
  return truth && truth.topic === topic && now - truth.at <= TRUTH_MAX_AGE_MS ? truth : null;
}

export function partitionRows(views: readonly PartitionView[], truth: ClusterTruth | null, rates: ReadonlyMap<number, number>): PartitionRow[] {
  const actual = new Map((truth?.partitions ?? []).map((p) => [p.partition, p]));
  return views.map((p) => {
    const t = actual.get(p.partition);
    const recordsPerSec = rates.get(p.partition) ?? 0;
    if (!t) return { ...p, recordsPerSec, leaderSource: 'producer', producerLeader: null };
    return {
      ...p,
      recordsPerSec,
      leader: t.leader,
      replicas: [...t.replicas],
      isr: [...t.isr],
      leaderSource: 'cluster',
      producerLeader: t.leader === p.leader ? null : p.leader,
    };
  });
}

/**
 * Brokers with the cluster's leaderships and controller. Where nothing tells a broker's state (a real cluster
 * without control), one that does not answer the producer is shown unreachable rather than up.
 */
export function brokerRows(brokers: readonly BrokerView[], truth: ClusterTruth | null, notAnswering: string | null = null): BrokerView[] {
  const actual = new Map((truth?.brokers ?? []).map((b) => [b.id, b]));
  return brokers.map((b) => {
    const t = actual.get(b.id);
    const silent = b.state === 'up' && (t?.state ?? null) === null && notAnswering === String(b.id);
    const state = silent ? ('unreachable' as const) : b.state;
    if (!truth) return { ...b, state };
    return { ...b, state, leaderCount: t ? t.leaderCount : 0, isController: truth.controller === b.id };
  });
}
