// Java's ProducerBatch.split: a batch the broker refused with MESSAGE_TOO_LARGE becomes smaller batches carrying the
// same records in the same order, each created when the original was (delivery.timeout.ms still runs from then).
import { RECORD_BATCH_OVERHEAD } from '../serializers.js';
import { ProducerBatch } from './producer-batch.js';

/**
 * The size the parts of a refused batch may have. Java splits at batch.size, which only helps a batch that outgrew
 * batch.size (compression's estimate was wrong); a batch within batch.size refused because the topic's
 * max.message.bytes is smaller would be split into itself again until delivery.timeout.ms (KAFKA-8350). Such a
 * batch's records are halved instead (each part has its own header), so repeated splits end at single records,
 * which fail with RecordTooLargeException.
 */
export function splitLimit(batchBytes: number, batchSize: number): number {
  return batchBytes > batchSize ? batchSize : RECORD_BATCH_OVERHEAD + Math.ceil((batchBytes - RECORD_BATCH_OVERHEAD) / 2);
}

/** The parts of `big` (two or more when it has two or more records), closed for appends, in record order. */
export function splitBatch(big: ProducerBatch, limit: number): ProducerBatch[] {
  // Which records go together: filled as a new batch of `limit` bytes would be, record by record.
  const groups: (typeof big.records)[] = [];
  let filling: ProducerBatch | null = null;
  for (const record of big.records) {
    if (filling === null || !filling.tryAppend(record)) {
      filling = new ProducerBatch(big.topic, big.partition, big.createdMs, limit, 0);
      filling.tryAppend(record);
      groups.push(filling.records);
    }
  }
  // The parts share out the big batch's place in the queue's order, so they stay ahead of every later batch.
  const span = big.span / groups.length;
  return groups.map((records, k) => {
    const part = new ProducerBatch(big.topic, big.partition, big.createdMs, limit, big.sequence + k * span, span);
    for (const r of records) part.tryAppend(r);
    part.closedForAppends = true;
    part.pooled = false;
    return part;
  });
}
