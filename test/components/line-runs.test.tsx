// The Produce screen's counters and delivery reports are drawn as runs of lines: each line must keep its own style.
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { lineRuns, LineRuns } from '../../src/components/line-runs.js';

describe('LineRuns', () => {
  it('joins consecutive lines of one style and starts a new run where the style changes', () => {
    const runs = lineRuns([
      { text: ' Producer', bold: true },
      { text: ' acked 10' },
      { text: ' failed 2', color: 'red' },
      { text: ' queued 0' },
      { text: ' rec/s 5' },
    ]);
    expect(runs.map((r) => [r.lines, r.color, r.bold])).toEqual([
      [[' Producer'], undefined, true],
      [[' acked 10'], undefined, false],
      [[' failed 2'], 'red', false],
      [[' queued 0', ' rec/s 5'], undefined, false],
    ]);
  });

  it('draws every line on a row of its own, in order', () => {
    const { lastFrame } = render(<LineRuns lines={[{ text: 'one  ' }, { text: 'two', color: 'red' }, { text: 'three' }, { text: 'four' }]} />);
    expect(lastFrame()!.split('\n').map((l) => l.trimEnd())).toEqual(['one', 'two', 'three', 'four']);
  });
});
