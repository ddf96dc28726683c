// Kafka's dynamic broker configs (KIP-226): AlterConfigs and IncrementalAlterConfigs on a BROKER resource set them
// for one broker (the resource name is its id) or as the cluster-wide default (the empty name); DescribeConfigs
// reports them with source DYNAMIC_BROKER_CONFIG or DYNAMIC_DEFAULT_BROKER_CONFIG. As Kafka does, the configs it
// reads only at start ("read-only" in its broker config docs) are refused, names it does not know are kept, and the
// rest apply at once.
import { ErrorCode } from '../../wire/error-codes.js';
import type { Cluster } from './cluster.js';
import { parseTopicConfig } from './topic-config.js';

/** The broker configs the sandbox honours that Kafka updates dynamically ("cluster-wide"): each one's topic config. */
export const DYNAMIC_TOPIC_DEFAULTS: Readonly<Record<string, string>> = {
  'log.retention.bytes': 'retention.bytes',
  'message.max.bytes': 'max.message.bytes',
  'min.insync.replicas': 'min.insync.replicas',
  'unclean.leader.election.enable': 'unclean.leader.election.enable',
};

/** Broker configs Kafka reads only at start (update mode "read-only"): AlterConfigs refuses them. */
export const READ_ONLY_BROKER_CONFIGS: ReadonlySet<string> = new Set([
  'advertised.listeners',
  'auto.create.topics.enable',
  'broker.id',
  'connections.max.idle.ms',
  'default.replication.factor',
  'group.initial.rebalance.delay.ms',
  'listeners',
  'log.dirs',
  'node.id',
  'num.partitions',
  'offsets.topic.num.partitions',
  'offsets.topic.replication.factor',
  'process.roles',
  'replica.lag.time.max.ms',
  'socket.request.max.bytes',
  'transaction.max.timeout.ms',
]);

export type BrokerConfigResult = { error: 0 } | { error: number; message: string };

export class DynamicBrokerConfigs {
  private readonly perBroker = new Map<number, Map<string, string>>();
  private readonly clusterDefault = new Map<string, string>();
  /** The topic config defaults the sandbox started with, under the dynamic ones. */
  private readonly staticTopicDefaults: Readonly<Record<string, string>>;

  constructor(private readonly cluster: Cluster) {
    this.staticTopicDefaults = { ...cluster.topicConfigDefaults };
  }

  /** The dynamic configs of one broker, or the cluster-wide defaults for null. */
  at(broker: number | null): ReadonlyMap<string, string> {
    return broker === null ? this.clusterDefault : (this.perBroker.get(broker) ?? new Map());
  }

  /** The value a broker config the sandbox honours had at start, before any dynamic config. */
  staticValue(name: string): string | undefined {
    const topicKey = DYNAMIC_TOPIC_DEFAULTS[name];
    return topicKey === undefined ? undefined : this.staticTopicDefaults[topicKey];
  }

  /**
   * Applies `changes` (name -> value; null removes it) to one broker's configs or, for null, the cluster-wide
   * defaults. `replace` (AlterConfigs) drops every other dynamic config at that level first.
   */
  alter(broker: number | null, changes: Record<string, string | null>, replace: boolean, validateOnly: boolean): BrokerConfigResult {
    const resource = `ConfigResource(type=BROKER, name='${broker ?? ''}')`;
    const refuse = (message: string): BrokerConfigResult => ({ error: ErrorCode.INVALID_REQUEST, message: `Invalid config value for resource ${resource}: ${message}` });
    const set = Object.entries(changes).filter(([, v]) => v !== null).map(([k]) => k);
    const readOnly = set.filter((k) => READ_ONLY_BROKER_CONFIGS.has(k));
    if (readOnly.length > 0) return refuse(`Cannot update these configs dynamically: Set(${readOnly.join(', ')})`);
    const modeled = set.filter((k) => k in DYNAMIC_TOPIC_DEFAULTS);
    if (broker !== null && modeled.length > 0) {
      // Kafka allows a per-broker value "for testing"; the sandbox keeps topic defaults cluster-wide only.
      return refuse(`the sandbox applies ${modeled.join(', ')} to the whole cluster only: set it on the cluster-wide default (the empty broker name)`);
    }
    const next = new Map(replace ? [] : this.at(broker));
    for (const [k, v] of Object.entries(changes)) {
      if (v === null) next.delete(k);
      else next.set(k, v);
    }
    if (broker === null) {
      const applied = this.applyTopicDefaults(next, validateOnly);
      if (applied !== null) return refuse(applied);
    }
    if (validateOnly) return { error: 0 };
    if (broker === null) {
      this.clusterDefault.clear();
      for (const [k, v] of next) this.clusterDefault.set(k, v);
    } else {
      this.perBroker.set(broker, next);
    }
    return { error: 0 };
  }

  /** New cluster-wide topic defaults: every topic keeps its own overrides and takes them for the rest. */
  private applyTopicDefaults(dynamic: ReadonlyMap<string, string>, validateOnly: boolean): string | null {
    const defaults: Record<string, string> = { ...this.staticTopicDefaults };
    for (const [name, topicKey] of Object.entries(DYNAMIC_TOPIC_DEFAULTS)) {
      const v = dynamic.get(name);
      if (v !== undefined) defaults[topicKey] = v;
    }
    const current = this.cluster.topicConfigDefaults;
    const checked = parseTopicConfig({}, defaults);
    if (!checked.ok) return checked.message;
    const reparsed = [];
    for (const topic of this.cluster.topics.values()) {
      const overrides: Record<string, string> = {};
      for (const [k, v] of Object.entries(topic.config.raw)) if (v !== current[k]) overrides[k] = v;
      const parsed = parseTopicConfig(overrides, defaults);
      if (!parsed.ok) return `topic ${topic.name}: ${parsed.message}`;
      reparsed.push({ topic, config: parsed.config });
    }
    if (validateOnly) return null;
    for (const { topic, config } of reparsed) Object.assign(topic.config, config);
    for (const k of Object.keys(current)) delete current[k];
    Object.assign(current, defaults);
    return null;
  }
}
