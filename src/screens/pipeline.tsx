// Pipeline: a record's way through the producer as one diagram (serializer -> partitioner -> accumulator -> sender
// -> broker -> delivery report), each stage with its live counts; the idempotent producer's id, epoch and
// sequences; and the producer's metrics under the Java producer's names, each with its meaning (scrolls at 80x24).
import { Box, Text } from 'ink';
import { cell, dec, int, bytes, ms, wrapWords } from '../components/format.js';
import { useColors } from '../components/theme.js';
import { visibleWindow } from '../state/input/list.js';
import { errorClass } from '../state/error-class.js';
import { KAFKA_METRICS } from '../state/metric-names.js';
import type { AppSnapshot } from '../state/store/snapshot.js';

export interface PipelineProps {
  lab: AppSnapshot;
  scroll: number;
  width: number;
  height: number;
}

const STAGES = ['serializer', 'partitioner', 'accumulator', 'sender', 'broker', 'report'] as const;
const STAGE_WIDTH = 13;

/** Up to 5 short lines per stage, 12 columns each. */
function stageLines(lab: AppSnapshot): string[][] {
  const r = lab.rates;
  const s = lab.config?.settings;
  const busiest = [...lab.partitions].sort((a, b) => b.recordsPerSec - a.recordsPerSec).slice(0, 3);
  const open = lab.partitions.filter((p) => p.openBatchFill > 0 || p.queuedRecords > 0);
  const ready = open.filter((p) => p.lingerRemainingMs !== null && p.lingerRemainingMs <= 0).length;
  // When the soonest open batch is due (its linger.ms ends): "due in 3ms", not "linger 3ms", which reads as the setting.
  const linger = Math.min(...open.map((p) => p.lingerRemainingMs ?? Infinity));
  const inFlight = lab.brokers.filter((b) => b.address).map((b) => `b${b.id} ${b.inFlight}`);
  const t = lab.totals;
  return [
    [`${int(r.recordsPerSec)} rec/s`, `${bytes(r.bytesBeforePerSec)}/s`, r.recordsPerSec > 0 ? `~${int(r.bytesBeforePerSec / r.recordsPerSec)} B/rec` : '- B/rec'],
    [s ? String(s['partitioner.class']).slice(0, 12) : '-', ...busiest.map((p) => `p${p.partition} ${int(p.recordsPerSec)}/s`)],
    [`${open.length} open`, `${ready} ready`, `due in ${Number.isFinite(linger) ? `${int(Math.max(0, linger))}ms` : '-'}`, `${int(t?.queuedRecords ?? 0)} queued`, `wait ${int(t?.waitingAppends ?? 0)}`],
    [`${int(r.requestsPerSec)} req/s`, ...inFlight.slice(0, 3), `${t?.compressionType ?? 'none'} ${r.compressionRatio === null ? '-' : dec(r.compressionRatio, 2)}`],
    [`acks=${s?.acks ?? '-'}`, `${int(r.recordsPerSec)} acked/s`, `${int(r.retriesPerSec)} retry/s`, `min.isr ${lab.topicSettings?.minInsyncReplicas ?? '-'}`, ...(t?.batchSplits ? [`${int(t.batchSplits)} split`] : [])],
    [`ok ${int(t?.acked ?? 0)}`, `failed ${int(t?.failed ?? 0)}`, r.recordsPerSec > 0 ? `p99 ${ms(r.p99Ms)}ms` : 'p99 -', `${int(r.errorsPerSec)} error/s`],
  ];
}

/** Why records were retried last, and the recent failures by class (Kafka name, retriable, kafkajs, Java). */
function causes(lab: AppSnapshot): string {
  const byClass = new Map<string, { n: number; text: string }>();
  for (const d of lab.deliveries) {
    if (!d.error) continue;
    const c = errorClass(d.error);
    const seen = byClass.get(c.kafka);
    byClass.set(c.kafka, { n: (seen?.n ?? 0) + 1, text: `${c.kafka} (${c.retriable ? 'retriable' : 'not retriable'}; kafkajs ${c.kafkajs}; Java ${c.java})` });
  }
  const errors = [...byClass.values()].sort((a, b) => b.n - a.n).map((e) => `${e.n}× ${e.text}`);
  const retry = lab.lastRetryCause ? `last retry: ${lab.lastRetryCause}` : 'no retries yet';
  return `${retry} · ${errors.length > 0 ? `errors: ${errors.join(', ')}` : 'no errors in the recent reports'}`;
}

/** Bytes before and after compression per second, and the ratio per codec used so far. */
function bytesLine(lab: AppSnapshot): string {
  const r = lab.rates;
  const codecs = Object.entries(lab.totals?.compressionByCodec ?? {})
    .filter(([, c]) => c.before > 0)
    .map(([name, c]) => `${name} ${dec(c.after / c.before, 2)}`)
    .join(' · ');
  return ` bytes ${bytes(r.bytesBeforePerSec)}/s → ${bytes(r.bytesAfterPerSec)}/s compressed · ratio: ${codecs || 'none yet'}`;
}

function Diagram({ lab, width }: { lab: AppSnapshot; width: number }) {
  const colors = useColors();
  const lines = stageLines(lab);
  // The arrow sits in the one-column gap between the stages' columns, so every stage reads the same ("partitioner"
  // and "accumulator" fill their column).
  const title = STAGES.map((st, i) => (i < STAGES.length - 1 ? st.padEnd(STAGE_WIDTH - 1) : st)).join('▶');
  const rows = Math.max(...lines.map((l) => l.length));
  const body = Array.from({ length: rows }, (_, r) => lines.map((l) => cell(l[r] ?? '', STAGE_WIDTH - 1)).join(' '));
  return (
    <Box flexDirection="column" width={width}>
      <Text bold color={colors.accent}>{cell(` ${title}`, width)}</Text>
      {body.map((l, i) => (
        <Text key={i}>{cell(` ${l}`, width)}</Text>
      ))}
      <Text>{cell(bytesLine(lab), width)}</Text>
      {wrapWords(causes(lab), width - 2, 2).map((l, i) => (
        <Text key={`c${i}`} color={lab.lastRetryCause || lab.deliveries.some((d) => d.error) ? colors.warn : undefined} dimColor={!lab.lastRetryCause}>
          {cell(` ${l}`, width)}
        </Text>
      ))}
    </Box>
  );
}

/** Producer id and epoch, and per partition the next and the last acknowledged sequence: the heading, then the lines. */
function idempotenceLines(lab: AppSnapshot): [string, string[]] {
  const p = lab.producer;
  const idem = lab.config?.settings['enable.idempotence'];
  const seqs = lab.pipeline?.sequences ?? [];
  if (!idem) return [' idempotence off · batches carry producer id -1 and no sequence: the broker cannot spot a retried duplicate', []];
  const head = ` idempotence on · producer id ${p?.producerId ?? '-'} · epoch ${p?.producerEpoch ?? '-'} · next seq, last acked${seqs.some((q) => q.brokerWindow) ? ', broker keeps 5' : ''}`;
  const lines = seqs
    .filter((q) => q.producerId === p?.producerId)
    .map((q) => `  p${q.partition} next ${q.nextSequence} acked ${q.lastAckedSequence ?? '-'}${q.unacked > 0 ? ` · ${q.unacked} unanswered` : ''}${q.brokerWindow ? ` · broker keeps ${q.brokerWindow}` : ''}`);
  return [head, lines.length === 0 ? ['  no sequenced batch yet: produce on screen 1'] : lines];
}

function Idempotence({ lab, width, rows }: { lab: AppSnapshot; width: number; rows: number }) {
  const [head, lines] = idempotenceLines(lab);
  return (
    <Box flexDirection="column" width={width}>
      <Text bold>{cell(head, width)}</Text>
      {lines.slice(0, rows).map((l, i) => (
        <Text key={i} dimColor>{cell(l, width)}</Text>
      ))}
    </Box>
  );
}

function fmt(name: string, v: number): string {
  if (name.endsWith('-total') || name === 'waiting-threads' || name === 'requests-in-flight' || name.startsWith('buffer-')) return int(v);
  // From 1,000 up, thousands separators like the totals (batch-size-max 3694 sat under 33,554,432).
  return v >= 1000 ? int(v) : dec(v, v >= 100 ? 0 : v >= 10 ? 1 : 2);
}

function Metrics({ lab, scroll, width, rows }: { lab: AppSnapshot; scroll: number; width: number; rows: number }) {
  const values = lab.pipeline?.metrics;
  const { start, end } = visibleWindow(scroll, KAFKA_METRICS.length, rows);
  const more = KAFKA_METRICS.length > rows ? ` (↑/↓: ${start + 1}-${end} of ${KAFKA_METRICS.length})` : '';
  return (
    <Box flexDirection="column" width={width}>
      <Text bold>{cell(` Producer metrics (Kafka's names)${more}`, width)}</Text>
      {KAFKA_METRICS.slice(start, end).map(([name, meaning]) => (
        <Text key={name}>{cell(`  ${name.padEnd(26)}${(values ? fmt(name, values[name]) : '-').padStart(10)}  ${meaning}`, width)}</Text>
      ))}
    </Box>
  );
}

export function PipelineScreen({ lab, scroll, width, height }: PipelineProps) {
  const diagramRows = 2 + Math.max(...stageLines(lab).map((l) => l.length)) + wrapWords(causes(lab), width - 2, 2).length;
  const idemRows = Math.min(idempotenceLines(lab)[1].length, height >= 34 ? 6 : 1);
  const metricRows = Math.max(3, height - diagramRows - (idemRows + 1) - 1);
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <Diagram lab={lab} width={width} />
      <Idempotence lab={lab} width={width} rows={idemRows} />
      <Metrics lab={lab} scroll={scroll} width={width} rows={metricRows} />
    </Box>
  );
}
