// The producer's view of the cluster (Java's Metadata): brokers, and each partition's leader, replicas and ISR,
// from Metadata requests to the least loaded broker. The accumulator groups batches by these leaders; the cluster
// view shows them. Refreshed every metadata.max.age.ms, and at once (coalesced) when a send hits a stale leader, a
// disconnect or a timeout.
import { errorName } from '../../wire/error-codes.js';
import type { PartitionInfo } from './partitioner.js';
import { Api } from './sender/protocol-client.js';

/** Sends a request to whichever broker can answer (the NetworkClient's least loaded node). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyBrokerRequest = (apiKey: number, body: object) => Promise<any>;

interface MetadataBody {
  brokers: { nodeId: number; host: string; port: number }[];
  clusterId: string | null;
  controllerId: number;
  topics: {
    errorCode: number;
    name: string;
    partitions: { errorCode: number; partitionIndex: number; leaderId: number; replicaNodes: number[]; isrNodes: number[]; offlineReplicas: number[] }[];
  }[];
}

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

  /** Errors per topic from the latest answer (e.g. LEADER_NOT_AVAILABLE while it is being created). */
  readonly topicErrors = new Map<string, string>();

  constructor(
    private readonly request: AnyBrokerRequest,
    /** Hears the brokers of every answer (the NetworkClient's addresses). */
    private readonly onBrokers: (brokers: BrokerMetadata[]) => void = () => {},
  ) {}

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
      const names = [...this.topics.keys()];
      const md = (await this.request(Api.Metadata, { topics: names.map((name) => ({ name })), allowAutoTopicCreation: true })) as MetadataBody;
      this.brokers = md.brokers.map((b) => ({ id: b.nodeId, host: b.host, port: b.port })).sort((a, b) => a.id - b.id);
      this.onBrokers(this.brokers);
      this.controller = md.controllerId < 0 ? null : md.controllerId;
      this.clusterId = md.clusterId;
      for (const t of md.topics) {
        if (t.errorCode !== 0) this.topicErrors.set(t.name, errorName(t.errorCode));
        else this.topicErrors.delete(t.name);
        // A topic being created answers LEADER_NOT_AVAILABLE with no partitions: keep what was known.
        if (t.partitions.length === 0) continue;
        this.topics.set(
          t.name,
          t.partitions
            .map((p) => ({ partition: p.partitionIndex, leader: p.leaderId, replicas: p.replicaNodes, isr: p.isrNodes, offlineReplicas: p.offlineReplicas }))
            .sort((a, b) => a.partition - b.partition),
        );
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
