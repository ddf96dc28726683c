// The header: the state always shows, whatever the width; the live audit's findings appear only when there are any.
import { stripVTControlCharacters } from 'node:util';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { StatusBar, auditText } from '../../src/components/status-bar.js';
import type { HealthView } from '../../src/state/store/snapshot.js';

const cluster = { label: 'built-in cluster 127.0.0.1:9092-9094', kind: 'sandbox' as const, note: null, canControl: true, canInjectFaults: true };
const stalled: HealthView = { level: 'error', word: 'stalled', text: 'stalled: broker 3 not answering (request timeout in 12 s)' };

function line(width: number, health: HealthView, liveAudit?: { lost: number; duplicated: number; reordered: number } | null): string {
  const { lastFrame, unmount } = render(<StatusBar width={width} cluster={cluster} health={health} topic="playground" recordsPerSec={812} looping liveAudit={liveAudit} />);
  const out = stripVTControlCharacters(lastFrame() ?? '');
  unmount();
  return out;
}

describe('StatusBar', () => {
  it('shows the whole state and the rate at 80 and 120 columns, in one line of exactly the width', () => {
    for (const width of [80, 120]) {
      const text = line(width, stalled);
      expect(text.split('\n')).toHaveLength(1);
      expect(text.length).toBeLessThanOrEqual(width);
      expect(text).toContain('stalled: broker 3 not answering (request timeout in 12 s)');
      expect(text).toContain('812 rec/s ▶');
    }
    expect(line(120, stalled)).toContain('topic playground');
  });

  it('says ready only when the state is ready', () => {
    expect(line(120, { level: 'ok', word: 'ready', text: 'ready' })).toMatch(/│ ready │/);
    expect(line(120, stalled)).not.toMatch(/\bready\b/);
  });

  it('shows the live audit only when it found something', () => {
    expect(auditText(null)).toBe('');
    expect(auditText(undefined)).toBe('');
    expect(auditText({ lost: 0, duplicated: 0, reordered: 0 })).toBe('');
    expect(auditText({ lost: 0, duplicated: 1, reordered: 3 })).toBe('duplicated 1 · reordered 3');
    const text = line(120, { level: 'ok', word: 'ready', text: 'ready' }, { lost: 2, duplicated: 1, reordered: 0 });
    expect(text).toContain('lost 2 · duplicated 1');
    expect(text).not.toContain('reordered');
  });

  it('shows new audit counts and a new state on the next frame, though the counts come in a new object each frame', () => {
    const ready: HealthView = { level: 'ok', word: 'ready', text: 'ready' };
    const props = { width: 120, cluster, topic: 'playground', recordsPerSec: 812, looping: true };
    const { lastFrame, rerender, unmount } = render(<StatusBar {...props} health={ready} liveAudit={{ lost: 0, duplicated: 0, reordered: 0 }} />);
    rerender(<StatusBar {...props} health={ready} liveAudit={{ lost: 0, duplicated: 0, reordered: 0 }} />);
    expect(stripVTControlCharacters(lastFrame() ?? '')).not.toContain('lost');
    rerender(<StatusBar {...props} health={ready} liveAudit={{ lost: 2, duplicated: 0, reordered: 0 }} />);
    expect(stripVTControlCharacters(lastFrame() ?? '')).toContain('lost 2');
    rerender(<StatusBar {...props} health={stalled} liveAudit={{ lost: 2, duplicated: 0, reordered: 0 }} />);
    expect(stripVTControlCharacters(lastFrame() ?? '')).toContain('stalled: broker 3');
    rerender(<StatusBar {...props} recordsPerSec={1000} health={stalled} liveAudit={{ lost: 2, duplicated: 0, reordered: 0 }} />);
    expect(stripVTControlCharacters(lastFrame() ?? '')).toContain('1,000 rec/s');
    unmount();
  });
});

