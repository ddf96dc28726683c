// What the Sender tells its owner (the engine) as batches go and come back, and the Produce answer it reads.
import type { ProducerBatch } from '../accumulator/producer-batch.js';
import type { DeliveryError, RequestCompletion } from '../engine-types.js';

export interface SenderHooks {
  onRequest(c: RequestCompletion): void;
  /** A batch goes back to its queue for another try: `records` is what is retried, `error` why. */
  onRetry(records: number, error: string, topicPartition: string): void;
  onFatal(error: DeliveryError): void;
  onProducerId(producerId: number, epoch: number, why: string): void;
  /** A batch goes on the wire for the first time, as `bytes` (the whole record batch): its codec and size. */
  onBatchWritten?(bytes: Buffer): void;
  /** A batch refused as too large (MESSAGE_TOO_LARGE) goes back as `parts` smaller batches. */
  onSplit?(b: ProducerBatch, parts: number): void;
  /** The answer came for a batch that expired in flight: `written` tells whether the broker has it after all. */
  onAnswerAfterExpiry?(b: ProducerBatch, written: boolean, baseOffset: number | null): void;
}

export interface ProduceAnswer {
  responses: { name: string; partitionResponses: { index: number; errorCode: number; baseOffset: number; logAppendTimeMs: number }[] }[];
}

/** The answer for one partition of a Produce answer (undefined when the broker left it out). */
export function partitionAnswer(res: ProduceAnswer, topic: string, partition: number): ProduceAnswer['responses'][number]['partitionResponses'][number] | undefined {
  for (const t of res.responses) {
    if (t.name !== topic) continue;
    for (const p of t.partitionResponses) if (p.index === partition) return p;
    return undefined;
  }
  return undefined;
}
