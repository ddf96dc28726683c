// The log overlay (L): the clients' own log lines — kafkajs's, the producer's, anything printed to the console —
// newest at the bottom, scrolling back with ↑. They are kept here (and in --log-file) so that the Events list stays
// the cluster's and the producer's story.
import { Box, Text } from 'ink';
import { memo } from 'react';
import { cell, clock } from '../components/format.js';
import { useColors } from '../components/theme.js';
import type { LogLine } from '../state/store/snapshot.js';

export interface LogProps {
  log: readonly LogLine[];
  /** Lines back from the newest. */
  scroll: number;
  width: number;
  height: number;
}

export const LogScreen = memo(function LogScreen({ log, scroll, width, height }: LogProps) {
  const colors = useColors();
  const rows = Math.max(1, height - 2);
  const end = Math.max(0, log.length - Math.min(scroll, Math.max(0, log.length - 1)));
  const shown = log.slice(Math.max(0, end - rows), end);
  const where = log.length === 0 ? '' : scroll > 0 ? ` · ${log.length - end} newer below (↓)` : ' · newest at the bottom, ↑ older';
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <Text bold inverse>{cell(` Log · L or Esc closes${where} · the clients' own lines: kafkajs, the producer, console`, width)}</Text>
      {shown.length === 0 ? <Text dimColor>{cell(' nothing logged yet', width)}</Text> : null}
      {shown.map((l, i) => (
        <Text key={`${l.at}-${i}`} color={l.level === 'error' ? colors.error : l.level === 'warn' ? colors.warn : undefined} dimColor={l.level === 'debug'}>
          {cell(` ${clock(l.at)} ${l.level.padEnd(5)} ${l.text}`, width)}
        </Text>
      ))}
    </Box>
  );
});
