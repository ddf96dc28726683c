// Pure helpers for the charts: how many points fit, the axis labels, and the marker line under a chart. Kept apart
// from the components so the arithmetic is testable and the components stay drawing only.
import type { Marker } from '../state/store/snapshot.js';

/** Columns before the first point: a 6-column axis label, a space, then the axis itself at the first point. */
export const LABEL_WIDTH = 7;

/** asciichart leaves one unused cell after the last point, so a row is LABEL_WIDTH + points + 1 columns. */
export function pointsFor(width: number): number {
  return Math.max(2, width - LABEL_WIDTH - 1);
}

/** The last `n` values (padded with zeros in front), with anything non-finite as 0: asciichart throws on NaN. */
export function lastPoints(values: readonly number[], n: number): number[] {
  const out = new Array<number>(n).fill(0);
  const take = Math.min(n, values.length);
  for (let i = 0; i < take; i++) {
    const v = values[values.length - take + i];
    out[n - take + i] = Number.isFinite(v) ? v : 0;
  }
  return out;
}

/** Axis label: 6 columns, compact (12.5, 950, 1.2k, 34k, 1.5M). */
export function axisLabel(x: number): string {
  const a = Math.abs(x);
  const s = a >= 1e6 ? `${(x / 1e6).toFixed(1)}M` : a >= 1e4 ? `${Math.round(x / 1e3)}k` : a >= 1e3 ? `${(x / 1e3).toFixed(1)}k` : a >= 10 ? `${Math.round(x)}` : x.toFixed(1);
  return `${s.padStart(6)} `;
}

export const MARKER_GLYPH: Record<Marker['kind'], string> = { setting: '▲', broker: '◆', audit: '✖' };
const GLYPHS = new Set([...Object.values(MARKER_GLYPH), '*']);

/** A line's glyphs redrawn dotted: how a second series stays distinct from the first without colour (NO_COLOR). */
const DOTTED: Record<string, string> = { '─': '┄', '│': '┆', '╭': '·', '╮': '·', '╰': '·', '╯': '·', '┼': '┼', '┤': '┤' };

/**
 * Two plots of the same size and scale laid over each other: `solid` as drawn, `dotted` in dotted glyphs where
 * `solid` leaves the cell empty. Only the plot area (after `prefix` columns of axis labels) is merged.
 */
export function overlay(solid: string, dotted: string, prefix: number): string {
  const a = solid.split('\n');
  const b = dotted.split('\n');
  return a
    .map((line, r) => {
      const chars = [...line];
      const other = [...(b[r] ?? '')];
      for (let i = prefix + 1; i < other.length; i++) {
        if (other[i] !== ' ' && (chars[i] === ' ' || chars[i] === undefined)) chars[i] = DOTTED[other[i]] ?? '·';
      }
      return chars.join('');
    })
    .join('\n');
}

/** Seconds between time-axis labels: every chart of one width gets the same, so their columns agree. */
function tickEvery(points: number): number {
  return points >= 100 ? 20 : points >= 50 ? 10 : 5;
}

/**
 * The line under a chart: the shared time axis in seconds ago ("-30s" ending under the point 30 s back, "now" at
 * the right) with a glyph under the second each marker happened in. Every chart that plots `points` seconds
 * ends at the same newest second, so a marker sits in the same column under each of them.
 */
export function markerLine(markers: readonly Marker[], lastSecond: number, points: number, prefix = LABEL_WIDTH): string {
  const cells = new Array<string>(points).fill(' ');
  const every = tickEvery(points);
  for (let ago = every; ago < points - 4; ago += every) {
    const label = `-${ago}s`;
    const end = points - 1 - ago;
    if (end - label.length + 1 < 0) break;
    for (let i = 0; i < label.length; i++) cells[end - label.length + 1 + i] = label[i];
  }
  if (points >= 4) for (let i = 0; i < 3; i++) cells[points - 3 + i] = 'now'[i];
  for (const m of markers) {
    const i = points - 1 - (lastSecond - m.second);
    if (i >= 0 && i < points) cells[i] = !GLYPHS.has(cells[i]) || cells[i] === MARKER_GLYPH[m.kind] ? MARKER_GLYPH[m.kind] : '*';
  }
  return ' '.repeat(prefix) + cells.join('');
}
