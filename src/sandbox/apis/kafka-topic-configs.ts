// Kafka's topic configs (Kafka 4.0's TopicConfig and LogConfig): each one's default, its type, and the broker
// config it falls back to (its synonym), for DescribeConfigs and for refusing unknown names as Kafka does. The
// sandbox honours only some of them (cluster/topic-config.ts); the others are kept and described as given.

/** DescribeConfigsResponse.ConfigType. */
export const ConfigType = { BOOLEAN: 1, STRING: 2, INT: 3, SHORT: 4, LONG: 5, DOUBLE: 6, LIST: 7 } as const;

export interface TopicConfigDef {
  kafkaDefault: string;
  type: number;
  /** The broker config a topic without its own value takes (Kafka's synonym). */
  brokerSynonym: string | null;
}

const LONG_MAX = '9223372036854775807';
const { BOOLEAN, STRING, INT, LONG, DOUBLE, LIST } = ConfigType;

const def = (kafkaDefault: string, type: number, brokerSynonym: string | null): TopicConfigDef => ({ kafkaDefault, type, brokerSynonym });

export const KAFKA_TOPIC_CONFIGS: Readonly<Record<string, TopicConfigDef>> = {
  'cleanup.policy': def('delete', LIST, 'log.cleanup.policy'),
  'compression.gzip.level': def('-1', INT, 'compression.gzip.level'),
  'compression.lz4.level': def('9', INT, 'compression.lz4.level'),
  'compression.type': def('producer', STRING, 'compression.type'),
  'compression.zstd.level': def('3', INT, 'compression.zstd.level'),
  'delete.retention.ms': def('86400000', LONG, 'log.cleaner.delete.retention.ms'),
  'file.delete.delay.ms': def('60000', LONG, 'log.segment.delete.delay.ms'),
  'flush.messages': def(LONG_MAX, LONG, 'log.flush.interval.messages'),
  'flush.ms': def(LONG_MAX, LONG, 'log.flush.interval.ms'),
  'follower.replication.throttled.replicas': def('', LIST, null),
  'index.interval.bytes': def('4096', INT, 'log.index.interval.bytes'),
  'leader.replication.throttled.replicas': def('', LIST, null),
  'local.retention.bytes': def('-2', LONG, 'log.local.retention.bytes'),
  'local.retention.ms': def('-2', LONG, 'log.local.retention.ms'),
  'max.compaction.lag.ms': def(LONG_MAX, LONG, 'log.cleaner.max.compaction.lag.ms'),
  'max.message.bytes': def('1048588', INT, 'message.max.bytes'),
  'message.timestamp.after.max.ms': def(LONG_MAX, LONG, 'log.message.timestamp.after.max.ms'),
  'message.timestamp.before.max.ms': def(LONG_MAX, LONG, 'log.message.timestamp.before.max.ms'),
  'message.timestamp.type': def('CreateTime', STRING, 'log.message.timestamp.type'),
  'min.cleanable.dirty.ratio': def('0.5', DOUBLE, 'log.cleaner.min.cleanable.ratio'),
  'min.compaction.lag.ms': def('0', LONG, 'log.cleaner.min.compaction.lag.ms'),
  'min.insync.replicas': def('1', INT, 'min.insync.replicas'),
  preallocate: def('false', BOOLEAN, 'log.preallocate'),
  'remote.storage.enable': def('false', BOOLEAN, null),
  'retention.bytes': def('-1', LONG, 'log.retention.bytes'),
  'retention.ms': def('604800000', LONG, 'log.retention.ms'),
  'segment.bytes': def('1073741824', INT, 'log.segment.bytes'),
  'segment.index.bytes': def('10485760', INT, 'log.index.size.max.bytes'),
  'segment.jitter.ms': def('0', LONG, 'log.roll.jitter.ms'),
  'segment.ms': def('604800000', LONG, 'log.roll.ms'),
  'unclean.leader.election.enable': def('false', BOOLEAN, 'unclean.leader.election.enable'),
};

/** The first config name Kafka would refuse as unknown (INVALID_CONFIG), if any. */
export function unknownTopicConfig(names: Iterable<string>): string | undefined {
  for (const n of names) if (!(n in KAFKA_TOPIC_CONFIGS)) return n;
  return undefined;
}
