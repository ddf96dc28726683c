// Selection in a list and the window of rows to draw: lists are sliced before rendering.

export type Move = 'up' | 'down' | 'page-up' | 'page-down' | 'home' | 'end';

/** The new selected index after a move, clamped to the list. */
export function moveSelection(index: number, move: Move, length: number, page = 10): number {
  if (length <= 0) return 0;
  const step = { up: -1, down: 1, 'page-up': -page, 'page-down': page, home: -length, end: length }[move];
  return Math.max(0, Math.min(length - 1, index + step));
}

/** Rows [start, end) to draw so that `index` is visible, for `visible` rows of space. */
export function visibleWindow(index: number, length: number, visible: number): { start: number; end: number } {
  const v = Math.max(1, visible);
  if (length <= v) return { start: 0, end: length };
  const start = Math.max(0, Math.min(index - Math.floor(v / 2), length - v));
  return { start, end: start + v };
}
