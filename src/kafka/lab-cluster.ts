// Which cluster the lab runs on (design §4): --brokers is a real cluster, --sandbox the built-in one; with neither,
// a Kafka answering on 127.0.0.1:9092 within about half a second is used, otherwise the built-in cluster is started
// and the lab says so. Also what each kind of cluster can offer the screens: broker control, faults, request log.
import { connect } from 'node:net';
import { formatEvent } from '../sandbox/event-text.js';
import { SandboxControl } from '../sandbox/control.js';
import { errorName } from '../sandbox/control-names.js';
import { Sandbox } from '../sandbox/sandbox.js';
import type { ClusterControl } from './cluster-control.js';
import type { EngineOptions } from './producer-engine.js';
import { SandboxClusterControl } from './sandbox-cluster-control.js';

export interface LabClusterOptions {
  /** A real cluster's bootstrap servers. */
  brokers?: string[];
  /** The built-in cluster, even when a Kafka runs on 127.0.0.1:9092. */
  sandbox?: boolean;
  probeAddress?: string;
  probeMs?: number;
  /** First port for the built-in cluster; taken ports fall back to free ones. */
  sandboxPort?: number;
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

export interface LabCluster {
  kind: 'sandbox' | 'real';
  brokers: string[];
  /** For the status bar. */
  label: string;
  /** Why this cluster, when the user did not choose. */
  note: string | null;
  control: ClusterControl | null;
  /** What the engine can learn from the cluster directly (broker states, log end offsets). */
  engineOptions: Pick<EngineOptions, 'brokerStates' | 'offsets'>;
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

/**
 * The seam for broker control on a real cluster (stop/start/pause its broker containers). Until container control
 * is wired, a real cluster has none and the Cluster screen says so.
 */
export function clusterControlFor(_brokers: readonly string[]): ClusterControl | null {
  return null;
}

export async function openLabCluster(opts: LabClusterOptions): Promise<LabCluster> {
  if (opts.brokers && opts.brokers.length > 0) return realCluster(opts.brokers, null);
  if (!opts.sandbox) {
    const address = opts.probeAddress ?? DEFAULT_PROBE;
    const ms = opts.probeMs ?? 500;
    if (await probe(address, ms)) {
      return realCluster([address], `found a Kafka at ${address} (start with --sandbox for the built-in cluster)`);
    }
    // Short enough for an 80-column notice line; the status bar shows the built-in cluster's addresses.
    return builtIn(opts.sandboxPort, () => `no Kafka answered on ${address}: using the built-in cluster`);
  }
  return builtIn(opts.sandboxPort, () => null);
}

function realCluster(brokers: string[], note: string | null): LabCluster {
  return {
    kind: 'real',
    brokers,
    label: `cluster ${brokers.join(',')}`,
    note,
    control: clusterControlFor(brokers),
    engineOptions: {},
    close: async () => {},
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

async function builtIn(port: number | undefined, note: (label: string) => string | null): Promise<LabCluster> {
  const sandbox = await startSandbox(port ?? 9092);
  const control = new SandboxClusterControl(new SandboxControl(sandbox));
  return {
    kind: 'sandbox',
    brokers: sandbox.addresses(),
    label: control.describe(),
    note: note(control.describe()),
    control,
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
