// The one control surface of the built-in cluster: the app, the lessons, the tests and the stdin commands of
// `kafka-producer-tui sandbox` all go through it. Every operation validates first and changes nothing when it
// answers { ok: false }.
import * as lifecycle from '../cluster/broker-lifecycle.js';
import type { Cluster } from '../cluster/cluster.js';
import type { ClusterEventListener } from '../cluster/events.js';
import { apiName, errorName, resolveApi, resolveErrorCode } from './control-names.js';
import { Sandbox, type SandboxOptions } from '../sandbox.js';
import { describeFault, type FaultKind, type FaultRule } from '../server/faults.js';
import { formatStatus } from './status-text.js';
import { partitionView, requestView, topicView } from './state-views.js';

export type { ControlResult, BrokerView, PartitionView, PartitionOffsetsView, TopicView, ClusterStatusView, FaultTarget, FaultView, RequestView, StoredBatchView, BrokerStatus, ClusterEvent, ClusterEventListener, SandboxOptions } from './views.js';
import type { ControlResult, BrokerView, PartitionView, PartitionOffsetsView, TopicView, ClusterStatusView, FaultTarget, FaultView, RequestView, StoredBatchView } from './views.js';
import { plural } from '../plural.js';

const MAX_FAULT_COUNT = 10_000;
const MAX_DELAY_MS = 600_000;

const fail = (message: string): ControlResult => ({ ok: false, message });

function isWholeNumber(n: unknown, min: number, max: number): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= min && n <= max;
}

export class SandboxControl {
  constructor(private readonly sandbox: Sandbox) {}

  /** Starts a built-in cluster and returns its control: the one way the client side gets one. */
  static async start(opts: SandboxOptions = {}): Promise<SandboxControl> {
    return new SandboxControl(await Sandbox.start(opts));
  }

  private get cluster(): Cluster {
    return this.sandbox.cluster;
  }

  /** host:port of every broker, in broker id order. */
  addresses(): string[] {
    return this.sandbox.addresses();
  }

  /** Stops every listener and closes every connection. */
  close(): Promise<void> {
    return this.sandbox.close();
  }

  // --- reading the cluster's state ---

  /** One partition as the cluster sees it now, without a metadata round trip; null when it does not exist. */
  partition(topic: string, partition: number): PartitionView | null {
    const t = this.cluster.topics.get(topic);
    const p = t?.partitions[partition];
    return t && p ? partitionView(t.name, p) : null;
  }

  /** The leader's stored batches of a partition (offsets, producer id, epoch, sequences), oldest first. */
  storedBatches(topic: string, partition: number): StoredBatchView[] {
    const log = this.cluster.partition(topic, partition)?.leaderLog();
    return (log?.batches ?? []).map((b) => ({
      baseOffset: b.baseOffset,
      lastOffset: b.lastOffset,
      producerId: b.producerId,
      producerEpoch: b.producerEpoch,
      baseSequence: b.baseSequence,
      recordCount: b.recordCount,
      isTransactional: b.isTransactional,
      isControl: b.isControl,
    }));
  }

  /**
   * The leader's window for one producer id on a partition: its epoch and the sequence ranges of its last 5
   * batches, which is what the broker compares a retried batch with to drop it as a duplicate.
   */
  producerWindow(topic: string, partition: number, producerId: number): { epoch: number; batches: { firstSeq: number; lastSeq: number; baseOffset: number }[] } | null {
    return this.cluster.partition(topic, partition)?.producers.window(producerId) ?? null;
  }

  /** The broker that coordinates a transactional id or a consumer group (both hash onto the same brokers here). */
  coordinatorFor(key: string): number {
    return this.cluster.coordinatorFor(key);
  }

  /** Requests received so far, filtered by API name (Kafka's, e.g. 'Produce') and broker. */
  requests(filter: { api?: string; broker?: number } = {}): RequestView[] {
    return this.sandbox.state.requestLog.find(filter).map(requestView);
  }

  /** The latest n requests, newest last (the Cluster screen's request log). */
  recentRequests(n: number): RequestView[] {
    return this.sandbox.state.requestLog.recent(n).map(requestView);
  }

  // --- brokers ---

  stop(broker: number): Promise<ControlResult> {
    return this.brokerOp(broker, lifecycle.stopBroker);
  }

  crash(broker: number): Promise<ControlResult> {
    return this.brokerOp(broker, lifecycle.crashBroker);
  }

  pause(broker: number): Promise<ControlResult> {
    return this.brokerOp(broker, lifecycle.pauseBroker);
  }

  resume(broker: number): Promise<ControlResult> {
    return this.brokerOp(broker, lifecycle.resumeBroker);
  }

  start(broker: number): Promise<ControlResult> {
    return this.brokerOp(broker, lifecycle.startBroker);
  }

  /** Applies the state change, then waits until the listeners have followed it (closed, reopened). */
  private async brokerOp(broker: number, op: (c: Cluster, id: number) => lifecycle.BrokerOpResult): Promise<ControlResult> {
    if (!isWholeNumber(broker, 0, Number.MAX_SAFE_INTEGER)) return fail(`broker id must be a whole number, got ${broker}`);
    const result = op(this.cluster, broker);
    await this.sandbox.settled();
    const info = this.cluster.brokers.get(broker);
    const server = this.sandbox.servers.get(broker);
    if (result.ok && info?.status === 'up' && server && !server.listening) {
      // The port was taken while it was down: put it back as it was rather than leave an "up" broker nobody can reach.
      lifecycle.stopBroker(this.cluster, broker);
      await this.sandbox.settled();
      return fail(`broker ${broker} could not listen on ${info.host}:${info.port} again (is another process using the port?); it stays stopped`);
    }
    return { ok: result.ok, message: result.message };
  }

  // --- state ---

  status(): ClusterStatusView {
    const c = this.cluster;
    const topics = [...c.topics.values()].sort((a, b) => a.name.localeCompare(b.name)).map(topicView);
    return {
      clusterId: c.clusterId,
      controller: c.controller,
      autoCreateTopics: c.autoCreateTopics,
      replicaLagTimeMaxMs: c.replicaLagTimeMaxMs,
      changedSettings: c.changedSettings(),
      brokers: this.brokers(),
      topics,
      pendingFaults: this.sandbox.state.faults.pending().length,
    };
  }

  /** status()'s brokers alone, in id order. */
  brokers(): BrokerView[] {
    const c = this.cluster;
    const leaderCounts = new Map<number, number>();
    for (const p of c.allPartitions()) if (p.leader >= 0) leaderCounts.set(p.leader, (leaderCounts.get(p.leader) ?? 0) + 1);
    return [...c.brokers.values()]
      .sort((a, b) => a.id - b.id)
      .map((b) => ({
        id: b.id,
        status: b.status,
        host: b.host,
        port: b.port,
        address: `${b.host}:${b.port}`,
        leaderCount: leaderCounts.get(b.id) ?? 0,
        isController: c.controller === b.id,
        connections: this.sandbox.servers.get(b.id)?.connectionCount() ?? 0,
        replicationDelayMs: b.replicationDelayMs,
      }));
  }

  /** The broker that is the controller now (-1 when none is up). */
  controller(): number {
    return this.cluster.controller;
  }

  /**
   * One topic as status() lists it, null when it does not exist: what the app's once-a-second reads ask for,
   * without describing every other topic's partitions (the consumer offsets' too) and the broker settings.
   */
  topic(name: string): TopicView | null {
    const t = this.cluster.topics.get(name);
    return t ? topicView(t) : null;
  }

  /**
   * The offsets of each partition of a topic (leader's log start and end, high watermark, last stable offset), in
   * partition order; null when it does not exist. Asked for with every frame the app publishes, so it builds
   * nothing else.
   */
  offsets(topic: string): PartitionOffsetsView[] | null {
    const t = this.cluster.topics.get(topic);
    if (!t) return null;
    return t.partitions.map((p) => ({
      partition: p.index,
      logStartOffset: p.logStartOffset(),
      logEndOffset: p.logEndOffset(),
      highWatermark: p.highWatermark,
      lastStableOffset: p.lastStableOffset(),
    }));
  }

  /** A compact human-readable table of status(). */
  statusText(): string {
    return formatStatus(this.status());
  }

  // --- faults ---

  injectError(api: string | number, error: string | number, opts: { when?: 'before' | 'after'; broker?: number; count?: number } = {}): ControlResult {
    const when = opts.when ?? 'before';
    if (when !== 'before' && when !== 'after') return fail(`'when' must be before or after, got ${String(when)}`);
    const code = resolveErrorCode(error);
    if (!code.ok) return fail(code.message);
    return this.addFault({ api, broker: opts.broker, count: opts.count }, when === 'before' ? { kind: 'error-before', error: code.value } : { kind: 'error-after', error: code.value });
  }

  dropResponse(target: FaultTarget): ControlResult {
    return this.addFault(target, { kind: 'drop-response' });
  }

  delayResponse(ms: number, target: FaultTarget): ControlResult {
    if (!isWholeNumber(ms, 1, MAX_DELAY_MS)) return fail(`delay must be 1-${MAX_DELAY_MS} ms, got ${ms}`);
    return this.addFault(target, { kind: 'delay', ms });
  }

  disconnect(target: FaultTarget): ControlResult {
    return this.addFault(target, { kind: 'disconnect' });
  }

  private addFault(target: FaultTarget, fault: FaultKind): ControlResult {
    const api = resolveApi(target.api);
    if (!api.ok) return fail(api.message);
    const definition = this.servedApis().get(api.value);
    if (!definition) {
      const served = [...this.servedApis().keys()].sort((a, b) => a - b).map(apiName).join(', ');
      return fail(`the sandbox does not serve ${apiName(api.value)}, so no request would ever match (served: ${served})`);
    }
    if ((fault.kind === 'error-before' || fault.kind === 'error-after') && !definition.withError) {
      return fail(`${apiName(api.value)} cannot answer an injected error; drop, delay and disconnect work on every API`);
    }
    if (target.broker !== undefined && !this.cluster.brokers.has(target.broker)) {
      return fail(`no broker ${target.broker} (brokers: ${[...this.cluster.brokers.keys()].join(', ')})`);
    }
    const count = target.count ?? 1;
    if (!isWholeNumber(count, 1, MAX_FAULT_COUNT)) return fail(`count must be 1-${MAX_FAULT_COUNT}, got ${count}`);
    const rule = { ...fault, apiKey: api.value, broker: target.broker };
    this.sandbox.state.faults.push(rule, count);
    const times = count === 1 ? 'the next matching request' : `the next ${count} matching requests`;
    return { ok: true, message: `fault added for ${times}: ${describeFault(rule)}` };
  }

  private servedApis() {
    const first = this.sandbox.servers.values().next().value;
    return first ? first.apis : new Map();
  }

  /** Faults not yet consumed, in the order they will match. */
  listFaults(): FaultView[] {
    return this.sandbox.state.faults.pending().map((r: FaultRule) => ({
      id: r.id,
      apiKey: r.apiKey,
      api: apiName(r.apiKey),
      broker: r.broker,
      kind: r.kind,
      ...(r.kind === 'error-before' || r.kind === 'error-after' ? { error: r.error, errorName: errorName(r.error) } : {}),
      ...(r.kind === 'delay' ? { delayMs: r.ms } : {}),
      description: describeFault(r),
    }));
  }

  clearFaults(): ControlResult {
    const n = this.sandbox.state.faults.clear();
    return { ok: true, message: n === 0 ? 'no faults were pending' : `cleared ${plural(n, 'pending fault')}` };
  }

  // --- leadership and replication ---

  moveLeader(topic: string, partition: number, broker: number): ControlResult {
    if (!isWholeNumber(partition, 0, Number.MAX_SAFE_INTEGER)) return fail(`partition must be a whole number, got ${partition}`);
    if (!isWholeNumber(broker, 0, Number.MAX_SAFE_INTEGER)) return fail(`broker id must be a whole number, got ${broker}`);
    return lifecycle.moveLeader(this.cluster, topic, partition, broker);
  }

  preferredLeaderElection(): ControlResult {
    return lifecycle.preferredLeaderElection(this.cluster);
  }

  /** How long a follower waits before copying the leader's new batches. */
  setReplicationDelay(broker: number, ms: number): ControlResult {
    if (!isWholeNumber(ms, 0, MAX_DELAY_MS)) return fail(`replication delay must be 0-${MAX_DELAY_MS} ms, got ${ms}`);
    return lifecycle.setReplicationDelay(this.cluster, broker, ms);
  }

  /** replica.lag.time.max.ms: how long a follower may lag before it leaves the ISR (also the pause fencing time). */
  setReplicaLagTimeMax(ms: number): ControlResult {
    if (!isWholeNumber(ms, 1, MAX_DELAY_MS)) return fail(`replica.lag.time.max.ms must be 1-${MAX_DELAY_MS}, got ${ms}`);
    const old = this.cluster.replicaLagTimeMaxMs;
    this.cluster.replicaLagTimeMaxMs = ms;
    return { ok: true, message: `replica.lag.time.max.ms ${old} -> ${ms}` };
  }

  setMinInsyncReplicas(topic: string, n: number): ControlResult {
    const t = this.cluster.topics.get(topic);
    if (!t) return fail(this.noTopic(topic));
    if (!isWholeNumber(n, 1, 1000)) return fail(`min.insync.replicas must be a whole number >= 1, got ${n}`);
    const old = t.config.minInsyncReplicas;
    // Partitions hold the topic's config object, so an in-place update reaches them all.
    t.config.minInsyncReplicas = n;
    t.config.raw['min.insync.replicas'] = String(n);
    const rf = t.partitions[0]?.replicas.length ?? 0;
    const note = n > rf ? ` (above the replication factor ${rf}: every acks=all produce will fail with NOT_ENOUGH_REPLICAS)` : '';
    return { ok: true, message: `${topic}: min.insync.replicas ${old} -> ${n}${note}` };
  }

  /** unclean.leader.election.enable; turning it on elects a leader at once for leaderless partitions, as Kafka does. */
  setUncleanLeaderElection(topic: string, enabled: boolean): ControlResult {
    const t = this.cluster.topics.get(topic);
    if (!t) return fail(this.noTopic(topic));
    t.config.uncleanLeaderElection = enabled;
    t.config.raw['unclean.leader.election.enable'] = String(enabled);
    let elected = 0;
    if (enabled) {
      for (const p of t.partitions) {
        if (p.leader < 0 && p.elect(-1, 'unclean.leader.election.enable turned on') >= 0) elected++;
      }
    }
    const extra = elected > 0 ? `; ${plural(elected, 'leaderless partition')} got an unclean leader` : '';
    return { ok: true, message: `${topic}: unclean.leader.election.enable=${enabled}${extra}` };
  }

  /**
   * retention.ms or retention.bytes of a topic. The built-in cluster trims each partition by bytes (retention.bytes,
   * within its own memory bound); retention.ms is kept and reported as Kafka would, not enforced by time.
   */
  setRetention(topic: string, name: 'retention.ms' | 'retention.bytes', value: number): ControlResult {
    const t = this.cluster.topics.get(topic);
    if (!t) return fail(this.noTopic(topic));
    if (!Number.isInteger(value) || value < -1) return fail(`${name} must be a whole number, -1 for no limit; got ${value}`);
    const old = t.config.raw[name];
    t.config.raw[name] = String(value);
    if (name === 'retention.bytes') t.config.retentionBytes = value;
    const note = name === 'retention.ms' ? ' (the built-in cluster keeps records by size: stored and reported, not enforced by time)' : '';
    return { ok: true, message: `${topic}: ${name} ${old} -> ${value}${note}` };
  }

  /** A topic's configs as DescribeConfigs reports them. */
  topicConfig(topic: string): Record<string, string> | null {
    const t = this.cluster.topics.get(topic);
    return t ? { ...t.config.raw } : null;
  }

  setAutoCreateTopics(enabled: boolean): ControlResult {
    this.cluster.autoCreateTopics = enabled;
    return { ok: true, message: `auto.create.topics.enable=${enabled}` };
  }

  private noTopic(topic: string): string {
    const names = [...this.cluster.topics.keys()].sort();
    return `no topic '${topic}' (${names.length > 0 ? `topics: ${names.join(', ')}` : 'no topics yet'})`;
  }

  // --- events ---

  /**
   * Cluster events (elections, ISR changes, truncations, broker status, faults, high-watermark moves unless
   * `highWatermark: false`); returns the unsubscribe function.
   */
  on(listener: ClusterEventListener, opts: { highWatermark?: boolean } = {}): () => void {
    return this.cluster.on(listener, opts);
  }
}
