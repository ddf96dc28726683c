// The Pipeline screen's view of the broker side of idempotence (built-in cluster only).
import type { ClusterHandle } from '../kafka/cluster/open-cluster.js';
import type { PartitionSequence } from '../kafka/producer/metrics/batches-written.js';

/**
 * On the built-in cluster, each partition's sequences get the broker's own window: the last 5 batches it keeps for
 * this producer id to spot a retried duplicate (Kafka's ProducerStateManager). Read at most once a second.
 */
export function brokerWindows(c: ClusterHandle): (seqs: PartitionSequence[]) => PartitionSequence[] {
  const sandbox = c.sandbox;
  if (!sandbox) return (seqs) => seqs;
  let at = 0;
  let cached = new Map<string, string>();
  return (seqs) => {
    if (Date.now() - at >= 1000) {
      at = Date.now();
      cached = new Map(
        seqs.map((q) => {
          const window = sandbox.producerWindow(q.topic, q.partition, q.producerId);
          return [`${q.topic}-${q.partition}`, (window?.batches ?? []).map((b) => (b.lastSeq > b.firstSeq ? `${b.firstSeq}-${b.lastSeq}` : `${b.firstSeq}`)).join(' ')];
        }),
      );
    }
    return seqs.map((q) => ({ ...q, brokerWindow: cached.get(`${q.topic}-${q.partition}`) || undefined }));
  };
}
