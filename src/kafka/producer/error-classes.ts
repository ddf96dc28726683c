// One failure, four names: Kafka's error name, whether Kafka calls it retriable, the kafkajs error class a
// kafkajs application catches, and the exception a Java producer's callback gets. From Kafka's protocol error
// table (org.apache.kafka.common.protocol.Errors, which maps each code to its exception class) and kafkajs's
// src/errors.js; the producer's own errors (no broker code) map to what Java and kafkajs raise for them.
import type { DeliveryError } from './engine-types.js';

export interface ErrorClass {
  kafka: string;
  retriable: boolean;
  kafkajs: string;
  java: string;
}

/** Java exception per Kafka error name (Errors.java); the retriable ones extend RetriableException. */
const JAVA: Record<string, [java: string, retriable: boolean]> = {
  NOT_ENOUGH_REPLICAS: ['NotEnoughReplicasException', true],
  NOT_ENOUGH_REPLICAS_AFTER_APPEND: ['NotEnoughReplicasAfterAppendException', true],
  NOT_LEADER_OR_FOLLOWER: ['NotLeaderOrFollowerException', true],
  NOT_LEADER_FOR_PARTITION: ['NotLeaderOrFollowerException', true],
  LEADER_NOT_AVAILABLE: ['LeaderNotAvailableException', true],
  UNKNOWN_TOPIC_OR_PARTITION: ['UnknownTopicOrPartitionException', true],
  REQUEST_TIMED_OUT: ['TimeoutException', true],
  NETWORK_EXCEPTION: ['NetworkException', true],
  CORRUPT_MESSAGE: ['CorruptRecordException', true],
  KAFKA_STORAGE_ERROR: ['KafkaStorageException', true],
  MESSAGE_TOO_LARGE: ['RecordTooLargeException', false],
  RECORD_TOO_LARGE: ['RecordTooLargeException', false],
  RECORD_LIST_TOO_LARGE: ['RecordBatchTooLargeException', false],
  INVALID_RECORD: ['InvalidRecordException', false],
  TOPIC_AUTHORIZATION_FAILED: ['TopicAuthorizationException', false],
  CLUSTER_AUTHORIZATION_FAILED: ['ClusterAuthorizationException', false],
  TRANSACTIONAL_ID_AUTHORIZATION_FAILED: ['TransactionalIdAuthorizationException', false],
  INVALID_REQUIRED_ACKS: ['InvalidRequiredAcksException', false],
  OUT_OF_ORDER_SEQUENCE_NUMBER: ['OutOfOrderSequenceException', false],
  DUPLICATE_SEQUENCE_NUMBER: ['DuplicateSequenceException', false],
  INVALID_PRODUCER_EPOCH: ['InvalidProducerEpochException', false],
  PRODUCER_FENCED: ['ProducerFencedException', false],
  UNKNOWN_PRODUCER_ID: ['UnknownProducerIdException', false],
  INVALID_TXN_STATE: ['InvalidTxnStateException', false],
  CONCURRENT_TRANSACTIONS: ['ConcurrentTransactionsException', true],
  DELIVERY_TIMEOUT: ['TimeoutException', true],
  BUFFER_EXHAUSTED: ['TimeoutException', true],
  PRODUCER_CLOSED: ['KafkaException', false],
};

/**
 * The four names of a delivery error. kafkajs: a broker error that kafkajs retried until it gave up surfaces as
 * KafkaJSNumberOfRetriesExceeded (wrapping a KafkaJSProtocolError), a non-retriable one as KafkaJSProtocolError,
 * a lost connection as KafkaJSConnectionError, a request timeout as KafkaJSRequestTimeoutError.
 */
export function errorClass(e: DeliveryError): ErrorClass {
  const kafka = e.code ?? (/connect|ECONNREFUSED|closed/i.test(e.message) ? 'NETWORK_EXCEPTION' : 'UNKNOWN_SERVER_ERROR');
  const [java, retriable] = JAVA[kafka] ?? ['KafkaException', e.retriable];
  let kafkajs: string;
  if (kafka === 'RECORD_TOO_LARGE' || kafka === 'BUFFER_EXHAUSTED' || kafka === 'DELIVERY_TIMEOUT' || kafka === 'PRODUCER_CLOSED') kafkajs = 'KafkaJSError (raised by this app)';
  else if (kafka === 'NETWORK_EXCEPTION') kafkajs = 'KafkaJSConnectionError';
  else if (kafka === 'REQUEST_TIMED_OUT') kafkajs = 'KafkaJSRequestTimeoutError';
  else if (retriable) kafkajs = 'KafkaJSNumberOfRetriesExceeded';
  else kafkajs = 'KafkaJSProtocolError';
  return { kafka, retriable, kafkajs, java };
}
