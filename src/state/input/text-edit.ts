// A one-line text field as a reducer: the keymap hands it one key at a time, so a burst of typed keys (or a paste)
// lands exactly as typed, whatever the render timing.

export interface TextEdit {
  readonly value: string;
  /** Insertion point, 0..value.length, in code units of `value`. */
  readonly cursor: number;
}

export type EditKey = 'left' | 'right' | 'home' | 'end' | 'backspace' | 'delete' | 'ctrl-u' | 'ctrl-w' | { text: string };

export const startEdit = (value: string): TextEdit => ({ value, cursor: value.length });

export function editText(s: TextEdit, key: EditKey): TextEdit {
  const { value, cursor } = s;
  if (typeof key === 'object') {
    // Control characters in pasted text (newlines, tabs) would break the one-line field: spaces instead.
    const text = key.text.replace(/[\u0000-\u001f\u007f]/g, ' ');
    return { value: value.slice(0, cursor) + text + value.slice(cursor), cursor: cursor + text.length };
  }
  switch (key) {
    case 'left':
      return { value, cursor: Math.max(0, cursor - 1) };
    case 'right':
      return { value, cursor: Math.min(value.length, cursor + 1) };
    case 'home':
      return { value, cursor: 0 };
    case 'end':
      return { value, cursor: value.length };
    case 'backspace':
      return cursor === 0 ? s : { value: value.slice(0, cursor - 1) + value.slice(cursor), cursor: cursor - 1 };
    case 'delete':
      return cursor >= value.length ? s : { value: value.slice(0, cursor) + value.slice(cursor + 1), cursor };
    case 'ctrl-u':
      return { value: value.slice(cursor), cursor: 0 };
    case 'ctrl-w': {
      const before = value.slice(0, cursor).replace(/\S+\s*$/, '');
      return { value: before + value.slice(cursor), cursor: before.length };
    }
  }
}

/**
 * The part of a long value that fits in `width` columns, keeping the cursor visible; `cursorAt` is where the
 * cursor falls inside the returned text.
 */
export function visibleText(s: TextEdit, width: number): { text: string; cursorAt: number } {
  const w = Math.max(1, width - 1);
  if (s.value.length <= w) return { text: s.value, cursorAt: s.cursor };
  const start = Math.max(0, Math.min(s.cursor - Math.floor(w * 0.7), s.value.length - w));
  return { text: s.value.slice(start, start + w), cursorAt: s.cursor - start };
}

/** A text field open on a screen: what it edits, the text, and the reason a value was refused. */
export interface FieldEdit {
  /** import / export: the Settings screen's file path field (id is the export format). */
  target: 'form' | 'setting' | 'import' | 'export';
  id: string;
  text: TextEdit;
  error: string | null;
}
