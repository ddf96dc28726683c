import { createConnection } from 'node:net';
import { describe, expect } from 'vitest';
import { Partitioners } from 'kafkajs';
import type { ClusterEvent } from '../../src/sandbox/cluster/events.js';
import { SandboxControl } from '../../src/sandbox/control/control.js';
import type { Sandbox } from '../../src/sandbox/sandbox.js';
import { kafkaFor } from '../helpers/sandbox.js';
import { waitUntil } from '../helpers/cluster-events.js';
import { sandboxTest as it } from '../helpers/fixtures.js';

/** A sandbox with topic `orders`: 3 partitions, replication factor 3, partition p led by broker p+1. */
async function setup(sandbox: Sandbox): Promise<{ sb: Sandbox; control: SandboxControl }> {
  sandbox.cluster.createTopic('orders', 3, 3);
  return { sb: sandbox, control: new SandboxControl(sandbox) };
}

function accepts(address: string): Promise<boolean> {
  const [host, port] = address.split(':');
  return new Promise((resolve) => {
    const s = createConnection({ host, port: Number(port) });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

const partition = (control: SandboxControl, p: number) => control.status().topics.find((t) => t.name === 'orders')!.partitions[p];
const broker = (control: SandboxControl, id: number) => control.status().brokers.find((b) => b.id === id)!;

describe('SandboxControl: brokers', () => {
  it('stopping the controller moves its leaderships and the controller; start brings it back', async ({ sandbox }) => {
    const { sb, control } = await setup(sandbox);
    expect(broker(control, 1)).toMatchObject({ status: 'up', isController: true, leaderCount: 1 });
    expect(partition(control, 0)).toMatchObject({ leader: 1, replicas: [1, 2, 3], isr: [1, 2, 3] });
    const events: ClusterEvent[] = [];
    control.on((e) => events.push(e));

    const stopped = await control.stop(1);
    expect(stopped.ok).toBe(true);
    expect(broker(control, 1)).toMatchObject({ status: 'stopped', isController: false, leaderCount: 0 });
    expect(broker(control, 2).isController).toBe(true);
    expect(control.status().controller).toBe(2);
    expect(partition(control, 0)).toMatchObject({ leader: 2, isr: [2, 3], offlineReplicas: [1] });
    expect(partition(control, 0).leaderEpoch).toBeGreaterThan(0);
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['broker', 'election', 'controller']));
    expect(await accepts(broker(control, 1).address)).toBe(false);

    // Clients see it too: kafkajs lists the two remaining brokers and the new controller.
    const admin = kafkaFor(sb).admin();
    await admin.connect();
    const described = await admin.describeCluster();
    await admin.disconnect();
    expect(described.brokers.map((b) => b.nodeId).sort()).toEqual([2, 3]);
    expect(described.controller).toBe(2);

    expect((await control.start(1)).ok).toBe(true);
    expect(broker(control, 1).status).toBe('up');
    expect(await accepts(broker(control, 1).address)).toBe(true);
    await waitUntil(() => partition(control, 0).isr.includes(1), 'broker 1 back in the ISR of partition 0', 5000);
    expect((await control.start(1)).message).toBe('broker 1 is up, not stopped');
  });

  it('status counts open client connections per broker', async ({ sandbox }) => {
    const { control } = await setup(sandbox);
    const s = createConnection({ host: '127.0.0.1', port: broker(control, 2).port });
    await new Promise((r) => s.once('connect', r));
    await waitUntil(() => broker(control, 2).connections === 1, 'one connection on broker 2');
    expect(broker(control, 1).connections).toBe(0);
    s.destroy();
    await waitUntil(() => broker(control, 2).connections === 0, 'no connection on broker 2');
  });

  it('statusText shows brokers and partitions in a table', async ({ sandbox }) => {
    const { control } = await setup(sandbox);
    await control.crash(3);
    const text = control.statusText();
    expect(text).toMatch(/^1 \(controller\)\s+up\s+127\.0\.0\.1:\d+\s+2\s+0/m);
    expect(text).toMatch(/^3\s+crashed/m);
    expect(text).toContain('topic orders  replication factor 3  min.insync.replicas 1');
    expect(text).toMatch(/^\s+2\s+1\s+1\s+3,1,2\s+1,2\s+0\s+0\s+0$/m);
  });
});

describe('SandboxControl: faults', () => {
  it('a fault is listed until a request consumes it', async ({ sandbox }) => {
    const { sb, control } = await setup(sandbox);
    expect(control.injectError('produce', 'NOT_ENOUGH_REPLICAS', { when: 'before' }).ok).toBe(true);
    expect(control.listFaults()).toEqual([
      expect.objectContaining({ api: 'Produce', apiKey: 0, kind: 'error-before', error: 19, errorName: 'NOT_ENOUGH_REPLICAS', broker: undefined }),
    ]);
    expect(control.status().pendingFaults).toBe(1);

    const producer = kafkaFor(sb, { retry: { retries: 0 } }).producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    try {
      await expect(producer.send({ topic: 'orders', messages: [{ key: 'k', value: 'v' }] })).rejects.toThrow(/replicas/i);
      expect(control.listFaults()).toEqual([]);
      const sent = await producer.send({ topic: 'orders', messages: [{ key: 'k', value: 'v' }] });
      expect(sent[0].errorCode).toBe(0);
    } finally {
      await producer.disconnect();
    }
    expect(sb.state.requestLog.find({ api: 'Produce' }).filter((e) => e.fault)).toHaveLength(1);
  });

  it('broker-scoped faults with a count; clearFaults removes them', async ({ sandbox }) => {
    const { control } = await setup(sandbox);
    expect(control.dropResponse({ api: 'Produce', broker: 2, count: 2 }).ok).toBe(true);
    expect(control.delayResponse(1500, { api: 0 }).ok).toBe(true);
    expect(control.disconnect({ api: 'fetch' }).ok).toBe(true);
    expect(control.listFaults().map((f) => f.description)).toEqual([
      'Produce on broker 2: append, drop the response',
      'Produce on broker 2: append, drop the response',
      'Produce: delay the response 1500 ms',
      'Fetch: disconnect',
    ]);
    expect(control.clearFaults()).toEqual({ ok: true, message: 'cleared 4 pending faults' });
    expect(control.listFaults()).toEqual([]);
  });

  it('refuses faults it cannot apply, naming why', async ({ sandbox }) => {
    const { control } = await setup(sandbox);
    expect(control.injectError('metadata', 'LEADER_NOT_AVAILABLE')).toEqual({
      ok: false,
      message: 'Metadata cannot answer an injected error; drop, delay and disconnect work on every API',
    });
    expect(control.injectError('produce', 'NO_SUCH_ERROR').message).toContain("unknown error 'NO_SUCH_ERROR'");
    expect(control.dropResponse({ api: 'produce', broker: 9 }).message).toBe('no broker 9 (brokers: 1, 2, 3)');
    expect(control.delayResponse(0, { api: 'produce' }).ok).toBe(false);
    expect(control.dropResponse({ api: 'produce', count: 0 }).ok).toBe(false);
    expect(control.listFaults()).toEqual([]);
  });
});

describe('SandboxControl: leadership and topic settings', () => {
  it('moves a leader and gives it back with a preferred-leader election', async ({ sandbox }) => {
    const { control } = await setup(sandbox);
    const epoch = partition(control, 0).leaderEpoch;
    expect(control.moveLeader('orders', 0, 3).ok).toBe(true);
    expect(partition(control, 0)).toMatchObject({ leader: 3, leaderEpoch: epoch + 1 });
    expect(broker(control, 3).leaderCount).toBe(2);
    expect(control.preferredLeaderElection().message).toBe('preferred leader election moved 1 partition');
    expect(partition(control, 0).leader).toBe(1);
  });

  it('min.insync.replicas applies to every partition at once: acks=all fails when the ISR is too small', async ({ sandbox }) => {
    const { sb, control } = await setup(sandbox);
    expect(control.setMinInsyncReplicas('orders', 3).message).toBe('orders: min.insync.replicas 1 -> 3');
    expect(control.status().topics[0].minInsyncReplicas).toBe(3);
    await control.stop(2);
    const producer = kafkaFor(sb, { retry: { retries: 0 } }).producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    try {
      // Partition 0 is led by broker 1, whose ISR is now [1, 3].
      await expect(producer.send({ topic: 'orders', acks: -1, messages: [{ partition: 0, value: 'v' }] })).rejects.toThrow(/replicas/i);
      expect(control.setMinInsyncReplicas('orders', 2).ok).toBe(true);
      const sent = await producer.send({ topic: 'orders', acks: -1, messages: [{ partition: 0, value: 'v' }] });
      expect(sent[0].errorCode).toBe(0);
    } finally {
      await producer.disconnect();
    }
  });

  it('turning unclean leader election on elects a leader for a leaderless partition', async ({ sandbox }) => {
    const { control } = await setup(sandbox);
    await control.crash(1);
    await control.crash(2);
    await control.crash(3);
    expect(partition(control, 0).leader).toBe(-1);
    await control.start(1);
    // Broker 1 left the ISR when it crashed: a clean election cannot pick it.
    expect(partition(control, 0).leader).toBe(-1);
    const events: ClusterEvent[] = [];
    control.on((e) => events.push(e));
    expect(control.setUncleanLeaderElection('orders', true).message).toBe(
      'orders: unclean.leader.election.enable=true; 3 leaderless partitions got an unclean leader',
    );
    expect(partition(control, 0)).toMatchObject({ leader: 1, isr: [1] });
    expect(events.some((e) => e.type === 'election' && e.unclean)).toBe(true);
  });

  it('replication delay, replica.lag.time.max.ms and auto-creation', async ({ sandbox }) => {
    const { sb, control } = await setup(sandbox);
    expect(control.setReplicationDelay(2, 250).ok).toBe(true);
    expect(broker(control, 2).replicationDelayMs).toBe(250);
    expect(control.setReplicationDelay(2, -5).ok).toBe(false);
    expect(control.setReplicaLagTimeMax(500).message).toBe('replica.lag.time.max.ms 30000 -> 500');
    expect(control.status().replicaLagTimeMaxMs).toBe(500);
    // Both now differ from a real broker, and the status says so.
    expect(control.status().changedSettings).toEqual(
      expect.arrayContaining([
        { name: 'replica.lag.time.max.ms', value: 500, default: 30_000, sandboxOnly: false },
        { name: 'sandbox.replication.delay.ms', value: 250, default: 0, sandboxOnly: true },
      ]),
    );
    expect(control.statusText()).toContain('settings changed: replica.lag.time.max.ms=500 (Kafka: 30000)');
    expect(control.setAutoCreateTopics(false).ok).toBe(true);
    expect(sb.cluster.ensureTopic('fresh', true)).toBe(false);
    expect(control.status().autoCreateTopics).toBe(false);
  });
});
