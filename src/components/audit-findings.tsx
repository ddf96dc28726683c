// The live audit on the Records screen: what each count means, the counts for the current run, and the offending
// records newest first (which key and sequence, where it was read, and why it counts).
import { Box, Text } from 'ink';
import { cell, clock, int } from './format.js';
import { visibleWindow } from '../state/input/list.js';
import type { AppSnapshot } from '../state/store/snapshot.js';
import { useColors } from './theme.js';

/** The audit's definitions, as the Records and Live screens state them. */
export const AUDIT_DEFINITIONS = [
  'lost: acked (or sent with acks=0), absent once the high watermark passed it',
  'duplicated: the same key and sequence read twice (each extra copy counts)',
  'reordered: a lower sequence of a key read after a higher one in a partition',
] as const;

export function auditCounts(audit: AppSnapshot['audit']): string {
  if (!audit) return 'audit: not running (connect first)';
  const v = audit.view;
  const state = v.phase === 'failed' ? ` (${v.problem})` : v.phase === 'starting' ? ' (starting the consumer...)' : '';
  return `lost ${v.lost} · duplicated ${v.duplicated} · reordered ${v.reordered}${state}`;
}

export function AuditFindings({ audit, index, width, height }: { audit: AppSnapshot['audit']; index: number; width: number; height: number }) {
  const colors = useColors();
  const findings = audit ? [...audit.findings].reverse() : [];
  const v = audit?.view;
  const run = v ? `run ${v.runId ?? '(none yet: produce on screen 1)'} on ${v.topic}, ${v.isolation}, ${int(v.read)} read back, ${int(v.unseen)} awaited` : '';
  const rows = Math.max(1, height - AUDIT_DEFINITIONS.length - 3);
  const { start, end } = visibleWindow(index, findings.length, rows);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold color={v && v.lost + v.duplicated + v.reordered > 0 ? colors.error : undefined}>{cell(` Live audit: ${auditCounts(audit)}`, width)}</Text>
      {AUDIT_DEFINITIONS.map((d) => (
        <Text key={d} dimColor>{cell(`  ${d}`, width)}</Text>
      ))}
      <Text dimColor>{cell(` ${run}`, width)}</Text>
      <Box flexDirection="column" height={rows} overflow="hidden">
        {findings.length === 0 ? <Text dimColor>{cell(' nothing lost, duplicated or reordered in this run so far', width)}</Text> : null}
        {findings.slice(start, end).map((f, i) => (
          <Text key={`${f.kind}-${f.key}-${f.seq}-${f.at}-${i}`} inverse={start + i === index} color={f.kind === 'lost' ? colors.error : colors.warn}>
            {cell(` ${clock(f.at)} ${f.kind.padEnd(10)} key ${f.key} seq ${f.seq}, partition ${f.partition}: ${f.detail}`, width)}
          </Text>
        ))}
      </Box>
    </Box>
  );
}
