// The Live screen from a hand-made snapshot: the partition table, the four chart panels with markers, and no line
// wider than the terminal at 80x24 or 120x40.
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { effectiveConfig } from '../../src/kafka/producer/config/settings.js';
import { LiveScreen } from '../../src/screens/live.js';
import { AppStore } from '../../src/state/store/app-store.js';
import type { AppSnapshot } from '../../src/state/store/snapshot.js';

function snapshot(): AppSnapshot {
  const base = new AppStore({ historySeconds: 120 }).getSnapshot();
  const ramp = Array.from({ length: 120 }, (_, i) => (i < 60 ? 0 : 1000));
  return {
    ...base,
    connection: { phase: 'ready', detail: '' },
    config: effectiveConfig({ 'linger.ms': 20 }),
    partitions: [0, 1, 2].map((p) => ({
      topic: 'playground', partition: p, leader: p === 0 ? 2 : p + 1, replicas: [1, 2, 3], isr: p === 0 ? [2, 3] : [1, 2, 3],
      logEndOffset: 1000 + p, highWatermark: 990 + p, logStartOffset: 0, queuedRecords: 12, openBatchFill: 0.25, lingerRemainingMs: 7,
      sent: 0, acked: 0, failed: 0, lastOffset: null, recordsPerSec: 333,
    })),
    brokers: [1, 2, 3].map((id) => ({ id, address: `127.0.0.1:909${id + 1}`, state: id === 1 ? 'stopped' : 'up', isController: id === 2, leaderCount: id === 1 ? 0 : 3, inFlight: 1 })),
    series: {
      ...base.series,
      lastSecond: 5000,
      throughput: ramp,
      p50: ramp.map((v) => v / 100),
      p99: ramp.map((v) => v / 10),
      retries: ramp.map((_, i) => (i === 100 ? 40 : 0)),
      inFlight: [{ label: 'broker 2', values: ramp.map(() => 1) }, { label: 'broker 3', values: ramp.map(() => 1) }],
      markers: [{ second: 4990, kind: 'setting', text: 'linger.ms 5->20' }, { second: 4999, kind: 'broker', text: 'broker 1 up->stopped' }],
    },
  };
}

describe('Live screen', () => {
  for (const [columns, rows] of [[80, 24], [120, 40]]) {
    it(`draws the table, the charts and the markers within ${columns}x${rows}`, () => {
      const body = rows - 3;
      const { lastFrame, unmount } = render(<LiveScreen lab={snapshot()} scroll={0} width={columns} height={body} />);
      const frame = lastFrame() ?? '';
      unmount();
      const lines = frame.split('\n');
      expect(lines.length).toBeLessThanOrEqual(body);
      for (const l of lines) expect([...l].length).toBeLessThanOrEqual(columns);
      expect(frame).toMatch(/^ +0 +2 +2,3 +1,000 +990 +333 +12 +███░░░░░░░ +25% +7 ms/m);
      expect(frame).toContain('Throughput');
      expect(frame).toContain('Latency ms: p99 ─');
      expect(frame).toContain('p50 ┄');
      expect(frame).toContain('In flight per broker (█ = 5');
      expect(frame).toContain('Retries');
      expect(frame).toContain('▲');
      expect(frame).toContain('◆ ');
      expect(frame).toContain('broker 1 up->stopped');
    });
  }
});
