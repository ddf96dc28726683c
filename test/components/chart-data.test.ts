// Chart arithmetic: a plotted row is exactly as wide as its panel (a wider one would wrap and break the layout),
// markers land under the second they happened in, and bad values never reach asciichart.
import { plot } from 'asciichart';
import { describe, expect, it } from 'vitest';
import { axisLabel, LABEL_WIDTH, lastPoints, markerLine, pointsFor } from '../../src/components/chart-data.js';
import { bars, sparkline } from '../../src/components/format.js';

describe('chart data', () => {
  it('fits a plot into its width for every width and value range', () => {
    for (const width of [20, 39, 59, 100]) {
      for (const max of [0, 0.5, 7, 950, 12_345, 2_500_000]) {
        const data = lastPoints(Array.from({ length: 200 }, (_, i) => (i % 7) * (max / 6)), pointsFor(width));
        const text = plot([data], { min: 0, max: Math.max(1, ...data), height: 4, offset: 2, padding: '', format: axisLabel });
        const rows = text.split('\n');
        expect(rows).toHaveLength(5);
        for (const r of rows) expect([...r].length).toBeLessThanOrEqual(width);
      }
    }
  });

  it('pads short history with zeros and replaces NaN, so asciichart never throws', () => {
    expect(lastPoints([1, Number.NaN, 3], 5)).toEqual([0, 0, 1, 0, 3]);
    expect(lastPoints([1, 2, 3, 4], 2)).toEqual([3, 4]);
    expect(sparkline([0, Number.NaN, 7], 7)).toBe('▁ █');
    expect(bars([0, 16], 2, 16)).toEqual([' █', ' █']);
  });

  it('puts a marker under the second it happened in', () => {
    const line = markerLine([{ second: 100, kind: 'setting', text: 'x' }, { second: 97, kind: 'broker', text: 'y' }, { second: 10, kind: 'broker', text: 'too old' }], 100, 10);
    // The time axis in seconds ago (-5s, now) under the points; markers win over its letters.
    expect(line).toBe(`${' '.repeat(LABEL_WIDTH)}  -5s ◆no▲`);
  });
});
