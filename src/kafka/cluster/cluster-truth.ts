// The cluster's own state of a topic, apart from what the producer's metadata says: read directly through the
// built-in cluster's control API, or from a real cluster's Metadata (the controller, the partitions' leaders and
// ISRs) by a client of its own. Every read is bounded in time, so a paused broker never freezes the screens: a
// read that does not answer in time is abandoned, and the next one starts on a fresh connection (likely to another
// broker).
import type { Admin } from 'kafkajs';
import type { BrokerState } from '../producer/engine-types.js';
import { kafkaClient, type ClientTarget } from './clients.js';
import type { SandboxControl } from './cluster-handle.js';

export interface ClusterTruth {
  /** Where it comes from, for the screen. */
  source: 'the built-in cluster' | "the cluster's metadata";
  /** Epoch ms of the read. */
  at: number;
  topic: string;
  controller: number | null;
  brokers: readonly { id: number; state: BrokerState | null; leaderCount: number }[];
  partitions: readonly { partition: number; leader: number; replicas: readonly number[]; isr: readonly number[] }[];
  minInsyncReplicas: number | null;
}

export interface ClusterTruthReader {
  read(topic: string): Promise<ClusterTruth>;
  close(): Promise<void>;
}

/** Rejects when `p` takes longer than `ms` (the caller abandons the read; its connection is dropped). */
export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${what}: no answer within ${ms / 1000} s`)), ms);
    t.unref();
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

class SandboxTruth implements ClusterTruthReader {
  constructor(private readonly sandbox: SandboxControl) {}

  async read(topic: string): Promise<ClusterTruth> {
    // The brokers and this topic alone: the whole cluster's status would describe every topic's partitions.
    const t = this.sandbox.topic(topic);
    const controller = this.sandbox.controller();
    return {
      source: 'the built-in cluster',
      at: Date.now(),
      topic,
      controller: controller >= 0 ? controller : null,
      brokers: this.sandbox.brokers().map((b) => ({ id: b.id, state: b.status, leaderCount: b.leaderCount })),
      partitions: (t?.partitions ?? []).map((p) => ({ partition: p.partition, leader: p.leader, replicas: p.replicas, isr: p.isr })),
      minInsyncReplicas: t?.minInsyncReplicas ?? null,
    };
  }

  async close(): Promise<void> {}
}

/** A real cluster: Metadata through its own admin client, short timeouts, min.insync.replicas read once per topic. */
class MetadataTruth implements ClusterTruthReader {
  private admin: Admin | null = null;
  private minIsr = new Map<string, number>();
  /** kafkajs bootstraps from the first address it is given: after a failed read the next one goes first. */
  private first = 0;

  constructor(
    private readonly client: ClientTarget,
    private readonly timeoutMs: number,
  ) {}

  private async connected(): Promise<Admin> {
    if (this.admin) return this.admin;
    const all = this.client.brokers;
    const brokers = all.map((_, i) => all[(this.first + i) % all.length]);
    const admin = kafkaClient({ ...this.client, brokers }, 'kafka-producer-tui-cluster-view', {
      connectionTimeout: Math.min(3000, this.timeoutMs),
      requestTimeout: this.timeoutMs,
      retry: { retries: 0 },
    }).admin();
    this.admin = admin;
    await admin.connect();
    return admin;
  }

  async read(topic: string): Promise<ClusterTruth> {
    try {
      return await withTimeout(this.load(topic), this.timeoutMs + 500, "reading the cluster's metadata");
    } catch (e) {
      // Not awaited: disconnecting waits on the broker that did not answer.
      void this.close();
      this.first++;
      throw e;
    }
  }

  private async load(topic: string): Promise<ClusterTruth> {
    const admin = await this.connected();
    const cluster = await admin.describeCluster();
    const md = await admin.fetchTopicMetadata({ topics: [topic] });
    const parts = (md.topics.find((t) => t.name === topic)?.partitions ?? [])
      .map((p) => ({ partition: p.partitionId, leader: p.leader, replicas: p.replicas, isr: p.isr }))
      .sort((a, b) => a.partition - b.partition);
    const leaders = new Map<number, number>();
    for (const p of parts) if (p.leader >= 0) leaders.set(p.leader, (leaders.get(p.leader) ?? 0) + 1);
    if (!this.minIsr.has(topic)) {
      // ConfigResourceType.TOPIC is 2 in Kafka's DescribeConfigs.
      const configs = await admin.describeConfigs({ resources: [{ type: 2, name: topic, configNames: ['min.insync.replicas'] }], includeSynonyms: false }).catch(() => null);
      const v = configs?.resources[0]?.configEntries.find((c) => c.configName === 'min.insync.replicas')?.configValue;
      if (v !== undefined && /^\d+$/.test(v)) this.minIsr.set(topic, Number(v));
    }
    return {
      source: "the cluster's metadata",
      at: Date.now(),
      topic,
      controller: cluster.controller ?? null,
      brokers: cluster.brokers.map((b) => ({ id: b.nodeId, state: null, leaderCount: leaders.get(b.nodeId) ?? 0 })).sort((a, b) => a.id - b.id),
      partitions: parts,
      minInsyncReplicas: this.minIsr.get(topic) ?? null,
    };
  }

  async close(): Promise<void> {
    const admin = this.admin;
    this.admin = null;
    await admin?.disconnect().catch(() => {});
  }
}

/** Direct on the built-in cluster; over Metadata, with the cluster's TLS/SASL options, on a real one. */
export function clusterTruthReader(cluster: { sandbox: SandboxControl | null; client: ClientTarget }, timeoutMs = 3000): ClusterTruthReader {
  return cluster.sandbox ? new SandboxTruth(cluster.sandbox) : new MetadataTruth(cluster.client, timeoutMs);
}
