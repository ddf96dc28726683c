// The one way the app opens a cluster (the TUI, the lessons, the bench): --brokers is a real cluster, --sandbox the
// built-in one; with neither, a Kafka answering on 127.0.0.1:9092 within about half a second is used, otherwise the
// built-in cluster is started and the app says so (also when what answers there is not Kafka). An address given is
// first asked whether it is Kafka at all (5 s at most). A real cluster gets broker control from a sandbox running in
// another process (its control socket) or else through its containers when they can be found, its security
// options, and a check that it still speaks the protocol versions kafkajs sends.
import { connect } from 'node:net';
import type { Admin } from 'kafkajs';
import { clusterEventLine, openBuiltIn } from './built-in-cluster.js';
import { identifyBroker, identifyKafka } from './broker-identity.js';
import { kafkaClient, type ClientTarget } from './clients.js';
import type { ClusterHandle, ClusterOptions } from './cluster-handle.js';
import { clientSecurity } from './connection-config.js';
import { clusterControlFor, type ControlLookup } from './container-lookup.js';
import { RemoteSandboxControl } from './remote-sandbox-control.js';
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

export async function openCluster(opts: ClusterOptions): Promise<ClusterHandle> {
  if (opts.brokers && opts.brokers.length > 0) return openReal(opts.brokers, null, opts);
  if (!opts.sandbox) {
    const address = opts.probeAddress ?? DEFAULT_PROBE;
    const ms = opts.probeMs ?? 500;
    if (await probe(address, ms)) {
      // Briefly, as the probe: a Kafka answers ApiVersions in milliseconds; anything slower is not worth waiting for.
      const answer = await identifyBroker(address, { ssl: opts.security?.ssl, timeoutMs: 2000 });
      if (answer.kind === 'kafka') return openReal([address], `found a Kafka at ${address} (start with --sandbox for the built-in cluster)`, opts);
      return openBuiltIn(opts, () => `${answer.reason}: using the built-in cluster`);
    }
    // Short enough for an 80-column notice line; the status bar shows the built-in cluster's addresses.
    return openBuiltIn(opts, () => `no Kafka answered on ${address}: using the built-in cluster`);
  }
  return openBuiltIn(opts, () => null);
}

/** Says which actions remain and why the others are off, so the Cluster screen offers no key that cannot work. */
function withoutControl(lookup: ControlLookup): ControlLookup {
  if (lookup.control || !lookup.problem) return lookup;
  const why = lookup.problem.charAt(0).toLowerCase() + lookup.problem.slice(1);
  return {
    ...lookup,
    problem: `broker actions and faults are off (producing works): no sandbox control socket for these brokers, and ${why}`,
  };
}

const NO_CONTROL: ControlLookup = { control: null, watch: null, problem: 'broker control was not asked for', warnings: [] };

async function openReal(brokers: string[], note: string | null, opts: ClusterOptions): Promise<ClusterHandle> {
  // Named within 5 s when nothing there is Kafka, before any client retries it for half a minute.
  const identified = await identifyKafka(brokers, { ssl: opts.security?.ssl, sasl: Boolean(opts.security?.sasl), transactions: opts.transactions });
  const versions = identified.warnings;
  // A sandbox in another process (`kafka-producer-tui sandbox`) first: its socket is local and answers at once.
  const remote = opts.containerControl === false ? null : await RemoteSandboxControl.attach(brokers);
  const lookup: ControlLookup = remote
    ? { control: remote, watch: null, problem: null, warnings: [] }
    : opts.containerControl === false
      ? NO_CONTROL
      : withoutControl(await clusterControlFor(brokers, opts.containers));
  const watch = lookup.watch;
  const client: ClientTarget = { brokers, security: clientSecurity(opts.security) };
  let admin: Admin | null = null;
  const connected = async (): Promise<Admin> => {
    admin ??= kafkaClient(client, 'kafka-producer-tui-admin').admin();
    await admin.connect();
    return admin;
  };
  const topicConfigs = adminTopicConfigs(client);
  const name = remote ? remote.describe() : `cluster ${brokers.join(',')}`;
  return {
    kind: 'real',
    brokers,
    name,
    label: name,
    settingsChanged: null,
    note,
    client,
    control: lookup.control,
    topicConfigs,
    controlProblem: lookup.problem,
    sandbox: null,
    warnings: [...(opts.security?.warnings ?? []), ...lookup.warnings, ...versions],
    security: opts.security?.summary ?? 'PLAINTEXT',
    containers: watch ? { current: () => watch.current(), on: (fn) => watch.on((lines) => fn(lines)) } : undefined,
    events: remote
      ? (fn) =>
          remote.on((event) => {
            const line = clusterEventLine(event);
            if (line) fn(line.level, line.text);
          })
      : watch
        ? (fn) => watch.on((_lines, change) => change && fn(change.level, change.text))
        : undefined,
    clusterEvents: remote ? (fn) => remote.on(fn) : () => () => {},
    engineOptions: {
      ...(remote ? { brokerStates: () => remote.brokerStates() } : watch ? { brokerStates: () => watch.states() } : {}),
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
