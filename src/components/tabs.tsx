// The screen tabs under the status bar, from the keymap's screen list: the current one is highlighted.
import { Box, Text } from 'ink';
import { memo } from 'react';
import { SCREENS, SCREEN_TABS, SCREEN_TITLES, type Screen } from '../state/input/keymap.js';
import { useColors } from './theme.js';

export const Tabs = memo(function Tabs({ screen, width }: { screen: Screen; width: number }) {
  const colors = useColors();
  const wide = width >= 100;
  return (
    <Box width={width} height={1} overflow="hidden">
      {SCREENS.map((s, i) => (
        <Text key={s} inverse={s === screen} bold={s === screen} color={s === screen ? colors.accent : undefined}>
          {` ${i + 1} ${(wide ? SCREEN_TITLES : SCREEN_TABS)[s]} `}
        </Text>
      ))}
      <Box flexGrow={1} />
      <Text dimColor>{width >= 124 ? 'Tab next screen · ? help · q quit ' : wide ? '? help · q quit ' : width >= 84 ? '? help ' : ''}</Text>
    </Box>
  );
});
