// The bundle measures narrow text by its length (stubs/narrow-text.js) and looks for control characters with one
// regular expression (stubs/ink-sanitize-ansi.js): both must answer exactly what Ink's own code answers.
import stringWidth from 'string-width';
import widestLine from 'widest-line';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain JS without types
import { NARROW_LINE, NARROW_LINES } from '../../stubs/narrow-text.js';
// @ts-expect-error plain JS without types
import measureText from '../../stubs/ink-measure-text.js';
// @ts-expect-error plain JS without types
import quickSanitizeAnsi from '../../stubs/ink-sanitize-ansi.js';
import sanitizeAnsi from '../../node_modules/ink/build/sanitize-ansi.js';

describe('narrow text', () => {
  it('holds only characters string-width counts as one column', () => {
    const narrow: string[] = [];
    for (let code = 0; code < 0x3000; code++) {
      const ch = String.fromCharCode(code);
      if ((NARROW_LINE as RegExp).test(ch)) narrow.push(ch);
    }
    expect(narrow.length).toBeGreaterThan(95 + 150);
    for (const ch of narrow) expect(stringWidth(ch), `U+${ch.charCodeAt(0).toString(16)}`).toBe(1);
  });

  it('measures a sparkline, a chart row and a status line as Ink would', () => {
    for (const text of [' ▁▂▃▄▅▆▇█ 1,000 rec/s ▶', '│ acked  12\n│ p99 ·  4.7 ms', '░░██ › ‹ … ⏎ ✓ ✗', 'plain\nascii', '日本語 ▁', '\u001b[1mbold\u001b[22m ▁']) {
      expect((NARROW_LINES as RegExp).test(text)).toBe(!/[日\u001b]/.test(text));
      expect(measureText(text)).toEqual({ width: widestLine(text), height: text.split('\n').length });
    }
  });
});

describe('sanitizing text', () => {
  it('keeps colours and strips cursor moves exactly as Ink does', () => {
    for (const text of ['plain', '│ box ▁▂', '\u001b[31mred\u001b[39m', 'a\u001b[2Jb', 'c1 \u009b2J here', 'osc \u001b]8;;http://x\u0007link\u001b]8;;\u0007', '\u0085next', '日本語 🙂']) {
      expect(quickSanitizeAnsi(text)).toBe(sanitizeAnsi(text));
    }
  });
});
