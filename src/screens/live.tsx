// Live view: the topic's partitions (leader, ISR, log end offset and high watermark, records per second, the batch
// being built and its linger countdown), then four charts over time with markers where a setting changed or a
// broker changed state. Charts take whatever height is left, so larger terminals get taller charts.
import { Box, Text } from 'ink';
import { memo } from 'react';
import { BarsPanel } from '../components/bars-panel.js';
import { Chart } from '../components/chart.js';
import { useColors } from '../components/theme.js';
import { MARKER_GLYPH } from '../components/chart-data.js';
import { bar, cell, clock, dec, int, ms } from '../components/format.js';
import { visibleWindow } from '../state/input/list.js';
import type { AppSnapshot, PartitionRow, SeriesView } from '../state/store/snapshot.js';

export interface LiveProps {
  lab: AppSnapshot;
  scroll: number;
  width: number;
  height: number;
}

/**
 * Leader and ISR are the cluster's own state where it is known; "1(3)": the cluster's leader is 1, the producer's
 * metadata still names 3 (the line under the table says how old it is).
 */
function leaderCell(p: PartitionRow, stateOf: (id: number) => string): string {
  if (p.producerLeader != null) return cell(`${int(p.leader, 3)}(${p.producerLeader < 0 ? '-' : p.producerLeader})`, 6);
  return p.leader < 0 ? '  none' : `${int(p.leader, 3)}${stateOf(p.leader) === 'up' ? '   ' : ' ! '}`;
}

function partitionLine(p: PartitionRow, stateOf: (id: number) => string, lingerMs: number): string {
  const leader = leaderCell(p, stateOf);
  const isr = cell(p.isr.join(','), 8);
  const leo = p.logEndOffset === null ? '-'.padStart(9) : int(p.logEndOffset, 9);
  const hw = p.highWatermark === null ? '-'.padStart(9) : int(p.highWatermark, 9);
  const fill = p.lingerRemainingMs === null && p.openBatchFill === 0 ? `${' '.repeat(10)}    -` : `${bar(p.openBatchFill, 10)} ${int(p.openBatchFill * 100, 3)}%`;
  const linger = p.lingerRemainingMs === null ? '-'.padStart(7) : `${int(Math.min(p.lingerRemainingMs, lingerMs), 4)} ms`;
  return `${int(p.partition, 4)} ${leader} ${isr} ${leo} ${hw} ${int(p.recordsPerSec, 7)} ${int(p.queuedRecords, 6)}  ${fill} ${linger}`;
}

/** One line under the table when the producer's metadata names other leaders than the cluster's. */
const staleLines = (lab: AppSnapshot) => (lab.partitions.some((p) => p.producerLeader != null) ? 1 : 0);

const HEADER = 'part leader isr            LEO        HW   rec/s queued  open batch fill  linger';

const Partitions = memo(function Partitions({ lab, scroll, rows, width }: { lab: AppSnapshot; scroll: number; rows: number; width: number }) {
  const colors = useColors();
  const states = new Map(lab.brokers.map((b) => [b.id, b.state]));
  const stateOf = (id: number) => states.get(id) ?? 'unknown';
  const linger = lab.config?.settings['linger.ms'] ?? 0;
  const { start, end } = visibleWindow(scroll, lab.partitions.length, rows);
  const shown = lab.partitions.slice(start, end);
  const r = lab.rates;
  const title = ` ${lab.topic} · linger.ms ${linger} · ${dec(r.recordsPerRequest, 1)} records/request · ${int(r.requestsPerSec)} requests/s · ${int(lab.partitions.length)} partitions · queue avg ${ms(r.queueTimeAvgMs)} ms`;
  return (
    <Box flexDirection="column" width={width} height={rows + 2 + staleLines(lab)} overflow="hidden">
      <Text bold>{cell(title, width)}</Text>
      <Text dimColor>{cell(HEADER, width)}</Text>
      {shown.length === 0 ? <Text dimColor>{cell(' no partition metadata yet', width)}</Text> : null}
      {shown.map((p) => (
        <Text key={p.partition} color={p.leader < 0 || p.isr.length < p.replicas.length || p.producerLeader != null ? colors.warn : undefined}>
          {cell(partitionLine(p, stateOf, linger), width)}
        </Text>
      ))}
      {staleLines(lab) > 0 ? <Text color={colors.warn}>{cell(` (n): ${lab.metadataDiffs.find((d) => !d.includes('controller')) ?? "the producer's metadata names leader n"}`, width)}</Text> : null}
    </Box>
  );
});

const Charts = memo(function Charts({ series, width, height }: { series: SeriesView; width: number; height: number }) {
  const half = Math.floor((width - 1) / 2);
  // Two rows of two panels; each panel is a title, the plot and a marker line.
  const plotRows = Math.max(2, Math.floor(height / 2) - 2);
  const last = (xs: readonly number[]) => xs[xs.length - 1] ?? 0;
  const common = { markers: series.markers, lastSecond: series.lastSecond, height: plotRows };
  return (
    <Box flexDirection="column" width={width}>
      <Box>
        <Chart {...common} title={`Throughput ${int(last(series.throughput))} rec/s`} series={[series.throughput]} width={half} />
        <Text> </Text>
        <Chart {...common} title={`Latency ms: p50 ${ms(last(series.p50))}, p99 ${ms(last(series.p99))}${half >= 55 ? ' (the upper line)' : ''}`} series={[series.p50, series.p99]} width={half} color="chart2" />
      </Box>
      <Box>
        <BarsPanel {...common} title="Requests in flight per broker" series={series.inFlight} width={half} empty=" no requests yet" />
        <Text> </Text>
        <BarsPanel
          {...common}
          title={`Retries ${int(last(series.retries))}/s · errors ${int(last(series.errors))}/s`}
          series={[{ label: 'retries', values: series.retries }, { label: 'errors', values: series.errors }]}
          width={half}
          color="warn"
          empty=""
        />
      </Box>
    </Box>
  );
});

function MarkerLegend({ series, width }: { series: SeriesView; width: number }) {
  const colors = useColors();
  const recent = series.markers.slice(-3).reverse();
  const text = recent.length === 0 ? ' markers: ▲ setting changed · ◆ broker changed state' : ` ${recent.map((m) => `${MARKER_GLYPH[m.kind]} ${clock(m.second * 1000)} ${m.text}`).join('  ')}`;
  return <Text color={colors.warn}>{cell(text, width)}</Text>;
}

export function LiveScreen({ lab, scroll, width, height }: LiveProps) {
  const tableRows = Math.max(1, Math.min(lab.partitions.length || 1, Math.floor(height / 3)));
  const chartHeight = height - (tableRows + 2 + staleLines(lab)) - 1;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Partitions lab={lab} scroll={scroll} rows={tableRows} width={width} />
      <Charts series={lab.series} width={width} height={chartHeight} />
      <MarkerLegend series={lab.series} width={width} />
    </Box>
  );
}
