// Produce (home): the record form with the key-to-partition preview, the producer's numbers, and the latest
// delivery reports. Every number has a fixed width, so only the lines whose values change are rewritten.
import { Box, Text } from 'ink';
import { memo, useMemo } from 'react';
import type { DeliveryReport } from '../state/store/snapshot.js';
import { LineRuns, type StyledLine } from '../components/line-runs.js';
import { TextField } from '../components/text-field.js';
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

const LABEL = 14;

function fieldText(form: ProduceForm, id: keyof ProduceForm): string {
  const v = form[id];
  if (id === 'key' && form.keyKind === 'null') return '(null: no key)';
  if (id === 'headers' && v.trim() === '') return '(none)';
  if (id === 'partition' && (v.trim() === '' || v.trim() === 'auto')) return 'auto (the partitioner decides)';
  return v;
}

const Form = memo(function Form({ form, formIndex, edit, width, preview }: { form: ProduceForm; formIndex: number; edit: FieldEdit | null; width: number; preview: readonly string[] }) {
  const colors = useColors();
  const valueWidth = Math.max(8, width - LABEL - 2);
  const selected = FIELDS[formIndex];
  const editing = edit?.target === 'form' ? edit : null;
  return (
    <Box flexDirection="column" width={width}>
      <Text bold>{cell(' Record', width)}</Text>
      {FIELDS.map((f, i) => {
        const here = i === formIndex;
        const choice = f.kind === 'choice' ? `‹ ${form[f.id]} ›` : null;
        return (
          <Box key={f.id} height={1}>
            <Text color={here ? colors.accent : undefined} bold={here}>
              {here ? '›' : ' '} {cell(f.label, LABEL - 1)}
            </Text>
            {here && editing ? (
              <TextField edit={editing.text} width={valueWidth} />
            ) : (
              <Text inverse={here}>{cell(choice ?? fieldText(form, f.id), valueWidth)}</Text>
            )}
          </Box>
        );
      })}
      {preview.map((l, i) => (
        <Text key={i} color={colors.accent}>{cell(`${i === 0 ? ' ' : '   '}${l}`, width)}</Text>
      ))}
      {editing?.error ? (
        <Text color={colors.error} bold>{cell(` ✗ ${editing.error}`, width)}</Text>
      ) : (
        <Text dimColor>{cell(editing ? ' ⏎ apply · Esc cancel' : ` ${selected.hint}`, width)}</Text>
      )}
    </Box>
  );
});

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
  return (
    <Box flexDirection="column" width={width} height={rows + 2} overflow="hidden">
      <Text bold>{cell(' Latest delivery reports', width)}</Text>
      <Text dimColor>{cell('       id part     offset  latency att  key  value', width)}</Text>
      {latest.length === 0 ? <Text dimColor>{cell('   none yet: s sends one record', width)}</Text> : null}
      <LineRuns lines={latest.map((r) => ({ text: reportLine(r, width), color: r.error ? colors.error : undefined }))} />
    </Box>
  );
});

export function ProduceScreen({ lab, form, formIndex, edit, width, height }: ProduceProps) {
  const statsWidth = width >= 110 ? 40 : 30;
  const formWidth = width - statsWidth - 1;
  // Wrapped, never cut: the end of the murmur2 line ("% 6 = 2") is the point of it.
  const previewText = partitionPreview(form, lab.partitions.length, lab.config?.settings ?? null);
  // The same lines while the text is the same: the memoized form is then not drawn again on every frame.
  const preview = useMemo(() => wrapWords(previewText, formWidth - 3, 3), [previewText, formWidth]);
  const keys = `${keyFor('produce', 'send-one')} send one · ${keyFor('produce', 'send-n')} send N · ${keyFor('produce', 'toggle-rate')} start/stop at R/s · +/- rate · ⏎ edit`;
  const topRows = FIELDS.length + 2 + preview.length;
  const deliveryRows = Math.max(1, height - topRows - 1 - 2);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Box height={topRows}>
        <Form form={form} formIndex={formIndex} edit={edit} width={formWidth} preview={preview} />
        <Text dimColor>{'│\n'.repeat(topRows).trimEnd()}</Text>
        <Stats lab={lab} width={statsWidth} />
      </Box>
      <Text dimColor>{cell(` ${keys}${lab.workload ? ` · loop: ${lab.workload.detail}` : ''}`, width)}</Text>
      <Deliveries deliveries={lab.deliveries} rows={deliveryRows} width={width} />
    </Box>
  );
}
