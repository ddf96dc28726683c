// Records: the recent delivery reports and the dead-letter list (records that failed for good), newest first, with
// the selected one in full below; dead letters can be re-sent one by one or all together.
import { Box, Text } from 'ink';
import type { AppSnapshot, DeadLetter, DeliveryReport } from '../state/store/snapshot.js';
import { AuditFindings } from '../components/audit-findings.js';
import { errorClass, type ErrorClass } from '../state/error-class.js';
import { useColors } from '../components/theme.js';
import { cell, clock, int, ms, plural, wrapWords } from '../components/format.js';
import { visibleWindow } from '../state/input/list.js';

export interface RecordsProps {
  deliveries: readonly DeliveryReport[];
  deadLetters: readonly DeadLetter[];
  deadDropped: number;
  list: 'deliveries' | 'dead' | 'audit';
  index: number;
  /** The live audit: its counts, definitions and the offending records. */
  audit: AppSnapshot['audit'];
  width: number;
  height: number;
}

function row(r: DeliveryReport, width: number): string {
  const offset = r.offset === null ? (r.error ? '-' : '(acks=0)') : int(r.offset);
  const what = r.error ? `✗ ${r.error.code ?? ''} ${r.error.message}` : `${r.keyPreview ?? '(null)'}  ${r.valuePreview}`;
  return cell(`${int(r.id, 8)} ${clock(r.at)} ${cell(r.topic, 12)} ${int(r.partition, 4)} ${offset.padStart(9)} ${ms(r.latencyMs, 8)} ${int(r.attempts, 3)}  ${what}`, width);
}

function classLine(c: ErrorClass): string {
  return `class:   Kafka ${c.kafka} (${c.retriable ? 'retriable' : 'not retriable'}) · kafkajs ${c.kafkajs} · Java ${c.java}`;
}

function Details({ report, dead, width }: { report: DeliveryReport | undefined; dead: DeadLetter | undefined; width: number }) {
  const colors = useColors();
  if (!report) return <Text dimColor>{cell(' nothing selected', width)}</Text>;
  const headers = dead?.headers.map((h) => `${h.key}=${h.value}`).join(', ');
  const where = `${report.topic} partition ${report.partition}${report.error ? '' : `, offset ${report.offset ?? 'none'}`}`;
  const outcome = report.error ? 'failed' : report.offset === null ? 'written (acks=0)' : 'acknowledged';
  const lines: [string, string | undefined][] = [
    // Wrapped: at 80 columns the latency, the attempts and the size were cut off.
    ...wrapWords(`record ${report.id} at ${clock(report.at)}: ${where}, ${outcome} ${ms(report.latencyMs)} ms after send(), ${plural(report.attempts, 'attempt')}, ${plural(report.bytes, 'byte')}`, width - 2, 2).map((l) => [l, undefined] as [string, undefined]),
    [`key:     ${report.keyPreview ?? '(null)'}`, undefined],
    [`value:   ${report.valuePreview}`, undefined],
    ...(headers !== undefined ? [[`headers: ${headers || '(none)'}`, undefined] as [string, undefined]] : []),
    ...(report.error
      ? [
          ...wrapWords(`error:   ${report.error.code ?? ''} ${report.error.message} (${report.error.retriable ? 'retriable, but the retries or the delivery timeout ran out' : 'not retriable'})`, width - 2, 2),
          ...wrapWords(classLine(errorClass(report.error)), width - 2, 2),
        ].map((l) => [l, colors.error] as [string, string | undefined])
      : []),
  ];
  return (
    <Box flexDirection="column" width={width}>
      {lines.map(([l, c], i) => (
        <Text key={i} color={c}>{cell(` ${l}`, width)}</Text>
      ))}
    </Box>
  );
}

export function RecordsScreen({ deliveries, deadLetters, deadDropped, list, index, audit, width, height }: RecordsProps) {
  const colors = useColors();
  const problems = audit ? audit.view.lost + audit.view.duplicated + audit.view.reordered : 0;
  const tabs = [` Delivery reports (${deliveries.length} recent) `, ` Dead letters (${deadLetters.length})${deadDropped > 0 ? ` (${deadDropped} older dropped)` : ''} `, ` Audit (${problems}) `];
  const tabLine = (
    <Box height={1}>
      <Text inverse={list === 'deliveries'} bold>{tabs[0]}</Text>
      <Text> </Text>
      <Text inverse={list === 'dead'} bold color={deadLetters.length > 0 ? colors.error : undefined}>{tabs[1]}</Text>
      <Text> </Text>
      <Text inverse={list === 'audit'} bold color={problems > 0 ? colors.error : undefined}>{tabs[2]}</Text>
      <Text dimColor>{cell(' ←/→ list · r re-send · R all', Math.max(0, width - tabs[0].length - tabs[1].length - tabs[2].length - 2))}</Text>
    </Box>
  );
  if (list === 'audit') {
    return (
      <Box flexDirection="column" width={width} height={height}>
        {tabLine}
        <AuditFindings audit={audit} index={index} width={width} height={height - 1} />
      </Box>
    );
  }
  const reports = list === 'dead' ? deadLetters.map((d) => d.report) : deliveries;
  const newestFirst = [...reports].reverse();
  const selected = newestFirst[Math.min(index, newestFirst.length - 1)];
  const dead = list === 'dead' ? deadLetters.find((d) => d.report.id === selected?.id) : undefined;
  // Room for a failure: the record, key, value, headers, the error and its class (Kafka, kafkajs, Java) on two lines each.
  const detailRows = height >= 20 ? 8 : 6;
  const rows = Math.max(1, height - 2 - detailRows - 1);
  const { start, end } = visibleWindow(index, newestFirst.length, rows);
  return (
    <Box flexDirection="column" width={width} height={height}>
      {tabLine}
      <Text dimColor>{cell('       id time     topic        part    offset  latency att  key  value / error', width)}</Text>
      <Box flexDirection="column" height={rows} overflow="hidden">
        {newestFirst.length === 0 ? (
          <Text dimColor>{cell(list === 'dead' ? ' no dead letters: every record was delivered or is still trying' : ' no deliveries yet: send records on the Produce screen (1)', width)}</Text>
        ) : null}
        {newestFirst.slice(start, end).map((r, i) => {
          const here = start + i === index;
          return (
            <Text key={r.id} inverse={here} color={r.error ? colors.error : undefined}>
              {row(r, width)}
            </Text>
          );
        })}
      </Box>
      <Text bold>{cell(' Selected', width)}</Text>
      <Box height={detailRows} flexDirection="column" overflow="hidden">
        <Details report={selected} dead={dead} width={width} />
      </Box>
    </Box>
  );
}
