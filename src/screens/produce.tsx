// Produce (home): the record form with the key-to-partition preview, the producer's numbers, and the latest
// delivery reports. Every number has a fixed width, so only the lines whose values change are rewritten.
import { Box, Text } from 'ink';
import { memo, useMemo } from 'react';
import type { DeliveryReport } from '../state/store/snapshot.js';
import { LineRuns, type StyledLine } from '../components/line-runs.js';
import { RecordForm } from '../components/record-form.js';
import { useColors } from '../components/theme.js';
import { bytes, cell, dec, int, ms, pct, sparkline, wrapWords } from '../components/format.js';
import { keyFor } from '../state/input/keymap.js';
import { partitionPreview } from '../state/partition-preview.js';
import { FIELDS, type ProduceForm } from '../state/input/produce-form.js';
import type { AppSnapshot } from '../state/store/snapshot.js';
import type { FieldEdit } from '../state/input/ui-store.js';

export interface ProduceProps {
  lab: AppSnapshot;
  form: ProduceForm;
  formIndex: number;
  edit: FieldEdit | null;
  width: number;
  height: number;
}

const Stats = memo(function Stats({ lab, width }: { lab: AppSnapshot; width: number }) {
  const colors = useColors();
  const t = lab.totals;
  const r = lab.rates;
  const w = lab.workload;
  const line = (label: string, value: string, color?: string): StyledLine => ({ text: cell(` ${label.padEnd(12)}${value}`, width), color });
  const used = t ? 1 - t.bufferAvailableBytes / Math.max(1, t.bufferTotalBytes) : 0;
  // The rates are the latest second's: a second with no answer has no latency and no batching to show, not 0.
  const answered = r.recordsPerSec > 0;
  return (
    <Box flexDirection="column" width={width}>
      <LineRuns
        lines={[
          { text: cell(' Producer', width), bold: true },
          line('loop', w?.running ? `${int(w.ratePerSec, 7)} rec/s on` : '    off', w?.running ? colors.ok : undefined),
          line('acked', int(t?.acked ?? 0, 11)),
          line('failed', int(t?.failed ?? 0, 11), (t?.failed ?? 0) > 0 ? colors.error : undefined),
          line('retries', int(t?.retries ?? 0, 11), (t?.retries ?? 0) > 0 ? colors.warn : undefined),
          line('queued', int(t?.queuedRecords ?? 0, 11)),
          line('rec/s', int(r.recordsPerSec, 11)),
          line('requests/s', int(r.requestsPerSec, 11)),
          line('rec/request', r.requestsPerSec > 0 ? dec(r.recordsPerRequest, 1, 11) : '-'.padStart(11)),
          line('p50 latency', `${ms(answered ? r.p50Ms : null, 8)} ms`),
          line('p99 latency', `${ms(answered ? r.p99Ms : null, 8)} ms`),
          line('buffer used', `${pct(used, 5)} of ${bytes(t?.bufferTotalBytes ?? 0)}`),
          { text: cell(` ${sparkline(lab.series.throughput.slice(-(width - 2)))}`, width), color: colors.chart },
        ]}
      />
    </Box>
  );
});

function reportLine(r: DeliveryReport, width: number): string {
  const where = r.error ? `${int(r.partition, 4)}  ${'-'.padStart(9)}` : `${int(r.partition, 4)}  ${r.offset === null ? '(acks=0)'.padStart(9) : int(r.offset, 9)}`;
  const head = `${int(r.id, 8)} ${where} ${ms(r.latencyMs, 8)} ${int(r.attempts, 3)}  `;
  const tail = r.error ? `✗ ${r.error.code ?? r.error.message}` : `${r.keyPreview ?? '(null)'}  ${r.valuePreview}`;
  return cell(head + tail, width);
}

const Deliveries = memo(function Deliveries({ deliveries, rows, width }: { deliveries: readonly DeliveryReport[]; rows: number; width: number }) {
  const colors = useColors();
  const latest = deliveries.slice(-rows).reverse();
  // The headings are the same elements from frame to frame: React skips them.
  const headings = useMemo(
    () => (
      <>
        <Text bold>{cell(' Latest delivery reports', width)}</Text>
        <Text dimColor>{cell('       id part     offset  latency att  key  value', width)}</Text>
      </>
    ),
    [width],
  );
  return (
    <Box flexDirection="column" width={width} height={rows + 2} overflow="hidden">
      {headings}
      {latest.length === 0 ? <Text dimColor>{cell('   none yet: s sends one record', width)}</Text> : null}
      <LineRuns lines={latest.map((r) => ({ text: reportLine(r, width), color: r.error ? colors.error : undefined }))} />
    </Box>
  );
});

const KEYS = `${keyFor('produce', 'send-one')} send one · ${keyFor('produce', 'send-n')} send N · ${keyFor('produce', 'toggle-rate')} start/stop at R/s · +/- rate · ⏎ edit`;

export function ProduceScreen({ lab, form, formIndex, edit, width, height }: ProduceProps) {
  const statsWidth = width >= 110 ? 40 : 30;
  const formWidth = width - statsWidth - 1;
  const partitions = lab.partitions.length;
  const settings = lab.config?.settings ?? null;
  // Worked out when the form, the topic's partitions or the settings change, not on every frame.
  const previewText = useMemo(() => partitionPreview(form, partitions, settings), [form, partitions, settings]);
  // Wrapped, never cut: the end of the murmur2 line ("% 6 = 2") is the point of it. The same lines while the text
  // is the same: the memoized form is then not drawn again on every frame.
  const preview = useMemo(() => wrapWords(previewText, formWidth - 3, 3), [previewText, formWidth]);
  const topRows = FIELDS.length + 2 + preview.length;
  const deliveryRows = Math.max(1, height - topRows - 1 - 2);
  // The same elements while their text is the same: React then skips them instead of drawing them every frame.
  const divider = useMemo(() => <Text dimColor>{'│\n'.repeat(topRows).trimEnd()}</Text>, [topRows]);
  const loop = lab.workload?.detail ?? null;
  const keysLine = useMemo(() => <Text dimColor>{cell(` ${KEYS}${loop !== null ? ` · loop: ${loop}` : ''}`, width)}</Text>, [loop, width]);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Box height={topRows}>
        <RecordForm form={form} formIndex={formIndex} edit={edit} width={formWidth} preview={preview} />
        {divider}
        <Stats lab={lab} width={statsWidth} />
      </Box>
      {keysLine}
      <Deliveries deliveries={lab.deliveries} rows={deliveryRows} width={width} />
    </Box>
  );
}
