// Which cluster the lab runs on (design §4): --brokers is a real cluster, --sandbox the built-in one; with neither,
// a Kafka answering on 127.0.0.1:9092 within about half a second is used, otherwise the built-in cluster is started
// and the lab says so. Also what each kind of cluster can offer the screens: broker control, faults, request log.
// A real cluster gets broker control through its containers when they can be found, its security options, and a
// check that it still speaks the protocol versions kafkajs sends.
import { connect } from 'node:net';
import { formatEvent } from '../../sandbox/control/event-text.js';
import { SandboxControl } from '../../sandbox/control/control.js';
import { errorName } from '../../sandbox/control/control-names.js';
import { Sandbox } from '../../sandbox/sandbox.js';
import { checkApiVersions } from './api-version-check.js';
import type { ClusterControl } from './cluster-control.js';
import type { ConnectionSecurity } from './connection-config.js';
import { BrokerWatch, type ContainerLine } from './containers/broker-watch.js';
import { ContainerControlError } from './containers/errors.js';
import { openContainerControl } from './containers/open-container-control.js';
import type { EngineOptions } from '../producer/producer-engine.js';
import { SandboxClusterControl } from './sandbox-cluster-control.js';

/** Where to look for a real cluster's containers (--docker-host, --compose-project). */
export interface ContainerTarget {
  dockerHost?: string;
  project?: string;
}

export interface ClusterOptions {
  /** A real cluster's bootstrap servers. */
  brokers?: string[];
  /** The built-in cluster, even when a Kafka runs on 127.0.0.1:9092. */
  sandbox?: boolean;
  probeAddress?: string;
  probeMs?: number;
  /** First port for the built-in cluster; taken ports fall back to free ones. */
  sandboxPort?: number;
  /** TLS and SASL for a real cluster (--tls, --sasl-mechanism...). */
  security?: ConnectionSecurity;
  /** Where to look for a real cluster's containers (--docker-host, --compose-project). */
  containers?: ContainerTarget;
  /** The producer is transactional: the version check covers the transaction APIs too. */
  transactions?: boolean;
}

/** One request the built-in cluster received, for the Cluster screen's request log. */
export interface RequestSummary {
  seq: number;
  broker: number;
  api: string;
  version: number;
  outcome: string;
  ms: number | null;
  errors: string;
  fault: string | null;
}

export interface ClusterHandle {
  kind: 'sandbox' | 'real';
  brokers: string[];
  /** For the status bar. */
  label: string;
  /** Why this cluster, when the user did not choose. */
  note: string | null;
  control: ClusterControl | null;
  /** Why a real cluster has no broker control, naming the fix (shown on the Cluster screen). */
  controlProblem: string | null;
  /** Things to say once at startup (remote engine, insecure TLS, protocol versions kafkajs cannot use). */
  warnings: string[];
  /** Display-safe connection summary, e.g. "SASL_SSL, SCRAM-SHA-512 as alice, system CAs". */
  security: string;
  /** The broker containers as last seen, and a subscription to their changes (real cluster with control). */
  containers?: {
    current(): readonly ContainerLine[];
    on(fn: (lines: readonly ContainerLine[]) => void): () => void;
  };
  /** What the engine can learn from the cluster directly (broker states, log end offsets) and how to connect. */
  engineOptions: Pick<EngineOptions, 'brokerStates' | 'offsets' | 'ssl' | 'sasl'>;
  requests?(n: number): RequestSummary[];
  /** Cluster events (elections, ISR changes, broker states) as lines; returns the unsubscribe function. */
  events?(fn: (level: 'info' | 'warn', text: string) => void): () => void;
  close(): Promise<void>;
}

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

export interface ControlLookup {
  control: ClusterControl | null;
  /** The broker containers, polled (present with control). */
  watch: BrokerWatch | null;
  /** Why there is no control, naming the fix. */
  problem: string | null;
  warnings: string[];
}

/**
 * The seam for broker control on a real cluster: its broker containers when they can be found and publish the
 * addresses the app connects to. Failing that, no control and the reason (ContainerControlError names the fix).
 */
export async function clusterControlFor(brokers: readonly string[], target: ContainerTarget = {}): Promise<ControlLookup> {
  try {
    const containers = await openContainerControl({ brokers: [...brokers], dockerHost: target.dockerHost, project: target.project });
    const watch = new BrokerWatch(containers);
    await watch.refresh();
    watch.start();
    const control: ClusterControl = {
      kind: 'containers',
      describe: () => containers.describe(),
      brokers: () => containers.brokers(),
      // Listed again at once so the screen shows the result without waiting for the next poll.
      act: async (action, broker, opts) => {
        const r = await containers.act(action, broker, opts);
        await watch.refresh();
        return r;
      },
      close: async () => watch.stop(),
    };
    return { control, watch, problem: null, warnings: [...containers.warnings] };
  } catch (e) {
    if (e instanceof ContainerControlError) return { control: null, watch: null, problem: e.message, warnings: [] };
    throw e;
  }
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
  if (opts.brokers && opts.brokers.length > 0) return realCluster(opts.brokers, null, opts);
  if (!opts.sandbox) {
    const address = opts.probeAddress ?? DEFAULT_PROBE;
    const ms = opts.probeMs ?? 500;
    if (await probe(address, ms)) {
      return realCluster([address], `found a Kafka at ${address} (start with --sandbox for the built-in cluster)`, opts);
    }
    // Short enough for an 80-column notice line; the status bar shows the built-in cluster's addresses.
    return builtIn(opts.sandboxPort, () => `no Kafka answered on ${address}: using the built-in cluster`);
  }
  return builtIn(opts.sandboxPort, () => null);
}

async function realCluster(brokers: string[], note: string | null, opts: ClusterOptions): Promise<ClusterHandle> {
  const [lookup, versions] = await Promise.all([clusterControlFor(brokers, opts.containers), versionWarnings(brokers, opts)]);
  const watch = lookup.watch;
  return {
    kind: 'real',
    brokers,
    label: `cluster ${brokers.join(',')}`,
    note,
    control: lookup.control,
    controlProblem: lookup.problem,
    warnings: [...(opts.security?.warnings ?? []), ...lookup.warnings, ...versions],
    security: opts.security?.summary ?? 'PLAINTEXT',
    containers: watch ? { current: () => watch.current(), on: (fn) => watch.on((lines) => fn(lines)) } : undefined,
    events: watch ? (fn) => watch.on((_lines, change) => change && fn(change.level, change.text)) : undefined,
    engineOptions: {
      ...(watch ? { brokerStates: () => watch.states() } : {}),
      ...(opts.security?.ssl ? { ssl: opts.security.ssl } : {}),
      ...(opts.security?.sasl ? { sasl: opts.security.sasl } : {}),
    },
    close: async () => {
      await lookup.control?.close?.();
    },
  };
}

async function startSandbox(port: number): Promise<Sandbox> {
  try {
    return await Sandbox.start({ port });
  } catch (e) {
    // 9092-9094 taken (another Kafka, another lab): any free ports will do for the built-in cluster.
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE' && port !== 0) return Sandbox.start({ port: 0 });
    throw e;
  }
}

async function builtIn(port: number | undefined, note: (label: string) => string | null): Promise<ClusterHandle> {
  const sandbox = await startSandbox(port ?? 9092);
  const control = new SandboxClusterControl(new SandboxControl(sandbox));
  return {
    kind: 'sandbox',
    brokers: sandbox.addresses(),
    label: control.describe(),
    note: note(control.describe()),
    control,
    controlProblem: null,
    warnings: [],
    security: 'PLAINTEXT',
    engineOptions: { brokerStates: () => control.brokerStates(), offsets: (topic) => control.offsets(topic) },
    requests: (n) =>
      sandbox.state.requestLog.recent(n).map((e) => ({
        seq: e.seq,
        broker: e.broker,
        api: e.api,
        version: e.version,
        outcome: e.outcome,
        ms: e.respondedAt === undefined ? null : e.respondedAt - e.receivedAt,
        errors: (e.errors ?? []).filter((c) => c !== 0).map((c) => errorName(c)).join(','),
        fault: e.fault ?? null,
      })),
    events: (fn) =>
      control.control.on((event) => {
        const text = formatEvent(event);
        if (!text) return;
        const warn = (event.type === 'election' && (event.unclean || event.lostRecords > 0)) || event.type === 'truncation' || event.type === 'isr-shrink';
        fn(warn ? 'warn' : 'info', text);
      }),
    close: () => control.close(),
  };
}
