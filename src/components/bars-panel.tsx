// Several named series as block bars, one band per series (one row each at 80x24, taller on larger screens): in-flight
// requests per broker, retries and errors. Lines of the same colour would be indistinguishable; bands are not.
import { Box, Text } from 'ink';
import { memo, useMemo } from 'react';
import { LABEL_WIDTH, lastPoints, markerLine, pointsFor } from './chart-data.js';
import { bars, cell, int } from './format.js';
import type { Marker, NamedSeries } from '../state/store/snapshot.js';
import { useColors } from './theme.js';

export interface BarsPanelProps {
  title: string;
  series: readonly NamedSeries[];
  width: number;
  /** Rows for the bands together; the panel adds a title and a marker line. */
  height: number;
  color?: 'chart' | 'chart2' | 'warn' | 'error';
  markers: readonly Marker[];
  lastSecond: number;
  /** Shown when there is no series yet. */
  empty: string;
  /** One scale for every band (a full cell is this much); by default each band's own highest value. */
  scaleMax?: number;
}

export const BarsPanel = memo(function BarsPanel({ title, series, width, height, color = 'chart2', markers, lastSecond, empty, scaleMax }: BarsPanelProps) {
  const colors = useColors();
  // The same columns as a line chart (label, then the points), so the time axis and markers line up across charts:
  // a short label and the current value fill the 7 label columns.
  const labelWidth = LABEL_WIDTH;
  const points = pointsFor(width);
  const lines = useMemo(() => {
    if (series.length === 0) return [cell(empty, width)];
    const shown = series.slice(0, Math.max(1, height));
    const rows = Math.max(1, Math.floor(height / shown.length));
    const out: string[] = [];
    for (const s of shown) {
      const data = lastPoints(s.values, points);
      const band = bars(data, rows, scaleMax);
      const now = data[data.length - 1];
      // The label and current value sit on the band's bottom row, next to the newest bar.
      band.forEach((line, i) => {
        const label = i === band.length - 1 ? `${cell(s.label, 3)}${int(now, 3)} ` : ' '.repeat(labelWidth);
        out.push(label + line);
      });
    }
    return out;
  }, [series, points, height, width, empty, labelWidth, scaleMax]);
  const marks = useMemo(() => markerLine(markers, lastSecond, points, labelWidth), [markers, lastSecond, points, labelWidth]);
  return (
    <Box flexDirection="column" width={width} height={height + 2} overflow="hidden">
      <Text bold>{cell(title, width)}</Text>
      <Text color={colors[color]}>{lines.join('\n')}</Text>
      <Box flexGrow={1} />
      <Text color={colors.warn}>{marks}</Text>
    </Box>
  );
});
