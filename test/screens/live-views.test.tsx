// The new views from hand-made snapshots: the Live screen's audit and bytes line, markers in the same column of
// every chart, p50 dotted under a solid p99 (readable without colour), z zooming a chart; the Pipeline screen with
// every metric under its Kafka name; the Records screen's audit list; the topic settings under the Cluster screen.
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { effectiveConfig } from '../../src/kafka/producer/config/settings.js';
import { KAFKA_METRICS, type KafkaMetricValues } from '../../src/kafka/producer/metrics/kafka-metrics.js';
import { LiveScreen } from '../../src/screens/live.js';
import { PipelineScreen } from '../../src/screens/pipeline.js';
import { RecordsScreen } from '../../src/screens/records.js';
import { TopicSettingsPanel } from '../../src/components/topic-settings-panel.js';
import { AppStore } from '../../src/state/store/app-store.js';
import type { AppSnapshot } from '../../src/state/store/snapshot.js';

function snapshot(): AppSnapshot {
  const base = new AppStore({ historySeconds: 120 }).getSnapshot();
  const ramp = Array.from({ length: 120 }, (_, i) => (i < 60 ? 0 : 1000));
  const metrics = Object.fromEntries(KAFKA_METRICS.map(([n], i) => [n, i + 0.5])) as KafkaMetricValues;
  return {
    ...base,
    connection: { phase: 'ready', detail: '' },
    config: effectiveConfig({ 'linger.ms': 20, acks: 'all' }),
    rates: { ...base.rates, bytesBeforePerSec: 10240, bytesAfterPerSec: 2048, compressionRatio: 0.2, recordsPerSec: 100 },
    totals: {
      appended: 10, acked: 10, failed: 0, retries: 0, requests: 1, bytesOut: 1, queuedRecords: 0, waitingAppends: 0, bufferAvailableBytes: 1, bufferTotalBytes: 1,
      compressionRate: 0.5, bytesBeforeCompression: 2000, bytesAfterCompression: 1000, compressionByCodec: { none: { before: 1000, after: 1000 }, gzip: { before: 1000, after: 200 } }, compressionType: 'gzip',
    },
    partitions: [0, 1, 2].map((p) => ({
      topic: 'playground', partition: p, leader: p + 1, replicas: [1, 2, 3], isr: p === 0 ? [1] : [1, 2, 3],
      logEndOffset: 1000, highWatermark: 990, logStartOffset: 0, queuedRecords: 0, openBatchFill: 0, lingerRemainingMs: null,
      sent: 0, acked: 0, failed: 0, lastOffset: null, recordsPerSec: 33,
    })),
    brokers: [1, 2, 3].map((id) => ({ id, address: `127.0.0.1:909${id + 1}`, state: 'up', isController: id === 2, leaderCount: 1, inFlight: 1 })),
    producer: { phase: 'ready', producerId: 1000, producerEpoch: 0, detail: null },
    series: {
      ...base.series,
      lastSecond: 5000,
      throughput: ramp,
      p50: ramp.map((v) => v / 100),
      p99: ramp.map((v) => v / 10),
      inFlight: [{ label: 'broker 2', values: ramp.map(() => 1) }],
      markers: [{ second: 4990, kind: 'audit', text: 'first duplicated: key user-1 seq 7, partition 2' }],
    },
    audit: {
      view: { runId: 'abc12345', topic: 'playground', isolation: 'read_uncommitted', phase: 'tailing', problem: null, lost: 0, duplicated: 2, reordered: 0, read: 500, unseen: 3 },
      findings: [{ kind: 'duplicated', key: 'user-1', seq: 7, partition: 2, offset: 812, at: 5_000_000, detail: 'read again at offset 812' }],
    },
    pipeline: { metrics, sequences: [{ topic: 'playground', partition: 2, producerId: 1000, epoch: 0, nextSequence: 42, lastAckedSequence: 41, unacked: 0, brokerWindow: '30-33 34-37 38-41' }] },
    topicSettings: { topic: 'playground', minInsyncReplicas: 2, retentionMs: 604_800_000, retentionBytes: -1, uncleanLeaderElection: false, via: 'test' },
  };
}

const frameOf = (el: React.ReactElement) => {
  const { lastFrame, unmount } = render(el);
  const f = lastFrame() ?? '';
  unmount();
  return f;
};

describe('Live screen: audit, bytes, one time axis', () => {
  it('shows the audit counts and the bytes before and after compression with the ratio', () => {
    const f = frameOf(<LiveScreen lab={snapshot()} scroll={0} width={80} height={21} />);
    expect(f).toContain('lost 0 · duplicated 2 · reordered 0');
    expect(f).toContain('bytes/s 10.0 KiB→2.0 KiB gzip 0.20');
  });

  it('states the definitions and the ratio per codec when there is room', () => {
    const f = frameOf(<LiveScreen lab={snapshot()} scroll={0} width={120} height={37} />);
    expect(f).toContain('duplicated: the same key and sequence read twice');
    expect(f).toContain('compression ratio per codec so far (after / before): none 1.00 · gzip 0.20');
  });

  it('puts a marker in the same column under every chart of a row, on a seconds-ago axis', () => {
    const lines = frameOf(<LiveScreen lab={snapshot()} scroll={0} width={120} height={37} />).split('\n');
    const axes = lines.filter((l) => l.includes('now') && l.includes('s '));
    expect(axes.length).toBe(2);
    for (const l of axes) {
      const half = 59;
      expect(l.indexOf('✖')).toBe(l.indexOf('✖', half) - (half + 1));
      expect(l).toMatch(/-\d+s/);
    }
  });

  it('draws p99 solid and p50 dotted, so the two read apart without colour', () => {
    const f = frameOf(<LiveScreen lab={snapshot()} scroll={0} width={120} height={37} />);
    expect(f).toContain('p99 ─');
    expect(f).toMatch(/┄/);
  });

  it('z zooms one chart to the whole screen', () => {
    const f = frameOf(<LiveScreen lab={snapshot()} scroll={0} zoom={2} width={80} height={21} />);
    expect(f).toContain('Latency ms');
    expect(f).not.toContain('Throughput');
    expect(f.split('\n').length).toBeGreaterThan(15);
  });
});

describe('Pipeline screen', () => {
  it('shows the stages, the idempotent producer and every metric with its value at 120x40', () => {
    const f = frameOf(<PipelineScreen lab={snapshot()} scroll={0} width={120} height={37} />);
    expect(f).toMatch(/serializer +▶partitioner ▶accumulator ▶sender +▶broker +▶report/);
    expect(f).toContain('producer id 1000 · epoch 0');
    expect(f).toContain('bytes 10.0 KiB/s → 2.0 KiB/s compressed · ratio: none 1.00 · gzip 0.20');
    expect(f).toContain('p2 next 42 acked 41 · broker keeps 30-33 34-37 38-41');
    for (const [name, meaning] of KAFKA_METRICS) expect(f).toMatch(new RegExp(`${name} +[\\d.,]+  ${meaning.replace(/[()/]/g, '.')}`));
    expect(f.split('\n').length).toBeLessThanOrEqual(37);
  });

  it('shows batches split for MESSAGE_TOO_LARGE under the broker, and sequences still unanswered', () => {
    const s = snapshot();
    const lab = { ...s, totals: { ...s.totals!, batchSplits: 3 }, pipeline: { ...s.pipeline!, sequences: s.pipeline!.sequences.map((q) => ({ ...q, unacked: 2 })) } };
    const f = frameOf(<PipelineScreen lab={lab} scroll={0} width={120} height={37} />);
    expect(f).toMatch(/min\.isr 2 +0 error\/s\n.* 3 split/);
    expect(f).toContain('p2 next 42 acked 41 · 2 unanswered · broker keeps');
    expect(frameOf(<LiveScreen lab={lab} scroll={0} width={120} height={37} />)).toMatch(/Retries \d+\/s · errors \d+\/s · 3 split/);
  });

  it('says when the soonest open batch is due, not a figure that reads as linger.ms', () => {
    const s = snapshot();
    const lab = { ...s, partitions: s.partitions.map((p) => (p.partition === 1 ? { ...p, openBatchFill: 0.2, lingerRemainingMs: 7 } : p)) };
    const f = frameOf(<PipelineScreen lab={lab} scroll={0} width={120} height={37} />);
    expect(f).toContain('due in 7ms');
    expect(f).not.toMatch(/linger \d+ms/);
    expect(frameOf(<PipelineScreen lab={s} scroll={0} width={120} height={37} />)).toContain('due in -');
  });

  it('fits 80x24, scrolling the metrics', () => {
    const f = frameOf(<PipelineScreen lab={snapshot()} scroll={0} width={80} height={21} />);
    const lines = f.split('\n');
    expect(lines.length).toBeLessThanOrEqual(21);
    for (const l of lines) expect([...l].length).toBeLessThanOrEqual(80);
    expect(f).toMatch(new RegExp(`↑/↓: 1-\\d+ of ${KAFKA_METRICS.length}`));
    const scrolled = frameOf(<PipelineScreen lab={snapshot()} scroll={21} width={80} height={21} />);
    expect(scrolled).toContain('metadata-age');
  });
});

describe('Records screen: the audit list', () => {
  it('lists the offending records under the definitions', () => {
    const s = snapshot();
    const f = frameOf(<RecordsScreen deliveries={[]} deadLetters={[]} deadDropped={0} list="audit" index={0} audit={s.audit} width={80} height={21} />);
    expect(f).toContain('Audit (2)');
    expect(f).toContain('Live audit: lost 0 · duplicated 2 · reordered 0');
    expect(f).toContain('reordered: a lower sequence of a key read after a higher one in a partition');
    expect(f).toMatch(/duplicated +key user-1 seq 7, partition 2: read again at offset 812/);
  });
});

describe('topic settings under the Cluster screen', () => {
  it('shows the settings with their keys and the partitions below min.insync.replicas with what acks=all does', () => {
    const f = frameOf(<TopicSettingsPanel lab={snapshot()} width={80} />);
    expect(f).toContain('playground: min.insync.replicas 2 (+-) · retention.ms 7 d (T) · unclean off (U)');
    expect(f.replace(/\s+/g, ' ')).toContain('below min.insync.replicas 2: partition 0 (ISR 1): acks=all sends to them fail with NOT_ENOUGH_REPLICAS');
  });
});
