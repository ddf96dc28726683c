// The screen tabs under the status bar, from the keymap's screen list: the current one is highlighted.
import { Box, Text } from 'ink';
import { memo } from 'react';
import { SCREENS, SCREEN_TABS, SCREEN_TITLES, type Screen } from '../state/input/keymap.js';
import { useColors } from './theme.js';

const helpText = (width: number) => (width >= 124 ? 'Tab next screen · ? help · q quit ' : width >= 100 ? '? help · q quit ' : width >= 84 ? '? help ' : '');

/**
 * One Ink text with the current tab styled inside it, the help pushed to the right edge with spaces: Ink walks and
 * writes every node on every frame, and a text per tab plus a spacer box were a dozen nodes for a line that changes
 * only with the screen. When the line would not fit, the tabs are laid out as texts of their own as before.
 */
export const Tabs = memo(function Tabs({ screen, width }: { screen: Screen; width: number }) {
  const colors = useColors();
  const titles = width >= 100 ? SCREEN_TITLES : SCREEN_TABS;
  const tabs = SCREENS.map((s, i) => ({ s, text: ` ${i + 1} ${titles[s]} ` }));
  const help = helpText(width);
  const used = tabs.reduce((n, t) => n + t.text.length, 0) + help.length;
  const tab = (t: { s: Screen; text: string }) => (
    <Text key={t.s} inverse={t.s === screen} bold={t.s === screen} color={t.s === screen ? colors.accent : undefined}>
      {t.text}
    </Text>
  );
  if (used > width) {
    return (
      <Box width={width} height={1} overflow="hidden">
        {tabs.map(tab)}
        <Box flexGrow={1} />
        <Text dimColor>{help}</Text>
      </Box>
    );
  }
  return (
    <Box width={width} height={1} overflow="hidden">
      <Text>
        {tabs.map(tab)}
        {' '.repeat(width - used)}
        <Text dimColor>{help}</Text>
      </Text>
    </Box>
  );
});
