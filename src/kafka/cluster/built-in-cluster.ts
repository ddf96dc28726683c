// The built-in cluster as a ClusterHandle: started in this process, controlled through its control API (broker
// actions, faults, the request log), its state read directly so the screens need no metadata round trip.
import type { Admin } from 'kafkajs';
import { formatEvent } from '../../sandbox/control/event-text.js';
import { SandboxControl, type ClusterEvent, type SandboxOptions } from '../../sandbox/control/control.js';
import { kafkaClient } from './clients.js';
import type { ClusterHandle, ClusterOptions } from './cluster-handle.js';
import { SandboxClusterControl } from './sandbox-cluster-control.js';
import { sandboxTopicConfigs } from './topic-configs.js';
import { createTopicExactly } from './topic-setup.js';

/** A cluster event as a line for the Events list, warnings for lost data and shrinking ISRs; null for frequent ones. */
export function clusterEventLine(event: ClusterEvent): { level: 'info' | 'warn'; text: string } | null {
  const text = formatEvent(event);
  if (!text) return null;
  const warn = (event.type === 'election' && (event.unclean || event.lostRecords > 0)) || event.type === 'truncation' || event.type === 'isr-shrink';
  return { level: warn ? 'warn' : 'info', text };
}

async function startSandbox(opts: SandboxOptions & { port: number }): Promise<SandboxControl> {
  try {
    return await SandboxControl.start(opts);
  } catch (e) {
    // 9092-9094 taken (another Kafka, another lab): any free ports will do for the built-in cluster.
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE' && opts.port !== 0) return SandboxControl.start({ ...opts, port: 0 });
    throw e;
  }
}

export async function openBuiltIn(opts: ClusterOptions, note: (label: string) => string | null): Promise<ClusterHandle> {
  // The app's own producer connections reach it without loopback TCP; kafkajs (the admin here) and every other
  // client use its TCP listeners.
  const sandbox = await startSandbox({ port: opts.sandboxPort ?? 9092, ...opts.sandboxSetup, inProcessClients: true });
  const control = new SandboxClusterControl(sandbox);
  const client = { brokers: sandbox.addresses() };
  let admin: Admin | null = null;
  const name = control.describe();
  const changed = control.changedSettings();
  return {
    kind: 'sandbox',
    brokers: sandbox.addresses(),
    name,
    label: changed ? `${name} (${changed})` : name,
    settingsChanged: changed,
    note: note(name),
    client,
    control,
    topicConfigs: sandboxTopicConfigs(sandbox),
    controlProblem: null,
    sandbox,
    warnings: [],
    security: 'PLAINTEXT',
    engineOptions: { brokerStates: () => control.brokerStates(), offsets: (topic) => control.offsets(topic) },
    requests: (n) => sandbox.recentRequests(n),
    events: (fn) =>
      sandbox.on((event) => {
        const line = clusterEventLine(event);
        if (line) fn(line.level, line.text);
      }, { highWatermark: false }),
    clusterEvents: (fn) => sandbox.on(fn),
    // The cluster knows the truth now, without waiting for a metadata round trip.
    partitionInfo: async (topic, partition) => {
      const p = sandbox.partition(topic, partition);
      if (!p) throw new Error(`no partition ${topic}-${partition}`);
      return { leader: p.leader, replicas: [p.leader, ...p.replicas.filter((r) => r !== p.leader)].filter((r) => r >= 0), isr: [...p.isr] };
    },
    // Created over the wire as on a real cluster, so a lesson exercises the same path everywhere.
    createTopic: async (name, spec) => {
      admin ??= kafkaClient(client, 'kafka-producer-tui-admin').admin();
      await admin.connect();
      await createTopicExactly(admin, name, spec);
    },
    deleteTopic: async (name) => {
      admin ??= kafkaClient(client, 'kafka-producer-tui-admin').admin();
      await admin.connect();
      await admin.deleteTopics({ topics: [name], timeout: 5000 });
    },
    close: async () => {
      await admin?.disconnect().catch(() => {});
      await control.close();
    },
  };
}
