// Two truths side by side on the Cluster and Live screens: the cluster's own leaders and controller, and where the
// producer's metadata still names others (with its age), within 80x24 and 120x40.
import { stripVTControlCharacters } from 'node:util';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { effectiveConfig } from '../../src/kafka/producer/config/settings.js';
import { ClusterScreen } from '../../src/screens/cluster.js';
import { LiveScreen } from '../../src/screens/live.js';
import { AppStore, type StoreEngine } from '../../src/state/store/app-store.js';
import type { AppSnapshot, ClusterTruth } from '../../src/state/store/snapshot.js';

const NOW = 1_000_000_000;

/** The producer still believes broker 3 leads partitions 2 and 5 (its metadata is 14 s old); the cluster moved them to 1. */
function snapshot(): AppSnapshot {
  const store = new AppStore({ topic: 'playground', now: () => NOW });
  const believed = [1, 2, 3, 1, 2, 3];
  const engine: StoreEngine = {
    on: () => () => {},
    totals: () => ({ appended: 0, acked: 0, failed: 0, retries: 0, requests: 0, bytesOut: 0, queuedRecords: 0, waitingAppends: 0, bufferAvailableBytes: 1, bufferTotalBytes: 1, compressionRate: 1, bytesBeforeCompression: 0, bytesAfterCompression: 0, compressionByCodec: {}, compressionType: 'none' }),
    partitionViews: () =>
      believed.map((leader, partition) => ({
        topic: 'playground', partition, leader, replicas: [1, 2, 3], isr: [1, 2, 3], logEndOffset: 10, highWatermark: 10, logStartOffset: 0,
        queuedRecords: 0, openBatchFill: 0, lingerRemainingMs: null, sent: 0, acked: 0, failed: 0, lastOffset: null,
      })),
    brokerViews: () => [1, 2, 3].map((id) => ({ id, address: `127.0.0.1:909${id + 1}`, state: id === 3 ? ('paused' as const) : ('up' as const), isController: id === 3, leaderCount: 2, inFlight: 0 })),
    counters: { requests: 0, requestRecords: 0, requestBytes: 0, recordsPerRequest: () => 0, bytesPerRequest: () => 0, queueTimeAvgMs: () => 0 },
    deliveries: { latest: () => [], deadLetters: () => [], deadDropped: 0 },
    config: effectiveConfig({}),
    status: { phase: 'ready', producerId: null, producerEpoch: null, detail: null },
    metadata: { lastRefreshAt: NOW - 14_000, controller: 3 },
  };
  store.attach(engine);
  store.setConnection('ready', '');
  const truth: ClusterTruth = {
    source: 'the built-in cluster',
    at: NOW - 1000,
    topic: 'playground',
    controller: 1,
    brokers: [
      { id: 1, state: 'up', leaderCount: 4 },
      { id: 2, state: 'up', leaderCount: 2 },
      { id: 3, state: 'paused', leaderCount: 0 },
    ],
    partitions: [1, 2, 1, 1, 2, 1].map((leader, partition) => ({ partition, leader, replicas: [1, 2, 3], isr: [1, 2] })),
    minInsyncReplicas: 2,
  };
  store.setClusterTruth(truth);
  store.publish();
  return store.getSnapshot();
}

const text = (el: React.ReactElement) => {
  const { lastFrame, unmount } = render(el);
  const out = stripVTControlCharacters(lastFrame() ?? '');
  unmount();
  return out;
};

describe('two truths', () => {
  for (const [columns, rows] of [[80, 24], [120, 40]] as const) {
    it(`Cluster at ${columns}x${rows}: the cluster's leaderships and controller, and the producer's stale belief`, () => {
      const lab = snapshot();
      const frame = text(
        <ClusterScreen
          cluster={{ label: 'built-in cluster', kind: 'sandbox', note: null, canControl: true, canInjectFaults: true }}
          brokers={lab.brokers}
          index={0}
          confirm={null}
          faults={[]}
          requests={[]}
          events={[]}
          truth={lab.clusterTruth}
          metadataAgeMs={lab.metadataAgeMs}
          metadataDiffs={lab.metadataDiffs}
          now={lab.now}
          width={columns}
          height={rows - 3}
        />,
      );
      expect(frame).toMatch(/ 1 +127\.0\.0\.1:9092 +UP +4 +yes /);
      expect(frame).toMatch(/ 3 +127\.0\.0\.1:9094 +PAUSED +0 +0/);
      expect(frame).toContain('leaders from the built-in cluster, 1 s ago');
      expect(frame).toContain('producer still thinks broker 3 leads partitions 2, 5 — metadata 14 s old');
      expect(frame).toContain('producer still thinks broker 3 is the controller (it is broker 1)');
    });

    it(`Live at ${columns}x${rows}: leader and ISR as the cluster has them, the producer's leader in brackets`, () => {
      const frame = text(<LiveScreen lab={snapshot()} scroll={0} width={columns} height={rows - 3} />);
      expect(frame).toMatch(/^ +2 +1\(3\) +1,2 /m);
      expect(frame).toMatch(/^ +0 +1 +1,2 /m);
      expect(frame).toContain('(n): producer still thinks broker 3 leads partitions 2, 5 — metadata 14 s old');
    });
  }
});
