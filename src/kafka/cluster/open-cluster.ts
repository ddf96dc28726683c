// The one way the app opens a cluster (the TUI, the lessons, the bench): --brokers is a real cluster, --sandbox the
// built-in one; with neither, a Kafka answering on 127.0.0.1:9092 within about half a second is used, otherwise the
// built-in cluster is started and the app says so. A real cluster gets broker control through its containers when
// they can be found, its security options, and a check that it still speaks the protocol versions kafkajs sends.
import { connect } from 'node:net';
import type { Admin } from 'kafkajs';
import { checkApiVersions } from './api-version-check.js';
import { openBuiltIn } from './built-in-cluster.js';
import { kafkaClient, type ClientTarget } from './clients.js';
import type { ClusterHandle, ClusterOptions } from './cluster-handle.js';
import { clientSecurity } from './connection-config.js';
import { clusterControlFor, type ControlLookup } from './container-lookup.js';
import { createTopicExactly } from './topic-setup.js';
import { adminTopicConfigs } from './topic-configs.js';

export type { ClusterHandle, ClusterOptions, ContainerTarget, RequestSummary } from './cluster-handle.js';

export const DEFAULT_PROBE = '127.0.0.1:9092';

/** True when something accepts TCP connections at `address` within `ms`. */
export function probe(address: string, ms: number): Promise<boolean> {
  const colon = address.lastIndexOf(':');
  const host = address.slice(0, colon);
  const port = Number(address.slice(colon + 1));
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), ms);
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** The version check's findings as warnings; a check that could not run is a warning too, not a failure. */
async function versionWarnings(brokers: string[], opts: ClusterOptions): Promise<string[]> {
  try {
    const report = await checkApiVersions(brokers, { ssl: opts.security?.ssl, sasl: Boolean(opts.security?.sasl), transactions: opts.transactions, timeoutMs: 3000 });
    return report.warnings;
  } catch (e) {
    return [`the protocol version check did not run: ${(e as Error).message}`];
  }
}

export async function openCluster(opts: ClusterOptions): Promise<ClusterHandle> {
  if (opts.brokers && opts.brokers.length > 0) return openReal(opts.brokers, null, opts);
  if (!opts.sandbox) {
    const address = opts.probeAddress ?? DEFAULT_PROBE;
    const ms = opts.probeMs ?? 500;
    if (await probe(address, ms)) {
      return openReal([address], `found a Kafka at ${address} (start with --sandbox for the built-in cluster)`, opts);
    }
    // Short enough for an 80-column notice line; the status bar shows the built-in cluster's addresses.
    return openBuiltIn(opts, () => `no Kafka answered on ${address}: using the built-in cluster`);
  }
  return openBuiltIn(opts, () => null);
}

const NO_CONTROL: ControlLookup = { control: null, watch: null, problem: 'broker control was not asked for', warnings: [] };

async function openReal(brokers: string[], note: string | null, opts: ClusterOptions): Promise<ClusterHandle> {
  const [lookup, versions] = await Promise.all([
    opts.containerControl === false ? NO_CONTROL : clusterControlFor(brokers, opts.containers),
    versionWarnings(brokers, opts),
  ]);
  const watch = lookup.watch;
  const client: ClientTarget = { brokers, security: clientSecurity(opts.security) };
  let admin: Admin | null = null;
  const connected = async (): Promise<Admin> => {
    admin ??= kafkaClient(client, 'kafka-producer-tui-admin').admin();
    await admin.connect();
    return admin;
  };
  const topicConfigs = adminTopicConfigs(client);
  return {
    kind: 'real',
    brokers,
    label: `cluster ${brokers.join(',')}`,
    note,
    client,
    control: lookup.control,
    topicConfigs,
    controlProblem: lookup.problem,
    sandbox: null,
    warnings: [...(opts.security?.warnings ?? []), ...lookup.warnings, ...versions],
    security: opts.security?.summary ?? 'PLAINTEXT',
    containers: watch ? { current: () => watch.current(), on: (fn) => watch.on((lines) => fn(lines)) } : undefined,
    events: watch ? (fn) => watch.on((_lines, change) => change && fn(change.level, change.text)) : undefined,
    clusterEvents: () => () => {},
    engineOptions: {
      ...(watch ? { brokerStates: () => watch.states() } : {}),
      ...client.security,
    },
    partitionInfo: async (topic, partition) => {
      const meta = await (await connected()).fetchTopicMetadata({ topics: [topic] });
      const p = meta.topics[0]?.partitions.find((x) => x.partitionId === partition);
      if (!p) throw new Error(`no partition ${topic}-${partition}`);
      return { leader: p.leader, replicas: [p.leader, ...p.replicas.filter((r) => r !== p.leader)].filter((r) => r >= 0), isr: p.isr };
    },
    createTopic: async (name, spec) => createTopicExactly(await connected(), name, spec),
    deleteTopic: async (name) => {
      await (await connected()).deleteTopics({ topics: [name], timeout: 5000 });
    },
    close: async () => {
      await admin?.disconnect().catch(() => {});
      await topicConfigs.close?.();
      await lookup.control?.close?.();
    },
  };
}

/** Connects an admin client once, so that a cluster that does not answer is named before anything else starts. */
export async function assertReachable(cluster: ClusterHandle): Promise<void> {
  const admin = kafkaClient(cluster.client, 'kafka-producer-tui-check').admin();
  try {
    await admin.connect();
  } catch (e) {
    throw new Error(`the cluster at ${cluster.brokers.join(',')} is unreachable: ${(e as Error).message}`);
  } finally {
    await admin.disconnect().catch(() => {});
  }
}
