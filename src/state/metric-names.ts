// Screens read the producer metrics' names and meanings through state/ (they import nothing below it).
export { KAFKA_METRICS, type KafkaMetricName } from '../kafka/producer/metrics/kafka-metrics.js';
