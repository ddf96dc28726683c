// Shown instead of a screen while there is no producer: connecting (with what), the cluster could not be used (the
// reason, and r to retry), or quitting (flushing queued records).
import { Box, Text } from 'ink';
import { cell, wrapWords } from './format.js';
import type { ConnectionView } from '../state/store/snapshot.js';
import { useColors } from './theme.js';

export function ConnectionPanel({ connection, note, width, height }: { connection: ConnectionView; note: string | null; width: number; height: number }) {
  const colors = useColors();
  const failed = connection.phase === 'failed';
  const title = failed ? 'The cluster could not be used' : connection.phase === 'closing' ? 'Quitting' : 'Connecting';
  const lines = wrapWords(connection.detail, width - 4, Math.max(1, height - 6));
  return (
    <Box flexDirection="column" width={width} height={height} paddingTop={1}>
      <Text bold color={failed ? colors.error : colors.accent}>{cell(`  ${title}`, width)}</Text>
      {lines.map((l, i) => (
        <Text key={i} color={failed ? colors.error : undefined}>{cell(`  ${l}`, width)}</Text>
      ))}
      {note ? <Text dimColor>{cell(`  ${note}`, width)}</Text> : null}
      <Text> </Text>
      {failed ? <Text bold>{cell('  r  try again     q  quit', width)}</Text> : <Text dimColor>{cell(connection.phase === 'closing' ? '  q again quits at once' : '  q quits', width)}</Text>}
    </Box>
  );
}
