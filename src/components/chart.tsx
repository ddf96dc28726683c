// A line chart (asciichart) in a fixed-size box: min 0 and max at least 1 so the height never jumps, one colour for
// the whole chart (per-cell colours cost twice the render time), markers on a line beneath. Memoized: a chart is
// plotted again only when its series (replaced once a second) or its size change.
import { plot } from 'asciichart';
import { Box, Text } from 'ink';
import { memo, useMemo } from 'react';
import { axisLabel, lastPoints, markerLine, overlay, LABEL_WIDTH, pointsFor } from './chart-data.js';
import { cell } from './format.js';
import type { Marker } from '../state/store/snapshot.js';
import { useColors } from './theme.js';

export interface ChartProps {
  title: string;
  series: readonly (readonly number[])[];
  width: number;
  /** Rows of the plot itself; the panel is this plus a title and a marker line. */
  height: number;
  color?: 'chart' | 'chart2' | 'warn' | 'error';
  markers: readonly Marker[];
  lastSecond: number;
  /** A second series drawn dotted over the first (p50 under p99): distinct without colour. */
  dotted?: readonly number[];
}

export const Chart = memo(function Chart({ title, series, width, height, color = 'chart', markers, lastSecond, dotted }: ChartProps) {
  const colors = useColors();
  const points = pointsFor(width);
  const text = useMemo(() => {
    const data = series.map((s) => lastPoints(s, points));
    const under = dotted ? lastPoints(dotted, points) : null;
    const max = Math.max(1, ...data.map((d) => Math.max(...d)), ...(under ?? []));
    // plot() draws height+1 lines; both plots get the same scale so they can be laid over each other.
    const cfg = { min: 0, max, height: Math.max(1, height - 1), offset: 2, padding: '', format: axisLabel };
    const solid = plot(data, cfg);
    return under ? overlay(solid, plot(under, cfg), LABEL_WIDTH - 1) : solid;
  }, [series, dotted, points, height]);
  const marks = useMemo(() => markerLine(markers, lastSecond, points), [markers, lastSecond, points]);
  return (
    <Box flexDirection="column" width={width} height={height + 2} overflow="hidden">
      <Text bold>{cell(title, width)}</Text>
      <Text color={colors[color]}>{text}</Text>
      <Text color={colors.warn}>{marks}</Text>
    </Box>
  );
});
