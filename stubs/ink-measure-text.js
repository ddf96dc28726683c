// Ink's measure-text.js with a bounded cache. Ink keeps the size of every distinct text it ever measured, forever:
// a dashboard whose numbers change 10 times a second grows by hundreds of megabytes an hour. Same results, but
// the cache starts over once it holds MAX entries (the texts on screen are measured again once), and narrow text
// (stubs/narrow-text.js) is measured by its length.
import widestLine from 'widest-line';
import { NARROW_LINES } from './narrow-text.js';

const MAX = 4000;
const cache = new Map();

const measureText = (text) => {
  if (text.length === 0) return { width: 0, height: 0 };
  const cached = cache.get(text);
  if (cached) return cached;
  // Plain ASCII lines (most of a dashboard's changing numbers), and charts' blocks, are as wide as they are long.
  const lines = text.split('\n');
  let width = 0;
  if (NARROW_LINES.test(text)) for (const l of lines) width = Math.max(width, l.length);
  else width = widestLine(text);
  const dimensions = { width, height: lines.length };
  if (cache.size >= MAX) cache.clear();
  cache.set(text, dimensions);
  return dimensions;
};

export default measureText;
