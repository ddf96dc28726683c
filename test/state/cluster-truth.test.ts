// Two truths side by side: the cluster's own state (leaders, ISR, controller) read without waiting on a paused
// broker, and the lines that say where the producer's metadata still differs.
import { afterEach, describe, expect, it } from 'vitest';
import { clusterTruthReader, type ClusterTruth } from '../../src/kafka/cluster/cluster-truth.js';
import { openCluster, type ClusterHandle } from '../../src/kafka/cluster/open-cluster.js';
import { ensureTopic } from '../../src/kafka/cluster/topic-setup.js';
import { metadataDiffs } from '../../src/state/store/metadata-diff.js';
import { brokerRows, partitionRows } from '../../src/state/store/truth-views.js';

const truth = (leaders: number[], controller = 1): ClusterTruth => ({
  source: 'the built-in cluster',
  at: 0,
  topic: 't',
  controller,
  brokers: [1, 2, 3].map((id) => ({ id, state: 'up', leaderCount: leaders.filter((l) => l === id).length })),
  partitions: leaders.map((leader, partition) => ({ partition, leader, replicas: [1, 2, 3], isr: leader < 0 ? [] : [1, 2] })),
  minInsyncReplicas: 2,
});

describe('metadataDiffs', () => {
  it('says which leaders the producer still believes in, and how old its metadata is', () => {
    const lines = metadataDiffs(truth([1, 1, 2, 1]), {
      partitions: [3, 1, 3, 3].map((leader, partition) => ({ partition, leader })),
      controller: 3,
      metadataAgeMs: 14_200,
    });
    expect(lines).toEqual([
      'producer still thinks broker 3 leads partitions 0, 2, 3 — metadata 14 s old',
      'producer still thinks broker 3 is the controller (it is broker 1) — metadata 14 s old',
    ]);
  });

  it('says nothing when they agree or when the cluster is not known', () => {
    const same = { partitions: [1, 2].map((leader, partition) => ({ partition, leader })), controller: 1, metadataAgeMs: 500 };
    expect(metadataDiffs(truth([1, 2]), same)).toEqual([]);
    expect(metadataDiffs(null, { ...same, controller: 3 })).toEqual([]);
  });
});

describe('rows with the cluster state', () => {
  const view = (partition: number, leader: number) => ({
    topic: 't', partition, leader, replicas: [1, 2, 3], isr: [1, 2, 3], logEndOffset: null, highWatermark: null, logStartOffset: null,
    queuedRecords: 0, openBatchFill: 0, lingerRemainingMs: null, sent: 0, acked: 0, failed: 0, lastOffset: null,
  });

  it("shows the cluster's leader and ISR, keeping the producer's leader where it differs", () => {
    const rows = partitionRows([view(0, 3), view(1, 2)], truth([1, 2]), new Map());
    expect(rows.map((r) => [r.leader, r.isr, r.producerLeader, r.leaderSource])).toEqual([
      [1, [1, 2], 3, 'cluster'],
      [2, [1, 2], null, 'cluster'],
    ]);
    expect(partitionRows([view(0, 3)], null, new Map())[0]).toMatchObject({ leader: 3, producerLeader: null, leaderSource: 'producer' });
  });

  it("counts leaderships and names the controller from the cluster's state", () => {
    const brokers = [1, 2, 3].map((id) => ({ id, address: `h:${id}`, state: 'up' as const, isController: id === 3, leaderCount: id === 3 ? 4 : 0, inFlight: 0 }));
    expect(brokerRows(brokers, truth([1, 1, 2, 1])).map((b) => [b.id, b.leaderCount, b.isController])).toEqual([
      [1, 3, true],
      [2, 1, false],
      [3, 0, false],
    ]);
  });

  it('shows a broker that does not answer as unreachable where no control API tells its state', () => {
    const brokers = [1, 2].map((id) => ({ id, address: `h:${id}`, state: 'up' as const, isController: false, leaderCount: 1, inFlight: 0 }));
    const metadata = { ...truth([1, 2]), brokers: [1, 2].map((id) => ({ id, state: null, leaderCount: 1 })) };
    expect(brokerRows(brokers, metadata, '2').map((b) => b.state)).toEqual(['up', 'unreachable']);
    // The built-in cluster knows the state itself (paused, say): its word stands.
    expect(brokerRows(brokers, truth([1, 2]), '2').map((b) => b.state)).toEqual(['up', 'up']);
  });
});

describe("reading the cluster's state with a paused broker", () => {
  let cluster: ClusterHandle | null = null;
  afterEach(async () => {
    await cluster?.close();
    cluster = null;
  });

  it('never waits on the paused broker: every read ends within its timeout and the new leaders show', async () => {
    // Leaderships leave a paused broker after replica.lag.time.max.ms: 2 s here instead of Kafka's 30 s.
    cluster = await openCluster({ sandbox: true, sandboxPort: 0, sandboxSetup: { replicaLagTimeMaxMs: 2000 } });
    await ensureTopic(cluster.client, 'truth');
    // The path a real cluster takes (Metadata over the wire), pointed at the built-in cluster's brokers.
    const reader = clusterTruthReader({ sandbox: null, client: cluster.client }, 2000);
    const before = await reader.read('truth');
    expect(before.partitions).toHaveLength(6);
    const paused = before.partitions[0].leader;
    await cluster.control!.act('pause', paused, { confirmed: true });
    const until = Date.now() + 20_000;
    let moved = false;
    while (!moved && Date.now() < until) {
      const t0 = Date.now();
      const t = await reader.read('truth').catch(() => null);
      expect(Date.now() - t0).toBeLessThan(2000 + 1500);
      moved = t !== null && t.partitions.length === 6 && t.partitions.every((p) => p.leader !== paused);
    }
    expect(moved).toBe(true);
    // The built-in cluster's own path knows at once.
    const direct = await clusterTruthReader(cluster).read('truth');
    expect(direct.partitions.every((p) => p.leader !== paused)).toBe(true);
    expect(direct.brokers.find((b) => b.id === paused)?.state).toBe('paused');
    await reader.close();
  }, 40_000);
});
