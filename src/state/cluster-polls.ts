// What the app reads from the cluster itself about once a second, apart from the producer: the topic's LSO and
// HW (the Transactions screen) and the cluster's own state of the topic (leaders, ISRs, controller: the Cluster
// and Live screens and the header). One read of each at a time, each bounded in time, so a paused broker never
// freezes what the screens show: a read that does not answer is abandoned and the next one starts afresh.
import type { ClusterHandle } from '../kafka/cluster/open-cluster.js';
import { clusterTruthReader, withTimeout, type ClusterTruthReader } from '../kafka/cluster/cluster-truth.js';
import { offsetsReaderFor, type OffsetsReader } from '../kafka/cluster/txn-offsets.js';
import type { AppStore } from './store/app-store.js';

/** No read of the cluster waits longer than this. */
const READ_TIMEOUT_MS = 4000;

export class ClusterPolls {
  private offsets: OffsetsReader;
  private truth: ClusterTruthReader;
  private timer: NodeJS.Timeout | null = null;
  private busy = { offsets: false, truth: false };
  private stopped = false;

  constructor(
    cluster: Pick<ClusterHandle, 'sandbox' | 'client'>,
    private readonly store: AppStore,
    private readonly topic: () => string,
    intervalMs: number,
  ) {
    this.offsets = offsetsReaderFor(cluster);
    this.truth = clusterTruthReader(cluster, READ_TIMEOUT_MS - 1000);
    this.poll();
    this.timer = setInterval(() => this.poll(), intervalMs);
    this.timer.unref();
  }

  private poll(): void {
    const topic = this.topic();
    if (!this.busy.offsets) {
      this.busy.offsets = true;
      void withTimeout(this.offsets.read(topic), READ_TIMEOUT_MS, 'reading the offsets')
        .then(
          (view) => {
            if (!this.stopped && topic === this.topic()) this.store.setTxnOffsets(view);
          },
          (e: unknown) => {
            if (!this.stopped) this.store.setTxnOffsets({ topic, rows: [], source: 'ListOffsets', error: (e as Error).message });
            void this.offsets.close();
          },
        )
        .finally(() => (this.busy.offsets = false));
    }
    if (!this.busy.truth) {
      this.busy.truth = true;
      // A failed read leaves the last state in place; the store stops showing it once it is too old.
      void this.truth
        .read(topic)
        .then((t) => {
          if (!this.stopped) this.store.setClusterTruth(t);
        })
        .catch(() => {})
        .finally(() => (this.busy.truth = false));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await Promise.all([this.offsets.close(), this.truth.close()]);
  }
}
