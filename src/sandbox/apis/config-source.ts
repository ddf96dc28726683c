// Kafka's DescribeConfigsResponse.ConfigSource and ConfigResource.Type, shared by the config APIs.

export const ConfigSource = {
  UNKNOWN: 0,
  TOPIC_CONFIG: 1,
  DYNAMIC_BROKER_CONFIG: 2,
  DYNAMIC_DEFAULT_BROKER_CONFIG: 3,
  STATIC_BROKER_CONFIG: 4,
  DEFAULT_CONFIG: 5,
} as const;

export const ResourceType = { TOPIC: 2, BROKER: 4 } as const;
