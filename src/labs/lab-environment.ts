// Where a lab runs: a fresh built-in cluster on free ports (one per run, so one lab's crashed brokers and faults
// never leak into the next), or a real cluster given by --brokers, with broker control through its containers
// when they can be found. Also the lab's topic (a unique name per run) and fresh leader lookups.
import { Kafka, logLevel, type Admin } from 'kafkajs';
import type { ClusterControl } from '../kafka/cluster/cluster-control.js';
import type { ClientSecurity } from '../commands/connection-flags.js';
import { clusterControlFor, type ContainerTarget } from '../kafka/cluster/open-cluster.js';
import type { EngineOptions } from '../kafka/producer/producer-engine.js';
import { SandboxClusterControl } from '../kafka/cluster/sandbox-cluster-control.js';
import type { ClusterEvent } from '../sandbox/cluster/events.js';
import { SandboxControl } from '../sandbox/control/control.js';
import { Sandbox } from '../sandbox/sandbox.js';
import type { LabSandboxSetup, LabTopic } from './lab-types.js';

export interface LabEnvironment {
  kind: 'sandbox' | 'real';
  brokers: string[];
  label: string;
  control: ClusterControl | null;
  /** Why there is no broker control on a real cluster. */
  controlProblem: string | null;
  sandbox: SandboxControl | null;
  engineOptions: Pick<EngineOptions, 'brokerStates' | 'offsets' | 'ssl' | 'sasl'>;
  /** Cluster events (sandbox only); returns the unsubscribe function. */
  onEvent(fn: (e: ClusterEvent) => void): () => void;
  createTopic(name: string, topic: LabTopic): Promise<void>;
  partitionInfo(topic: string, partition: number): Promise<{ leader: number; replicas: number[]; isr: number[] }>;
  close(topic: string | null): Promise<void>;
}

function adminFor(brokers: string[], security: ClientSecurity = {}): Admin {
  return new Kafka({
    clientId: 'kafka-producer-tui-lab',
    brokers,
    ...security,
    connectionTimeout: 3000,
    logLevel: logLevel.NOTHING,
    retry: { retries: 3, initialRetryTime: 100, maxRetryTime: 1000 },
  }).admin();
}

/** Opens the cluster; on a real cluster broker control is looked for only when the lab needs it. */
export async function openLabEnvironment(opts: {
  brokers?: string[];
  sandbox?: LabSandboxSetup;
  wantControl: boolean;
  security?: ClientSecurity;
  containers?: ContainerTarget;
}): Promise<LabEnvironment> {
  if (opts.brokers && opts.brokers.length > 0) return openReal(opts.brokers, opts.wantControl, opts.security ?? {}, opts.containers);
  return openSandbox(opts.sandbox ?? {});
}

async function openSandbox(setup: LabSandboxSetup): Promise<LabEnvironment> {
  const sandbox = await Sandbox.start({
    port: 0,
    brokers: setup.brokers ?? 3,
    replicaLagTimeMaxMs: setup.replicaLagTimeMaxMs,
    groupInitialRebalanceDelayMs: setup.groupInitialRebalanceDelayMs,
  });
  const sc = new SandboxControl(sandbox);
  const control = new SandboxClusterControl(sc);
  let admin: Admin | null = null;
  return {
    kind: 'sandbox',
    brokers: sandbox.addresses(),
    label: control.describe(),
    control,
    controlProblem: null,
    sandbox: sc,
    engineOptions: { brokerStates: () => control.brokerStates(), offsets: (t) => control.offsets(t) },
    onEvent: (fn) => sc.on(fn),
    // Created over the wire like on a real cluster, so the lab exercises the same path everywhere.
    createTopic: async (name, topic) => {
      admin ??= adminFor(sandbox.addresses());
      await admin.connect();
      await createTopicWith(admin, name, topic);
    },
    // The sandbox knows the truth now, without waiting for a metadata round trip.
    partitionInfo: async (t, p) => {
      const part = sc.cluster.partition(t, p);
      if (!part) throw new Error(`no partition ${t}-${p}`);
      return { leader: part.leader, replicas: [part.leader, ...part.replicas.filter((r) => r !== part.leader)].filter((r) => r >= 0), isr: [...part.isr] };
    },
    close: async () => {
      await admin?.disconnect().catch(() => {});
      await control.close();
    },
  };
}

async function openReal(brokers: string[], wantControl: boolean, security: ClientSecurity, containers?: ContainerTarget): Promise<LabEnvironment> {
  const admin = adminFor(brokers, security);
  await admin.connect().catch((e: Error) => {
    throw new Error(`the cluster at ${brokers.join(',')} is unreachable: ${e.message}`);
  });
  let control: ClusterControl | null = null;
  let controlProblem: string | null = null;
  if (wantControl) {
    ({ control, problem: controlProblem } = await clusterControlFor(brokers, containers));
  }
  return {
    kind: 'real',
    brokers,
    label: `cluster ${brokers.join(',')}`,
    control,
    controlProblem,
    sandbox: null,
    engineOptions: { ...security },
    onEvent: () => () => {},
    createTopic: (name, topic) => createTopicWith(admin, name, topic),
    partitionInfo: async (t, p) => {
      const meta = await admin.fetchTopicMetadata({ topics: [t] });
      const part = meta.topics[0]?.partitions.find((x) => x.partitionId === p);
      if (!part) throw new Error(`no partition ${t}-${p}`);
      return { leader: part.leader, replicas: [part.leader, ...part.replicas.filter((r) => r !== part.leader)].filter((r) => r >= 0), isr: part.isr };
    },
    close: async (topic) => {
      // The topic has a name unique to this run and nobody else uses it: leave the user's cluster as it was.
      if (topic) await admin.deleteTopics({ topics: [topic], timeout: 5000 }).catch(() => {});
      await admin.disconnect().catch(() => {});
      await control?.close?.().catch(() => {});
    },
  };
}

async function createTopicWith(admin: Admin, name: string, topic: LabTopic): Promise<void> {
  const cluster = await admin.describeCluster();
  if (cluster.brokers.length < topic.replicationFactor) {
    throw new Error(`this lab needs ${topic.replicationFactor} brokers for its topic; the cluster has ${cluster.brokers.length}`);
  }
  await admin.createTopics({
    waitForLeaders: true,
    topics: [
      {
        topic: name,
        numPartitions: topic.partitions,
        replicationFactor: topic.replicationFactor,
        configEntries: Object.entries(topic.configs ?? {}).map(([n, value]) => ({ name: n, value })),
      },
    ],
  });
}
