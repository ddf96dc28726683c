// A lab is a producer lesson written as data: what it claims, the settings and topic it uses, the workload and
// fault script it runs, what to watch, and how its verdict is computed from the delivery audit and the metrics.
// The runner (runner.ts) executes it headlessly or for the TUI's guided panel; nothing here knows about the UI.
import type { AuditResult } from '../kafka/workload/delivery-audit.js';
import type { ClusterControl } from '../kafka/cluster/cluster-control.js';
import type { ProducerEngine } from '../kafka/producer/producer-engine.js';
import type { ProducerSettings } from '../kafka/producer/config/settings.js';
import type { RecordSpec, Workload } from '../kafka/workload/workload.js';
import type { ClientTarget } from '../kafka/cluster/clients.js';
import type { ClusterEvent, SandboxControl } from '../kafka/cluster/cluster-handle.js';
import type { LabMetrics, PhaseMetrics } from './lab-metrics.js';
export type { LabMetrics } from './lab-metrics.js';

export interface LabTopic {
  partitions: number;
  replicationFactor: number;
  /** Topic configs by Kafka name, e.g. { 'min.insync.replicas': '2' }. */
  configs?: Record<string, string>;
}

/**
 * How the lab's fresh built-in cluster is started. Broker settings are Kafka's defaults unless set here; the lab's
 * introduction lists what it changed (a lab that needs a follower dropped from the ISR in seconds says so).
 */
export interface LabSandboxSetup {
  brokers?: number;
  replicaLagTimeMaxMs?: number;
  groupInitialRebalanceDelayMs?: number;
}

/**
 * What the lab needs from the cluster. brokerActions: it stops, crashes or pauses brokers (the sandbox, or a real
 * cluster with container control). sandboxFault: a fault only the sandbox can inject; 'required' when the lab
 * cannot show anything without it, 'helps' when it makes the outcome certain and elsewhere it depends on timing.
 * timingOnRealCluster: even with its faults available, the outcome on a real cluster depends on timing.
 */
export interface LabNeeds {
  brokerActions?: boolean;
  sandboxFault?: { need: 'required' | 'helps'; what: string };
  timingOnRealCluster?: boolean;
}

/** "Try this next": one change, and what it will show. */
export interface TryNext {
  text: string;
  settings?: Partial<ProducerSettings>;
  /** Another lab that makes the same change. */
  lab?: string;
}

export interface LabStep {
  id: string;
  text: string;
}

export type LogLevel = 'info' | 'warn';

/** What a script can use. Everything sandbox-only is null on a real cluster. */
export interface LabContext {
  readonly engine: ProducerEngine;
  /** The lab's records: audit stamp, ledger; its spec comes from the lab's `records`. */
  readonly workload: Workload;
  readonly topic: string;
  /** The cluster's bootstrap servers, for the clients a lab runs beside the engine (a second producer, a consumer). */
  readonly brokers: readonly string[];
  /** Brokers and TLS/SASL options for any kafkajs client the lesson builds (kafkaClient). */
  readonly client: ClientTarget;
  readonly clusterKind: 'sandbox' | 'real';
  /** Broker stop/crash/pause/resume/start; null on a real cluster without container control. */
  readonly control: ClusterControl | null;
  /** The built-in cluster's own controls (faults, replication delay, status); null on a real cluster. */
  readonly sandbox: SandboxControl | null;
  readonly signal: AbortSignal;
  /** Marks a step started (the previous one done). */
  step(id: string): void;
  log(text: string, level?: LogLevel): void;
  /** Resolves after ms, or rejects when the run is aborted. */
  sleep(ms: number): Promise<void>;
  /** Polls until cond holds; rejects with `what` after timeoutMs (a guard against hangs, not a timing check). */
  waitFor(cond: () => boolean | Promise<boolean>, what: string, timeoutMs?: number): Promise<void>;
  /** The leader's broker id of a partition of the lab's topic, as the cluster reports it now. */
  leaderOf(partition: number): Promise<number>;
  /** A partition's leader, replicas (leader first) and in-sync replicas, as the cluster reports them now. */
  partition(partition: number): Promise<{ leader: number; replicas: number[]; isr: number[] }>;
  /** Broker action that must succeed (confirmation given: the lab means it). */
  act(action: 'stop' | 'crash' | 'pause' | 'resume' | 'start', broker: number): Promise<void>;
  /** Runs fn and measures what the engine did meanwhile: records, rate, latency, requests, bytes on the wire. */
  measure(fn: () => Promise<unknown>): Promise<PhaseMetrics>;
  /** Cluster events seen so far (the sandbox only; empty elsewhere). */
  clusterEvents(): readonly ClusterEvent[];
}


export interface LabObservation<D> {
  audit: AuditResult;
  metrics: LabMetrics;
  /** What the script returned. */
  details: D;
  clusterKind: 'sandbox' | 'real';
}

export interface Verdict {
  passed: boolean;
  observed: string;
}

export interface Lab<D = unknown> {
  /** Command-line name, e.g. acks0. */
  name: string;
  title: string;
  /** Two lines: what happens, and why. */
  claim: readonly [string, string];
  settings: Partial<ProducerSettings>;
  topic: LabTopic;
  sandbox?: LabSandboxSetup;
  /** The records the workload sends (the topic is filled in). */
  records: Omit<RecordSpec, 'topic'>;
  steps: readonly LabStep[];
  /** What to look at on screen while it runs. */
  watch: readonly string[];
  expected: string;
  needs: LabNeeds;
  /** Audit settle time: how long to wait for high watermarks to cover acknowledged offsets (default 2000 ms). */
  auditSettleMs?: number;
  script(ctx: LabContext): Promise<D>;
  verdict(o: LabObservation<D>): Verdict;
  tryNext: TryNext;
}

/** Erases a lab's detail type for the catalog; the lab's own script and verdict agree on it. */
export function defineLab<D>(lab: Lab<D>): Lab {
  return lab as unknown as Lab;
}

/** A lab's measured table (its details' `table`: a header line, then one line per row), shown at the end of its report. */
export function measuredTable(details: unknown): readonly string[] | null {
  const t = (details as { table?: unknown } | null)?.table;
  return Array.isArray(t) && t.every((l) => typeof l === 'string') ? (t as string[]) : null;
}
