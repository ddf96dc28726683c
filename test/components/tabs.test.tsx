// The screen tabs are drawn as one Ink text (fewer nodes for Ink to walk every frame). They must give the terminal
// the same characters and styles as the layout they replaced: a text per tab, a growing spacer and the help text
// (kept below as the reference), at every width the app allows and on every screen.
import { Box, render, Text } from 'ink';
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { withFullColour } from '../helpers/full-colour.js';
import { Tabs } from '../../src/components/tabs.js';
import { ColorContext, useColors } from '../../src/components/theme.js';
import { SCREENS, SCREEN_TABS, SCREEN_TITLES, type Screen } from '../../src/state/input/keymap.js';

function ReferenceTabs({ screen, width }: { screen: Screen; width: number }) {
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
}

/** The last frame Ink draws of `el` in a terminal `columns` wide (the app's tabs are always the terminal's width). */
function frameAt(el: React.ReactElement, columns: number): string {
  const writes: string[] = [];
  const stdout = Object.assign(new EventEmitter(), { columns, rows: 10, isTTY: false, write: (s: string) => writes.push(s) });
  const app = render(el, { stdout: stdout as unknown as NodeJS.WriteStream, debug: true, patchConsole: false });
  const frame = writes.at(-1) ?? '';
  app.unmount();
  return frame;
}

withFullColour();

describe('Tabs', () => {
  it('draws the same cells as a text per tab, at every width and on every screen', () => {
    for (const color of [true, false]) {
      for (const width of [60, 80, 83, 84, 99, 100, 104, 105, 120, 123, 124, 160]) {
        for (const screen of SCREENS) {
          const el = (C: typeof Tabs | typeof ReferenceTabs) => (
            <ColorContext.Provider value={color}>
              <C screen={screen} width={width} />
            </ColorContext.Provider>
          );
          const now = frameAt(el(Tabs), width);
          expect(now, `${width} ${screen} ${color}`).toBe(frameAt(el(ReferenceTabs), width));
          if (width >= 80) expect(now).toContain(' 1 Produce');
        }
      }
    }
  });
});
