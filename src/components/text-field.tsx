// A one-line text field drawn from its reducer state (state/text-edit.ts): the visible part of the value and an
// inverse block as the cursor. It takes no keys itself: the app's one keymap feeds the reducer.
import { Text } from 'ink';
import { visibleText, type TextEdit } from '../state/input/text-edit.js';

export function TextField({ edit, width }: { edit: TextEdit; width: number }) {
  const { text, cursorAt } = visibleText(edit, width);
  const before = text.slice(0, cursorAt);
  const at = text.slice(cursorAt, cursorAt + 1) || ' ';
  const after = text.slice(cursorAt + 1);
  const pad = Math.max(0, width - before.length - 1 - after.length);
  return (
    <Text underline>
      {before}
      <Text inverse>{at}</Text>
      {after}
      {' '.repeat(pad)}
    </Text>
  );
}
