// The cluster state every broker is a view of: brokers and their status, topics and partitions, the controller.
// It knows nothing of sockets; the server layer listens to its events.
import { randomUUID } from 'node:crypto';
import { ErrorCode } from '../../wire/error-codes.js';
import { realClock, type Clock } from '../../wire/clock.js';
import type { BrokerStatus, ClusterEvent, ClusterEventListener } from './events.js';
import { changedSettings, defaultSettings, type BrokerSettings, type ChangedSetting } from './broker-settings.js';
import { Partition, type ReplicationEnv } from './partition.js';
import { parseTopicConfig, TOPIC_CONFIG_DEFAULTS, type TopicConfig } from './topic-config.js';

export interface BrokerInfo {
  id: number;
  host: string;
  port: number;
  status: BrokerStatus;
  replicationDelayMs: number;
}

export interface Topic {
  name: string;
  id: string;
  partitions: Partition[];
  config: TopicConfig;
}

/** Broker settings (Kafka's names in broker-settings.ts); anything not given is Kafka's default. */
export interface ClusterOptions extends Partial<BrokerSettings> {
  brokerIds: number[];
  clock?: Clock;
  autoCreateTopics?: boolean;
  /** Defaults for new topics' configs (e.g. min.insync.replicas). */
  topicConfigDefaults?: Record<string, string>;
  clusterId?: string;
}

export type CreateTopicResult = { error: 0 } | { error: number; message: string };

const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;

export class Cluster {
  readonly clock: Clock;
  readonly brokers = new Map<number, BrokerInfo>();
  readonly topics = new Map<string, Topic>();
  readonly clusterId: string;
  controller: number;
  autoCreateTopics: boolean;
  topicConfigDefaults: Record<string, string>;
  readonly settings: BrokerSettings;
  /** Set by close(): anything still waiting on the cluster (fetch long-polls) ends. */
  closed = false;
  private listeners = new Set<ClusterEventListener>();
  /** Listeners to every event but high-watermark moves. */
  private quietListeners = new Set<ClusterEventListener>();
  private isrTimer: unknown;
  private nextProducerId = 1000;
  readonly env: ReplicationEnv;

  constructor(opts: ClusterOptions) {
    this.clock = opts.clock ?? realClock;
    this.settings = defaultSettings();
    for (const [k, v] of Object.entries(opts)) if (k in this.settings && v !== undefined) (this.settings as unknown as Record<string, number>)[k] = v as number;
    for (const id of opts.brokerIds) {
      this.brokers.set(id, { id, host: '127.0.0.1', port: 0, status: 'up', replicationDelayMs: this.settings.replicationDelayMs });
    }
    this.clusterId = opts.clusterId ?? 'sandbox-' + randomUUID().slice(0, 8);
    this.controller = opts.brokerIds[0];
    this.autoCreateTopics = opts.autoCreateTopics ?? true;
    // The sandbox's own default replication factor never asks for more brokers than there are; one given is kept.
    if (opts.defaultReplicationFactor === undefined) {
      this.settings.defaultReplicationFactor = Math.min(this.settings.defaultReplicationFactor, opts.brokerIds.length);
    }
    this.topicConfigDefaults = { ...TOPIC_CONFIG_DEFAULTS, ...opts.topicConfigDefaults };
    this.env = {
      clock: this.clock,
      isServing: (b) => this.isServing(b),
      replicationDelayMs: (b) => this.brokers.get(b)?.replicationDelayMs ?? 0,
      replicaLagTimeMaxMs: () => this.replicaLagTimeMaxMs,
      emit: (e) => this.emit(e),
      highWatermarkListened: () => this.highWatermarkListened,
    };
    this.scheduleIsrCheck();
  }

  /** num.partitions. */
  get defaultPartitions(): number {
    return this.settings.numPartitions;
  }

  /** default.replication.factor. */
  get defaultReplicationFactor(): number {
    return this.settings.defaultReplicationFactor;
  }

  get replicaLagTimeMaxMs(): number {
    return this.settings.replicaLagTimeMaxMs;
  }

  set replicaLagTimeMaxMs(ms: number) {
    this.settings.replicaLagTimeMaxMs = ms;
  }

  /** socket.request.max.bytes. */
  get maxRequestBytes(): number {
    return this.settings.maxRequestBytes;
  }

  /** Settings away from Kafka's defaults (the follower delay: the largest any broker has now). */
  changedSettings(): ChangedSetting[] {
    const replicationDelayMs = Math.max(0, ...[...this.brokers.values()].map((b) => b.replicationDelayMs));
    return changedSettings({ ...this.settings, replicationDelayMs });
  }

  partitionCount(): number {
    let n = 0;
    for (const t of this.topics.values()) n += t.partitions.length;
    return n;
  }

  /**
   * The cap on partitions (sandbox.max.partitions), checked by every path that creates topics or partitions:
   * NONE, or INVALID_PARTITIONS with a message when `adding` more would pass it.
   */
  partitionCapError(adding: number): { error: number; message: string } | null {
    const have = this.partitionCount();
    const cap = this.settings.maxPartitions;
    if (have + adding <= cap) return null;
    return {
      error: ErrorCode.INVALID_PARTITIONS,
      message: `The sandbox holds at most ${cap} partitions (sandbox.max.partitions); it has ${have}, ${adding} more were asked for.`,
    };
  }

  /**
   * Subscribes to cluster events; returns the unsubscribe function. `highWatermark: false` leaves out the
   * high-watermark moves (one or more per acknowledged produce), which most listeners ignore anyway.
   */
  on(listener: ClusterEventListener, opts: { highWatermark?: boolean } = {}): () => void {
    const set = opts.highWatermark === false ? this.quietListeners : this.listeners;
    set.add(listener);
    return () => set.delete(listener);
  }

  emit(event: ClusterEvent): void {
    if (event.type !== 'high-watermark' && this.quietListeners.size > 0) for (const l of [...this.quietListeners]) l(event);
    if (this.listeners.size > 0) for (const l of [...this.listeners]) l(event);
  }

  /** Whether anyone listens to high-watermark moves (a partition builds no event nobody receives). */
  get highWatermarkListened(): boolean {
    return this.listeners.size > 0;
  }

  /** Up and not paused. */
  isServing(id: number): boolean {
    return this.brokers.get(id)?.status === 'up';
  }

  servingBrokers(): BrokerInfo[] {
    return [...this.brokers.values()].filter((b) => b.status === 'up').sort((a, b) => a.id - b.id);
  }

  /** Brokers listed in Metadata: every broker that accepts connections (a paused one still does). */
  listedBrokers(): BrokerInfo[] {
    return [...this.brokers.values()].filter((b) => b.status === 'up' || b.status === 'paused').sort((a, b) => a.id - b.id);
  }

  /** Keeps the controller on a serving broker: the lowest id when it has to move. */
  ensureController(): void {
    if (this.isServing(this.controller)) return;
    const next = this.servingBrokers()[0]?.id ?? this.controller;
    if (next !== this.controller) {
      this.controller = next;
      this.emit({ type: 'controller', at: this.clock.now(), controller: next });
    }
  }

  /** The broker coordinating a group or transactional id: a hash as Kafka does, moved off dead brokers. */
  coordinatorFor(key: string): number {
    const ids = [...this.brokers.keys()].sort((a, b) => a - b);
    let h = 0;
    for (let i = 0; i < key.length; i++) h = (Math.imul(31, h) + key.charCodeAt(i)) | 0;
    const start = Math.abs(h) % ids.length;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[(start + i) % ids.length];
      if (this.isServing(id)) return id;
    }
    return -1;
  }

  allocateProducerId(): number {
    return this.nextProducerId++;
  }

  partition(topic: string, index: number): Partition | undefined {
    return this.topics.get(topic)?.partitions[index];
  }

  createTopic(
    name: string,
    partitions: number,
    replicationFactor: number,
    configs: Record<string, string | null> = {},
    validateOnly = false,
  ): CreateTopicResult {
    if (!TOPIC_NAME.test(name) || name === '.' || name === '..') {
      return { error: ErrorCode.INVALID_TOPIC_EXCEPTION, message: `Topic name "${name}" is illegal: use 1-249 of [a-zA-Z0-9._-]` };
    }
    if (this.topics.has(name)) return { error: ErrorCode.TOPIC_ALREADY_EXISTS, message: `Topic '${name}' already exists.` };
    const count = partitions === -1 ? this.defaultPartitions : partitions;
    const rf = replicationFactor === -1 ? this.defaultReplicationFactor : replicationFactor;
    if (count < 1 || count > 10_000) return { error: ErrorCode.INVALID_PARTITIONS, message: `Number of partitions must be 1-10000, got ${count}.` };
    const ids = [...this.brokers.keys()].sort((a, b) => a - b);
    if (rf < 1 || rf > ids.length) {
      return { error: ErrorCode.INVALID_REPLICATION_FACTOR, message: `Replication factor: ${rf} larger than available brokers: ${ids.length}.` };
    }
    const capped = this.partitionCapError(count);
    if (capped) return capped;
    const parsed = parseTopicConfig(configs, this.topicConfigDefaults);
    if (!parsed.ok) return { error: ErrorCode.INVALID_CONFIG, message: parsed.message };
    if (validateOnly) return { error: 0 };
    // Round-robin assignment like Kafka's: partition p's replicas start at broker p mod n, so leaders spread.
    const topic: Topic = { name, id: randomUUID(), partitions: [], config: parsed.config };
    for (let p = 0; p < count; p++) {
      const replicas = Array.from({ length: rf }, (_, i) => ids[(p + i) % ids.length]);
      const partition = new Partition(name, p, replicas, parsed.config, this.env);
      topic.partitions.push(partition);
    }
    this.topics.set(name, topic);
    this.emit({ type: 'topic-created', at: this.clock.now(), topic: name, partitions: count, replicationFactor: rf });
    return { error: 0 };
  }

  /** Auto-creation on Metadata/Produce when enabled; returns whether the topic exists afterwards. */
  ensureTopic(name: string, allowAutoCreate: boolean): boolean {
    if (this.topics.has(name)) return true;
    if (!this.autoCreateTopics || !allowAutoCreate) return false;
    return this.createTopic(name, -1, -1).error === 0;
  }

  deleteTopic(name: string): number {
    const topic = this.topics.get(name);
    if (!topic) return ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
    for (const p of topic.partitions) p.cancelTimers();
    this.topics.delete(name);
    this.emit({ type: 'topic-deleted', at: this.clock.now(), topic: name });
    return ErrorCode.NONE;
  }

  allPartitions(): Partition[] {
    return [...this.topics.values()].flatMap((t) => t.partitions);
  }

  setBrokerStatus(id: number, status: BrokerStatus): void {
    const b = this.brokers.get(id);
    if (!b || b.status === status) return;
    const previous = b.status;
    b.status = status;
    this.emit({ type: 'broker', at: this.clock.now(), broker: id, status, previous });
  }

  private scheduleIsrCheck(): void {
    const interval = Math.max(20, Math.min(250, this.replicaLagTimeMaxMs / 4));
    this.isrTimer = this.clock.setTimeout(() => {
      for (const p of this.allPartitions()) p.checkIsr();
      this.scheduleIsrCheck();
    }, interval);
  }

  close(): void {
    this.closed = true;
    this.clock.clearTimeout(this.isrTimer);
    for (const p of this.allPartitions()) p.cancelTimers();
    this.listeners.clear();
  }
}
