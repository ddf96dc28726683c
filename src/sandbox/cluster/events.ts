// What the cluster reports as it happens: the UI draws these, tests assert on them.
export type BrokerStatus = 'up' | 'stopped' | 'crashed' | 'paused';

export type ClusterEvent =
  | { type: 'broker'; at: number; broker: number; status: BrokerStatus; previous: BrokerStatus }
  // lostRecords: records the previous leader holds beyond the new leader's log; they are gone (acknowledged ones
  // too under acks=1 or an unclean election), and the previous leader truncates them when it next follows.
  | { type: 'election'; at: number; topic: string; partition: number; oldLeader: number; newLeader: number; epoch: number; reason: string; unclean: boolean; lostRecords: number }
  | { type: 'isr-shrink'; at: number; topic: string; partition: number; broker: number; isr: number[] }
  | { type: 'isr-expand'; at: number; topic: string; partition: number; broker: number; isr: number[] }
  | { type: 'high-watermark'; at: number; topic: string; partition: number; highWatermark: number }
  | { type: 'truncation'; at: number; topic: string; partition: number; broker: number; toOffset: number; records: number }
  | { type: 'controller'; at: number; controller: number }
  | { type: 'topic-created'; at: number; topic: string; partitions: number; replicationFactor: number }
  | { type: 'topic-deleted'; at: number; topic: string }
  | { type: 'fault'; at: number; broker: number; apiKey: number; kind: string; detail: string };

export type ClusterEventListener = (event: ClusterEvent) => void;
