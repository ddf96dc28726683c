// Fixed-width number and text formatting for the screens: a number keeps its width as it changes, so a line whose
// content did not change stays byte-identical and incremental rendering skips it.

/** A whole number with thousands separators, right-aligned to `width`. */
export function int(n: number, width = 0): string {
  return (Number.isFinite(n) ? grouped(Math.round(n)) : '-').padStart(width);
}

/**
 * toLocaleString('en-US') of a whole number, without ICU for the usual ones: the screens format about a hundred
 * numbers a frame, and while that code is not yet optimized each ICU call costs several microseconds.
 */
function grouped(n: number): string {
  if (n > -1000 && n < 1000 && !Object.is(n, -0)) return String(n);
  if (!Number.isSafeInteger(n) || Object.is(n, -0)) return n.toLocaleString('en-US');
  const digits = String(Math.abs(n));
  let out = digits.slice(0, digits.length % 3 || 3);
  for (let i = out.length; i < digits.length; i += 3) out += `,${digits.slice(i, i + 3)}`;
  return n < 0 ? `-${out}` : out;
}

/** "1 record", "2 records": a count and its noun, never "record(s)". */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${int(n)} ${n === 1 ? word : many}`;
}

/** A number with `digits` decimals, right-aligned. */
export function dec(n: number, digits: number, width = 0): string {
  const s = Number.isFinite(n) ? n.toFixed(digits) : '-';
  return s.padStart(width);
}

/** Milliseconds, with one decimal below 100 and none above, right-aligned. */
export function ms(n: number | null, width = 0): string {
  if (n === null || !Number.isFinite(n)) return '-'.padStart(width);
  return (n < 100 ? n.toFixed(1) : grouped(Math.round(n))).padStart(width);
}

/** Bytes as B / KiB / MiB with one decimal. */
export function bytes(n: number, width = 0): string {
  const s = n < 1024 ? `${Math.round(n)} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return s.padStart(width);
}

export function pct(fraction: number, width = 0): string {
  return `${Math.round(Math.max(0, Math.min(1, fraction)) * 100)}%`.padStart(width);
}

/** Cuts text to `width` columns (with an ellipsis) and pads it, so columns line up. */
export function cell(text: string, width: number): string {
  if (width <= 0) return '';
  const t = text.replace(/[\r\n\t]/g, ' ');
  return t.length > width ? `${t.slice(0, Math.max(0, width - 1))}…` : t.padEnd(width);
}

/** Local wall-clock time hh:mm:ss. */
export function clock(at: number): string {
  return new Date(at).toTimeString().slice(0, 8);
}

/** A horizontal bar `width` cells wide, filled to `fraction` (ASCII-light: cheap to measure). */
export function bar(fraction: number, width: number): string {
  const f = Math.max(0, Math.min(1, Number.isFinite(fraction) ? fraction : 0));
  const full = Math.round(f * width);
  return '█'.repeat(full) + '░'.repeat(Math.max(0, width - full));
}

const BLOCKS = '▁▂▃▄▅▆▇█';

/** One-row block sparkline: min 0, max at least 1, non-finite values as a space. */
export function sparkline(values: readonly number[], max?: number): string {
  const top = Math.max(1, max ?? Math.max(0, ...values.filter(Number.isFinite)));
  let out = '';
  for (const v of values) {
    if (!Number.isFinite(v)) out += ' ';
    else out += BLOCKS[Math.max(0, Math.min(7, Math.round((v / top) * 7)))];
  }
  return out;
}

/** Vertical bars over `rows` lines (8 levels per line), top line first: a taller sparkline. */
export function bars(values: readonly number[], rows: number, max?: number): string[] {
  const top = Math.max(1, max ?? Math.max(0, ...values.filter(Number.isFinite)));
  const levels = values.map((v) => (Number.isFinite(v) ? Math.round((Math.max(0, v) / top) * rows * 8) : 0));
  const lines: string[] = [];
  for (let r = rows - 1; r >= 0; r--) {
    let line = '';
    for (const l of levels) {
      const inRow = l - r * 8;
      line += inRow <= 0 ? ' ' : inRow >= 8 ? '█' : BLOCKS[inRow - 1];
    }
    lines.push(line);
  }
  return lines;
}

/** Words wrapped to `width`, at most `max` lines (the last one cut with an ellipsis). */
export function wrapWords(text: string, width: number, max: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (line !== '' && line.length + word.length + 1 > width) {
      lines.push(line);
      line = '';
    }
    line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  if (lines.length > max) return [...lines.slice(0, max - 1), cell(lines.slice(max - 1).join(' '), width)];
  return lines;
}
