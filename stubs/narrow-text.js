// Text whose every character takes one terminal column, measured by its length: printable ASCII and the few other
// characters the screens draw (box drawing, block elements for charts and sparklines, · › ‹ … ⏎ ▶ ✓ ✗), each one
// column wide for string-width too (test/bundle/ink-text-width.test.ts checks every one). string-width segments
// graphemes and tests each for emoji: a 40-column sparkline cost a fraction of a millisecond while Ink's code is
// not yet optimized, on every frame that changed it. None of these characters joins the next into one grapheme.
const CHARS = '\\x20-\\x7e\\u00b7\\u2026\\u2039\\u203a\\u23ce\\u2500-\\u259f\\u25b6\\u2713\\u2717';
export const NARROW_LINES = new RegExp(`^[${CHARS}\\n]*$`);
export const NARROW_LINE = new RegExp(`^[${CHARS}]*$`);
/** One such character (a cell's value). */
export const NARROW_CHAR = new RegExp(`^[${CHARS}]$`);
