// What the cluster reports as it happens: the UI draws these, tests assert on them.
export type BrokerStatus = 'up' | 'stopped' | 'crashed' | 'paused';

export type ClusterEvent =
  | { type: 'broker'; at: number; broker: number; status: BrokerStatus; previous: BrokerStatus }
  | { type: 'election'; at: number; topic: string; partition: number; oldLeader: number; newLeader: number; epoch: number; reason: string; unclean: boolean }
  | { type: 'isr-shrink'; at: number; topic: string; partition: number; broker: number; isr: number[] }
  | { type: 'isr-expand'; at: number; topic: string; partition: number; broker: number; isr: number[] }
  | { type: 'high-watermark'; at: number; topic: string; partition: number; highWatermark: number }
  | { type: 'truncation'; at: number; topic: string; partition: number; broker: number; toOffset: number; records: number }
  | { type: 'controller'; at: number; controller: number }
  | { type: 'topic-created'; at: number; topic: string; partitions: number; replicationFactor: number }
  | { type: 'topic-deleted'; at: number; topic: string }
  | { type: 'fault'; at: number; broker: number; apiKey: number; kind: string; detail: string };

export type ClusterEventListener = (event: ClusterEvent) => void;
