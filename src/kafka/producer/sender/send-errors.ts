// Turns what kafkajs throws into what a delivery report says: the Kafka error name, whether that error is
// retriable in Kafka's sense, and whether the producer itself is now unusable.
import type { DeliveryError } from '../engine-types.js';
import { ProducerError } from '../errors.js';

/** Idempotence errors kafkajs never repairs: only a new producer (new InitProducerId) recovers (notes §5.4). */
export const FATAL_PRODUCER_ERRORS = new Set([
  'OUT_OF_ORDER_SEQUENCE_NUMBER',
  'DUPLICATE_SEQUENCE_NUMBER',
  'INVALID_PRODUCER_EPOCH',
  'UNKNOWN_PRODUCER_ID',
  'INVALID_PRODUCER_ID_MAPPING',
  'PRODUCER_FENCED',
]);

/** Errors after which our view of leaders is stale. */
export const STALE_METADATA_ERRORS = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE', 'NOT_LEADER_FOR_PARTITION', 'NOT_LEADER_OR_FOLLOWER']);

interface KafkaJsLikeError extends Error {
  type?: string;
  code?: number;
  retriable?: boolean;
  cause?: unknown;
  retryCount?: number;
}

/** The innermost error: kafkajs wraps the broker's answer in NumberOfRetriesExceeded / NonRetriableError. */
function rootCause(e: unknown): KafkaJsLikeError {
  let cur = e as KafkaJsLikeError;
  for (let i = 0; i < 5 && cur?.cause instanceof Error; i++) cur = cur.cause as KafkaJsLikeError;
  return cur;
}

export function toDeliveryError(e: unknown): DeliveryError {
  if (e instanceof ProducerError) return { message: e.message, code: e.code, retriable: e.retriable };
  const outer = e as KafkaJsLikeError;
  const root = rootCause(e);
  const code = typeof root?.type === 'string' && root.type !== 'UNKNOWN' ? root.type : null;
  let message = root?.message ?? String(e);
  if (outer?.name === 'KafkaJSNumberOfRetriesExceeded') message = `${message} (gave up after ${(outer.retryCount ?? 0) + 1} attempts)`;
  return { message, code, retriable: root?.retriable !== false };
}

export function isFatalForProducer(err: DeliveryError): boolean {
  return err.code !== null && FATAL_PRODUCER_ERRORS.has(err.code);
}

export function isStaleMetadata(err: DeliveryError): boolean {
  return err.code !== null && STALE_METADATA_ERRORS.has(err.code);
}
