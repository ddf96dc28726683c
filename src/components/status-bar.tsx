// The top line: which cluster (the built-in one with its address, or the real one), the topic, the producer's state
// in words (state/store/health.ts: stalled, retrying, leaderless... or ready), the live audit's findings and the
// current throughput. Padded to the full width so it reads as a bar and never reflows; when the line is short the
// app's name, the cluster and the topic give way before the state does.
import { Box, Text } from 'ink';
import { memo } from 'react';
import { cell, int } from './format.js';
import { useColors } from './theme.js';
import type { AppSnapshot, ClusterInfo, HealthView } from '../state/store/snapshot.js';

type LiveAuditCounts = NonNullable<AppSnapshot['liveAudit']>;

export interface StatusBarProps {
  width: number;
  cluster: ClusterInfo | null;
  health: HealthView;
  topic: string;
  recordsPerSec: number;
  looping: boolean;
  liveAudit?: LiveAuditCounts | null;
}

/** "lost 2 · duplicated 1" for the counts that are not zero; empty when there is nothing to say. */
export function auditText(a: LiveAuditCounts | null | undefined): string {
  if (!a) return '';
  return (
    [
      [a.lost, 'lost'],
      [a.duplicated, 'duplicated'],
      [a.reordered, 'reordered'],
    ] as const
  )
    .filter(([n]) => n > 0)
    .map(([n, what]) => `${what} ${int(n)}`)
    .join(' · ');
}

/** The three parts of the bar (before the state, the state, after it), fitted to `width` columns. */
export function statusParts(p: Omit<StatusBarProps, 'width' | 'looping'> & { looping: boolean }, width: number): [string, string, string] {
  const label = p.cluster ? p.cluster.label : 'no cluster yet';
  const audit = auditText(p.liveAudit);
  const after = `${audit ? ` │ ${audit}` : ''} │ ${int(p.recordsPerSec, 5)} rec/s${p.looping ? ' ▶' : ''}`;
  const short = label.replace('built-in cluster', 'built-in');
  const befores = [
    ` kafka-producer-tui │ ${label} │ topic ${p.topic} │ `,
    ` ${label} │ topic ${p.topic} │ `,
    ` ${short} │ topic ${p.topic} │ `,
    ` ${p.cluster?.kind === 'real' ? 'cluster' : 'built-in'} │ topic ${p.topic} │ `,
    ` ${short} │ `,
    ' ',
  ];
  const state = p.health.text;
  const before = befores.find((b) => b.length + state.length + after.length <= width);
  if (before !== undefined) return [before, state, `${after}`.padEnd(width - before.length - state.length)];
  // Even alone the state is too long: it keeps what fits, the rate stays.
  const room = Math.max(1, width - 1 - after.length);
  return [' ', cell(state, room), after.slice(0, Math.max(0, width - 1 - room))];
}

/** The audit's counts arrive in a new object with every frame while it reads: the same counts draw the same bar. */
const sameCounts = (a: LiveAuditCounts | null | undefined, b: LiveAuditCounts | null | undefined) =>
  a === b || (!!a && !!b && a.lost === b.lost && a.duplicated === b.duplicated && a.reordered === b.reordered);

/** Every prop of StatusBarProps: the bar is drawn again only when one of them changed. */
const sameBar = (a: StatusBarProps, b: StatusBarProps) =>
  a.width === b.width && a.cluster === b.cluster && a.health === b.health && a.topic === b.topic && a.recordsPerSec === b.recordsPerSec && a.looping === b.looping && sameCounts(a.liveAudit, b.liveAudit);

export const StatusBar = memo(function StatusBar(props: StatusBarProps) {
  const colors = useColors();
  const [before, state, after] = statusParts(props, props.width);
  const level = props.health.level;
  const color = level === 'error' ? colors.error : level === 'warn' ? colors.warn : undefined;
  return (
    <Box width={props.width} height={1}>
      <Text inverse bold>
        {before}
      </Text>
      <Text inverse bold color={color}>
        {state}
      </Text>
      <Text inverse bold>
        {after}
      </Text>
    </Box>
  );
}, sameBar);
