// The ISR in time, on a fake clock: a follower leaves the ISR only after lagging longer than
// replica.lag.time.max.ms (Kafka's lastCaughtUpTime rule), however long the partition was idle before, and comes
// back once it has caught up.
import { describe, expect, it } from 'vitest';
import { Cluster } from '../../src/sandbox/cluster/cluster.js';
import { pauseBroker, resumeBroker, setReplicationDelay } from '../../src/sandbox/cluster/broker-lifecycle.js';
import { buildRecordBatch } from '../../src/wire/record-batch-builder.js';
import { validateRecordSet } from '../../src/wire/record-batch.js';
import { FakeClock } from '../helpers/fake-clock.js';

const LAG_MAX = 300;

function setUp() {
  const clock = new FakeClock();
  const cluster = new Cluster({ brokerIds: [1, 2, 3], clock, replicaLagTimeMaxMs: LAG_MAX });
  cluster.createTopic('t', 1, 3);
  const p = cluster.partition('t', 0)!;
  const append = () => {
    const checked = validateRecordSet(buildRecordBatch([{ key: null, value: Buffer.from('v'), headers: [], timestamp: clock.now() }]), true);
    if (!checked.ok) throw new Error(checked.message);
    expect(p.appendAsLeader(checked.batches).ok).toBe(true);
  };
  const follower = p.replicas.find((r) => r !== p.leader)!;
  return { clock, cluster, p, append, follower };
}

describe('ISR over time', () => {
  it('keeps a slow follower in sync after a long idle spell: its lag counts from the append it lacks', async () => {
    const { clock, cluster, p, append, follower } = setUp();
    setReplicationDelay(cluster, follower, 100);
    append();
    await clock.advance(5 * LAG_MAX); // idle: nothing to replicate for far longer than replica.lag.time.max.ms
    const shrinks: number[] = [];
    cluster.on((e) => {
      if (e.type === 'isr-shrink') shrinks.push(e.broker);
    });
    append();
    await clock.advance(LAG_MAX / 2); // it gets the record after its 100 ms delay
    expect(shrinks).toEqual([]);
    expect(p.isr).toContain(follower);
    expect(p.logs.get(follower)!.endOffset).toBe(2);
    cluster.close();
  });

  it('drops a follower that lags longer than replica.lag.time.max.ms, and takes it back once it caught up', async () => {
    const { clock, cluster, p, append, follower } = setUp();
    setReplicationDelay(cluster, follower, 4 * LAG_MAX);
    append();
    await clock.advance(LAG_MAX - 50);
    expect(p.isr).toContain(follower);
    await clock.advance(200); // past the limit, and past the next check (every replica.lag.time.max.ms / 4)
    expect(p.isr).not.toContain(follower);
    setReplicationDelay(cluster, follower, 0);
    await clock.advance(LAG_MAX);
    expect(p.isr).toContain(follower);
    cluster.close();
  });

  it('drops a paused follower after replica.lag.time.max.ms, and takes it back after resume', async () => {
    const { clock, cluster, p, append, follower } = setUp();
    await clock.advance(5 * LAG_MAX);
    expect(pauseBroker(cluster, follower).ok).toBe(true);
    append();
    await clock.advance(LAG_MAX / 2);
    expect(p.isr).toContain(follower);
    await clock.advance(LAG_MAX);
    expect(p.isr).not.toContain(follower);
    expect(resumeBroker(cluster, follower).ok).toBe(true);
    await clock.advance(LAG_MAX);
    expect(p.isr).toContain(follower);
    cluster.close();
  });
});
