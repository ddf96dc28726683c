// Turns what a send failed with into what a delivery report says: the Kafka error name, and whether that error is
// retriable in Kafka's sense (its RetriableException subclasses).
import type { DeliveryError } from '../engine-types.js';
import { KafkaError, ProducerError } from '../errors.js';

/** Broker errors Kafka marks retriable (org.apache.kafka.common.errors.RetriableException subclasses). */
export const RETRIABLE_ERRORS = new Set([
  'CORRUPT_MESSAGE',
  'UNKNOWN_TOPIC_OR_PARTITION',
  'LEADER_NOT_AVAILABLE',
  'NOT_LEADER_OR_FOLLOWER',
  'REQUEST_TIMED_OUT',
  'NETWORK_EXCEPTION',
  'COORDINATOR_LOAD_IN_PROGRESS',
  'COORDINATOR_NOT_AVAILABLE',
  'NOT_COORDINATOR',
  'NOT_ENOUGH_REPLICAS',
  'NOT_ENOUGH_REPLICAS_AFTER_APPEND',
  'CONCURRENT_TRANSACTIONS',
  'KAFKA_STORAGE_ERROR',
  'FENCED_LEADER_EPOCH',
  'UNKNOWN_LEADER_EPOCH',
  'OFFSET_NOT_AVAILABLE',
  'PREFERRED_LEADER_NOT_AVAILABLE',
  'THROTTLING_QUOTA_EXCEEDED',
  'ERROR_56',
]);

/** Errors after which our view of leaders is stale (Java requests a metadata update). */
export const STALE_METADATA_ERRORS = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE', 'NOT_LEADER_OR_FOLLOWER', 'FENCED_LEADER_EPOCH', 'UNKNOWN_LEADER_EPOCH', 'KAFKA_STORAGE_ERROR']);

export function toDeliveryError(e: unknown): DeliveryError {
  const carried = (e as { delivery?: DeliveryError } | null)?.delivery;
  if (carried) return carried;
  if (e instanceof ProducerError) return { message: e.message, code: e.code, retriable: e.retriable };
  if (e instanceof KafkaError) return { message: e.message, code: e.code, retriable: e.retriable };
  return { message: e instanceof Error ? e.message : String(e), code: null, retriable: false };
}
