// The help overlay: the lines from state/help-content.ts (generated from the keymap), in two columns on wide
// terminals and scrolling on small ones.
import { Box, Text } from 'ink';
import { useColors } from '../components/theme.js';
import { cell } from '../components/format.js';
import { helpColumns, TWO_COLUMNS, type HelpLine } from '../state/input/help-content.js';
import type { Screen } from '../state/input/keymap.js';

function Lines({ lines, width }: { lines: HelpLine[]; width: number }) {
  const colors = useColors();
  const keyWidth = 18;
  return (
    <Box flexDirection="column" width={width}>
      {lines.map((l, i) =>
        l.kind === 'title' ? (
          <Text key={i} bold color={colors.accent}>{cell(` ${l.text}`, width)}</Text>
        ) : l.kind === 'row' ? (
          <Text key={i}>
            <Text bold>{cell(`  ${l.keys}`, keyWidth)}</Text>
            {cell(l.help, width - keyWidth)}
          </Text>
        ) : (
          <Text key={i}> </Text>
        ),
      )}
    </Box>
  );
}

/** The help's lines scroll on small terminals: `scroll` is the first line shown (clamped here). */
export function HelpScreen({ screen, scroll, width, height }: { screen: Screen; scroll: number; width: number; height: number }) {
  const two = width >= TWO_COLUMNS;
  const colWidth = two ? Math.floor((width - 2) / 2) : width;
  const [left, right] = helpColumns(screen, two);
  const room = height - 2;
  const longest = Math.max(left.length, right.length);
  const first = Math.max(0, Math.min(scroll, longest - room));
  const more = longest - first > room;
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <Text bold inverse>{cell(' Keys · ? or Esc closes', width)}</Text>
      <Box height={room}>
        <Lines lines={left.slice(first, first + room)} width={colWidth} />
        {two ? (
          <Box marginLeft={2}>
            <Lines lines={right.slice(first, first + room)} width={colWidth} />
          </Box>
        ) : null}
      </Box>
      <Text dimColor>{cell(more || first > 0 ? ' ↑/↓ scroll for more keys' : '', width)}</Text>
    </Box>
  );
}
