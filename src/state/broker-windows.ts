// The Pipeline screen's view of the broker side of idempotence (built-in cluster only).
import type { ClusterHandle } from '../kafka/cluster/open-cluster.js';
import type { PartitionSequence } from '../kafka/producer/engine-types.js';

/**
 * On the built-in cluster, each partition's sequences get the broker's own window: the last 5 batches the leader
 * keeps for this producer id to spot a retried duplicate (Kafka's ProducerStateManager).
 */
export function brokerWindows(c: ClusterHandle): (seqs: PartitionSequence[]) => PartitionSequence[] {
  const sandbox = c.sandbox;
  if (!sandbox) return (seqs) => seqs;
  return (seqs) =>
    seqs.map((q) => {
      const window = sandbox.producerWindow(q.topic, q.partition, q.producerId);
      const text = (window?.batches ?? []).map((b) => (b.lastSeq > b.firstSeq ? `${b.firstSeq}-${b.lastSeq}` : `${b.firstSeq}`)).join(' ');
      return text ? { ...q, brokerWindow: text } : q;
    });
}
