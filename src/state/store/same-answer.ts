// Whether a poll of the cluster (once or twice a second) answered what it answered last time: then no frame is due
// for it before the next one the records flowing bring anyway.
import type { ClusterTruth } from '../../kafka/cluster/cluster-truth.js';

/** Plain data compared by content. */
export function sameAnswer(a: unknown, b: unknown): boolean {
  return a === b || (a !== null && b !== null && JSON.stringify(a) === JSON.stringify(b));
}

/** The cluster's state of the topic, apart from when it was read (`at` moves with every read). */
export function sameTruth(a: ClusterTruth | null, b: ClusterTruth | null): boolean {
  return a !== null && b !== null && sameAnswer({ ...a, at: 0 }, { ...b, at: 0 });
}
