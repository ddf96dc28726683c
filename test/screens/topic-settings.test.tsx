// Topic settings from the Cluster screen on the built-in cluster: + and - change min.insync.replicas within the
// replication factor, U turns unclean leader election on, T steps retention.ms; the cluster itself changes (read
// back through its control API), and partitions below min.insync.replicas are highlighted with what acks=all does.
import { afterEach, describe, expect, it } from 'vitest';
import { openCluster, type ClusterHandle } from '../../src/kafka/cluster/open-cluster.js';
import { renderLab, type LabHarness } from './render-lab.js';

let lab: LabHarness | undefined;
afterEach(async () => {
  await lab?.close();
  lab = undefined;
});

describe('topic settings from the Cluster screen', () => {
  it('changes min.insync.replicas, unclean leader election and retention, and says what acks=all does below it', async () => {
    let cluster!: ClusterHandle;
    lab = await renderLab({ columns: 100, rows: 30, openCluster: async () => (cluster = await openCluster({ sandbox: true, sandboxPort: 0 })) });
    await lab.press('4');
    await lab.waitFor(/playground: min\.insync\.replicas 2 \(\+-\) · retention\.ms 7 d \(T\) · unclean off \(U\)/);
    await lab.press('+');
    await lab.waitFor('min.insync.replicas 3 (+-)');
    expect(cluster.sandbox!.topicConfig('playground')!['min.insync.replicas']).toBe('3');
    await lab.press('+');
    await lab.waitFor('min.insync.replicas stays 3: it goes from 1 to the replication factor (3)');
    await lab.press('U', 'T');
    await lab.waitFor('unclean on (U)');
    await lab.waitFor('retention.ms 1 min (T)');
    expect(cluster.sandbox!.topicConfig('playground')).toMatchObject({ 'unclean.leader.election.enable': 'true', 'retention.ms': '60000' });
    // A follower down: every partition's ISR is 2, below 3.
    await cluster.sandbox!.stop(3);
    await lab.waitFor(/below min\.insync\.replicas 3: all 6 partitions \(ISR 2 or fewer\): acks=all sends to them fail with/, 10_000);
    await lab.press('-');
    await lab.waitFor('min.insync.replicas 2 (+-)');
  }, 30_000);
});

describe('topic settings on a cluster reached only over the protocol', () => {
  it('reads with DescribeConfigs and changes with AlterConfigs, keeping the topic\'s other overrides', async () => {
    const { startSandbox } = await import('../helpers/sandbox.js');
    const { adminTopicConfigs } = await import('../../src/kafka/cluster/topic-configs.js');
    const { SandboxControl } = await import('../../src/sandbox/control/control.js');
    const sandbox = await startSandbox();
    const configs = adminTopicConfigs({ brokers: sandbox.addresses() });
    try {
      sandbox.cluster.createTopic('remote', 3, 3, { 'min.insync.replicas': '2', 'retention.bytes': '1000000' });
      expect(await configs.read('remote')).toMatchObject({ minInsyncReplicas: 2, uncleanLeaderElection: false });
      const r = await configs.set('remote', 'min.insync.replicas', '3');
      expect(r).toMatchObject({ ok: true });
      expect(await configs.read('remote')).toMatchObject({ minInsyncReplicas: 3 });
      expect(new SandboxControl(sandbox).topicConfig('remote')).toMatchObject({ 'min.insync.replicas': '3', 'retention.bytes': '1000000' });
    } finally {
      await configs.close?.();
      await sandbox.close();
    }
  });
});
