/**
 * Errors the producer raises on its own (as opposed to broker error codes), each saying what happened, which
 * setting is involved, and whether trying again could help. Messages follow the Java producer's where it has one.
 */

export type ProducerErrorCode = 'RECORD_TOO_LARGE' | 'DELIVERY_TIMEOUT' | 'BUFFER_EXHAUSTED' | 'PRODUCER_CLOSED';

export class ProducerError extends Error {
  constructor(
    readonly code: ProducerErrorCode,
    message: string,
    /** Whether sending the same record again could succeed; none of these can without a settings change. */
    readonly retriable = false,
  ) {
    super(message);
    this.name = 'ProducerError';
  }
}

/** Rejected before it is queued: no request could carry it, or the buffer could never hold it. */
export class RecordTooLargeError extends ProducerError {
  constructor(size: number, limit: number, setting: 'max.request.size' | 'buffer.memory') {
    super(
      'RECORD_TOO_LARGE',
      setting === 'max.request.size'
        ? `The message is ${size} bytes when serialized which is larger than ${limit}, which is the value of the max.request.size configuration.`
        : `The message is ${size} bytes when serialized which is larger than the total memory buffer you have configured with the buffer.memory configuration (${limit}).`,
    );
    this.name = 'RecordTooLargeError';
  }
}

/** A queued batch outlived delivery.timeout.ms before it could be sent (or sent again). */
export class DeliveryTimeoutError extends ProducerError {
  constructor(records: number, topicPartition: string, ageMs: number, deliveryTimeoutMs: number) {
    // Kafka's own wording (RecordAccumulator's TimeoutException), "record(s)" included: people search for it.
    super(
      'DELIVERY_TIMEOUT',
      `Expiring ${records} record(s) for ${topicPartition}: ${ageMs} ms has passed since batch creation (delivery.timeout.ms=${deliveryTimeoutMs})`,
    );
    this.name = 'DeliveryTimeoutError';
  }
}

/** buffer.memory stayed full for max.block.ms: records are produced faster than the cluster takes them. */
export class BufferExhaustedError extends ProducerError {
  constructor(size: number, maxBlockMs: number, total: number, available: number) {
    super(
      'BUFFER_EXHAUSTED',
      `Failed to allocate ${size} bytes within the configured max blocking time ${maxBlockMs} ms. Total memory: ${total} bytes. Available memory: ${available} bytes.`,
    );
    this.name = 'BufferExhaustedError';
  }
}

export class ProducerClosedError extends ProducerError {
  constructor() {
    super('PRODUCER_CLOSED', 'Cannot perform operation after producer has been closed');
    this.name = 'ProducerClosedError';
  }
}

/** An error a broker answered with (or a connection failure), under Kafka's error name. */
export class KafkaError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** Kafka's RetriableException: the same request may succeed later. */
    readonly retriable: boolean,
  ) {
    super(message);
    this.name = 'KafkaError';
  }
}
