// The producer's view of the cluster: brokers, and each partition's leader, replicas and ISR, from Metadata
// requests through a kafkajs admin client. The accumulator groups batches by these leaders; the cluster view shows
// them. Refreshed on a timer and at once (coalesced) when a send hits a stale leader.
import type { Admin } from 'kafkajs';
import type { PartitionInfo } from './partitioner.js';

export interface PartitionMetadata {
  partition: number;
  leader: number;
  replicas: number[];
  isr: number[];
  offlineReplicas: number[];
}

export interface BrokerMetadata {
  id: number;
  host: string;
  port: number;
}

export class MetadataCache {
  private topics = new Map<string, PartitionMetadata[]>();
  brokers: BrokerMetadata[] = [];
  controller: number | null = null;
  clusterId: string | null = null;
  lastRefreshAt = 0;
  lastError: string | null = null;
  private refreshing: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private listeners = new Set<() => void>();

  constructor(private readonly admin: Admin) {}

  /** Starts periodic refreshes; stop() ends them. */
  start(intervalMs: number): void {
    this.stop();
    this.timer = setInterval(() => void this.refresh().catch(() => {}), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  watch(topic: string): void {
    if (!this.topics.has(topic)) this.topics.set(topic, []);
  }

  /** One refresh at a time: callers arriving during a refresh share it. */
  refresh(): Promise<void> {
    if (this.refreshing) return this.refreshing;
    this.refreshing = this.load().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async load(): Promise<void> {
    try {
      const cluster = await this.admin.describeCluster();
      this.brokers = cluster.brokers.map((b) => ({ id: b.nodeId, host: b.host, port: b.port })).sort((a, b) => a.id - b.id);
      this.controller = cluster.controller;
      this.clusterId = cluster.clusterId;
      const names = [...this.topics.keys()];
      if (names.length > 0) {
        const md = await this.admin.fetchTopicMetadata({ topics: names });
        for (const t of md.topics) {
          this.topics.set(
            t.name,
            t.partitions
              .map((p) => ({
                partition: p.partitionId,
                leader: p.leader,
                replicas: p.replicas,
                isr: p.isr,
                offlineReplicas: p.offlineReplicas ?? [],
              }))
              .sort((a, b) => a.partition - b.partition),
          );
        }
      }
      this.lastError = null;
      this.lastRefreshAt = Date.now();
    } catch (e) {
      this.lastError = (e as Error).message;
      throw e;
    } finally {
      for (const l of this.listeners) l();
    }
  }

  partitions(topic: string): readonly PartitionMetadata[] {
    return this.topics.get(topic) ?? [];
  }

  partitionInfos(topic: string): PartitionInfo[] {
    return this.partitions(topic).map((p) => ({ partition: p.partition, leader: p.leader }));
  }

  leaderOf(topic: string, partition: number): number {
    return this.topics.get(topic)?.[partition]?.leader ?? -1;
  }

  topicNames(): string[] {
    return [...this.topics.keys()];
  }
}
