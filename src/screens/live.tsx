// Live view: the topic's partitions (leader, ISR, log end offset and high watermark, records per second, the batch
// being built and its linger countdown), the live audit's counts and the bytes before and after compression, then
// four charts on one time axis with markers where a setting changed, a broker changed state or the audit saw its
// first problem of a kind. Charts take whatever height is left; z zooms one to the whole screen.
import { Box, Text } from 'ink';
import { memo, type ReactNode } from 'react';
import { AUDIT_DEFINITIONS, auditCounts } from '../components/audit-findings.js';
import { BarsPanel } from '../components/bars-panel.js';
import { Chart } from '../components/chart.js';
import { useColors } from '../components/theme.js';
import { MARKER_GLYPH } from '../components/chart-data.js';
import { bar, bytes, cell, clock, dec, int, ms } from '../components/format.js';
import { visibleWindow } from '../state/input/list.js';
import type { AppSnapshot, PartitionRow, SeriesView } from '../state/store/snapshot.js';

export interface LiveProps {
  lab: AppSnapshot;
  scroll: number;
  /** A chart zoomed to the whole screen (1..4), or 0. */
  zoom?: number;
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

/** The four charts; each plots the same seconds (one shared time axis), so markers line up across them. */
function chartPanels(lab: AppSnapshot, width: number, plotRows: number): ReactNode[] {
  const series = lab.series;
  const last = (xs: readonly number[]) => xs[xs.length - 1] ?? 0;
  const common = { markers: series.markers, lastSecond: series.lastSecond, height: plotRows, width };
  const maxInFlight = lab.config?.settings['max.in.flight.requests.per.connection'] ?? 5;
  const highest = Math.max(0, ...series.inFlight.map((s) => Math.max(0, ...s.values)));
  const scale = Math.max(maxInFlight, highest);
  const inFlight = series.inFlight.map((s) => ({ label: s.label.replace('broker ', 'b'), values: s.values }));
  return [
    <Chart key="t" {...common} title={`Throughput ${int(last(series.throughput))} rec/s`} series={[series.throughput]} />,
    <Chart key="l" {...common} title={`Latency ms: p99 ─ ${ms(last(series.p99))} · p50 ┄ ${ms(last(series.p50))}`} series={[series.p99]} dotted={series.p50} color="chart2" />,
    <BarsPanel key="i" {...common} title={width >= 56 ? `In flight per broker (█ = ${scale}, max.in.flight ${maxInFlight})` : `In flight per broker (█ = ${scale})`} series={inFlight} scaleMax={scale} empty=" no requests yet" />,
    <BarsPanel
      key="r"
      {...common}
      title={`Retries ${int(last(series.retries))}/s · errors ${int(last(series.errors))}/s${lab.totals?.batchSplits ? ` · ${int(lab.totals.batchSplits)} split` : ''}`}
      series={[{ label: 'ret', values: series.retries }, { label: 'err', values: series.errors }]}
      color="warn"
      empty=""
    />,
  ];
}

const Charts = memo(function Charts({ lab, width, height }: { lab: AppSnapshot; width: number; height: number }) {
  const half = Math.floor((width - 1) / 2);
  // Two rows of two panels; each panel is a title, the plot and its time axis with the markers.
  const plotRows = Math.max(2, Math.floor(height / 2) - 2);
  const [t, l, i, r] = chartPanels(lab, half, plotRows);
  return (
    <Box flexDirection="column" width={width}>
      <Box>
        {t}
        <Text> </Text>
        {l}
      </Box>
      <Box>
        {i}
        <Text> </Text>
        {r}
      </Box>
    </Box>
  );
});

function MarkerLegend({ series, width }: { series: SeriesView; width: number }) {
  const colors = useColors();
  const recent = series.markers.slice(-3).reverse();
  const text = recent.length === 0 ? ' markers: ▲ setting · ◆ broker · ✖ first lost/duplicated/reordered · z zooms' : ` ${recent.map((m) => `${MARKER_GLYPH[m.kind]} ${clock(m.second * 1000)} ${m.text}`).join('  ')}`;
  return <Text color={colors.warn}>{cell(text, width)}</Text>;
}

/** The live audit's counts and the bytes on the wire, one line; the audit's definitions too when there is room. */
function AuditAndBytes({ lab, width, definitions }: { lab: AppSnapshot; width: number; definitions: boolean }) {
  const colors = useColors();
  const r = lab.rates;
  const codec = lab.totals?.compressionType ?? 'none';
  const ratio = r.compressionRatio === null ? '-' : dec(r.compressionRatio, 2);
  // "/s" on both sides of the arrow: "74.6 KiB→74.6 KiB/s" read as a total going to a rate.
  const bytesText = `bytes/s ${bytes(r.bytesBeforePerSec)}→${bytes(r.bytesAfterPerSec)} ${codec} ${ratio}`;
  const counts = ` ${auditCounts(lab.audit)}`;
  const v = lab.audit?.view;
  const bad = v ? v.lost + v.duplicated + v.reordered > 0 : false;
  const codecs = Object.entries(lab.totals?.compressionByCodec ?? {})
    .filter(([, c]) => c.before > 0)
    .map(([name, c]) => `${name} ${dec(c.after / c.before, 2)}`)
    .join(' · ');
  return (
    <Box flexDirection="column" width={width}>
      <Box width={width}>
        <Text bold color={bad ? colors.error : undefined}>{cell(counts, Math.min(width, counts.length))}</Text>
        <Text>{cell(` │ ${bytesText}`, Math.max(0, width - counts.length))}</Text>
      </Box>
      {definitions ? (
        <>
          {AUDIT_DEFINITIONS.map((d) => (
            <Text key={d} dimColor>{cell(`   ${d}`, width)}</Text>
          ))}
          <Text dimColor>{cell(`   compression ratio per codec so far (after / before): ${codecs || 'none yet'}`, width)}</Text>
        </>
      ) : null}
    </Box>
  );
}

export function LiveScreen({ lab, scroll, zoom = 0, width, height }: LiveProps) {
  if (zoom > 0) {
    // One chart over the whole screen, for the back of the room.
    const panel = chartPanels(lab, width, Math.max(2, height - 3))[zoom - 1];
    return (
      <Box flexDirection="column" width={width} height={height}>
        {panel}
        <MarkerLegend series={lab.series} width={width} />
      </Box>
    );
  }
  const definitions = height >= 34;
  const tableRows = Math.max(1, Math.min(lab.partitions.length || 1, Math.floor(height / 3)));
  const chartHeight = height - (tableRows + 2 + staleLines(lab)) - 1 - (definitions ? 5 : 1);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Partitions lab={lab} scroll={scroll} rows={tableRows} width={width} />
      <AuditAndBytes lab={lab} width={width} definitions={definitions} />
      <Charts lab={lab} width={width} height={chartHeight} />
      <MarkerLegend series={lab.series} width={width} />
    </Box>
  );
}
