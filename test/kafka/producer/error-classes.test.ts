// One failure under its four names: Kafka's error, retriable or not, the kafkajs class an application catches,
// the Java producer's exception.
import { describe, expect, it } from 'vitest';
import { errorClass } from '../../../src/kafka/producer/error-classes.js';

describe('error classes', () => {
  it('names a retriable broker error kafkajs gave up on', () => {
    expect(errorClass({ code: 'NOT_ENOUGH_REPLICAS', message: 'fewer in-sync replicas', retriable: true })).toEqual({
      kafka: 'NOT_ENOUGH_REPLICAS', retriable: true, kafkajs: 'KafkaJSNumberOfRetriesExceeded', java: 'NotEnoughReplicasException',
    });
  });

  it('names non-retriable, timeout, size and connection errors', () => {
    expect(errorClass({ code: 'MESSAGE_TOO_LARGE', message: 'too large', retriable: false })).toMatchObject({ retriable: false, kafkajs: 'KafkaJSProtocolError', java: 'RecordTooLargeException' });
    expect(errorClass({ code: 'REQUEST_TIMED_OUT', message: 'timed out', retriable: true })).toMatchObject({ kafkajs: 'KafkaJSRequestTimeoutError', java: 'TimeoutException' });
    expect(errorClass({ code: 'DELIVERY_TIMEOUT', message: 'expired', retriable: false })).toMatchObject({ java: 'TimeoutException' });
    expect(errorClass({ code: null, message: 'Connection error: connect ECONNREFUSED 127.0.0.1:9092', retriable: true })).toMatchObject({ kafka: 'NETWORK_EXCEPTION', kafkajs: 'KafkaJSConnectionError', java: 'NetworkException' });
    expect(errorClass({ code: 'OUT_OF_ORDER_SEQUENCE_NUMBER', message: 'x', retriable: false })).toMatchObject({ retriable: false, java: 'OutOfOrderSequenceException' });
  });
});
