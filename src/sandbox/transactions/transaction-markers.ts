// The coordinator's writes to data partitions (Kafka's TransactionMarkerChannelManager and WriteTxnMarkers): a
// COMMIT or ABORT control batch on the leader of every partition in the transaction, and the producer-state fence
// that makes older epochs of a producer id fail with INVALID_PRODUCER_EPOCH.
import type { Cluster } from '../cluster/cluster.js';
import { buildControlBatch } from '../../wire/record-batch.js';
import type { TopicPartitionRef, TransactionMetadata } from './transaction-metadata.js';

/**
 * Writes the transaction's marker to each partition in `txn.pendingMarkers` that has a serving leader, and returns
 * the partitions still waiting for one. Kafka's coordinator keeps retrying a marker until the partition's leader
 * takes it; a deleted partition needs no marker any more.
 */
export function writeMarkers(cluster: Cluster, txn: TransactionMetadata, commit: boolean): TopicPartitionRef[] {
  const waiting: TopicPartitionRef[] = [];
  for (const ref of txn.pendingMarkers) {
    const p = cluster.partition(ref.topic, ref.partition);
    if (!p) continue;
    if (p.leader < 0 || !cluster.isServing(p.leader)) {
      waiting.push(ref);
      continue;
    }
    const marker = buildControlBatch({
      commit,
      producerId: txn.producerId,
      producerEpoch: txn.producerEpoch,
      timestamp: cluster.clock.now(),
    });
    p.appendControl(marker, txn.producerId, txn.producerEpoch, commit);
  }
  return waiting;
}

/**
 * Fences every epoch of `producerId` below `epoch` on every partition that knows the producer, so its next batch
 * there with an older epoch gets INVALID_PRODUCER_EPOCH even where no marker carries the new epoch.
 */
export function fenceProducerState(cluster: Cluster, producerId: number, epoch: number): void {
  for (const p of cluster.allPartitions()) p.producers.bumpEpoch(producerId, epoch);
}
