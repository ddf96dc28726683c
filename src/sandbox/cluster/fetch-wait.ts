// The Fetch long-poll (Kafka's delayed fetch in purgatory): wait until the caller's readiness check passes or
// max_wait_ms elapses. Wake-ups come from the partitions (appends, high watermark and LSO moves, new leaders) and
// from cluster events (broker status, elections, topic deletion). Everything registered is removed when the wait
// ends, and the wait ends at once when the broker stops or the sandbox closes, so nothing outlives it.
import type { Cluster } from './cluster.js';
import type { Partition } from './partition.js';

export interface FetchWait {
  cluster: Cluster;
  /** The broker answering: its stop or crash ends the wait (its connections are gone). */
  brokerId: number;
  partitions: readonly Partition[];
  maxWaitMs: number;
  /** True when the fetch should be answered now (min_bytes reached or a partition error). */
  ready(): boolean;
}

export function waitForFetchable(w: FetchWait): Promise<void> {
  const { cluster } = w;
  return new Promise((resolve) => {
    let done = false;
    let queued = false;
    let timer: unknown;
    const cleanups: (() => void)[] = [];
    const finish = () => {
      if (done) return;
      done = true;
      cluster.clock.clearTimeout(timer);
      for (const c of cleanups) c();
      resolve();
    };
    const brokerGone = () => {
      const status = cluster.brokers.get(w.brokerId)?.status;
      return status === 'stopped' || status === 'crashed';
    };
    // Wake-ups arrive in the middle of an append or an election: re-check once that change has completed, and
    // coalesce the many wake-ups one produce request can cause.
    const recheck = () => {
      if (done || queued) return;
      queued = true;
      queueMicrotask(() => {
        queued = false;
        if (done) return;
        if (cluster.closed || brokerGone() || w.ready()) finish();
      });
    };
    timer = cluster.clock.setTimeout(finish, w.maxWaitMs);
    for (const p of w.partitions) cleanups.push(p.onData(recheck));
    cleanups.push(
      cluster.on((e) => {
        if (e.type === 'broker' || e.type === 'election' || e.type === 'topic-deleted') recheck();
      }, { highWatermark: false }),
    );
  });
}
