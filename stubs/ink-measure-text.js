// Ink's measure-text.js with a bounded cache. Ink keeps the size of every distinct text it ever measured, forever:
// a dashboard whose numbers change 10 times a second grows by hundreds of megabytes an hour. Same results, but
// the cache starts over once it holds MAX entries (the texts on screen are measured again once).
import widestLine from 'widest-line';

const MAX = 4000;
const cache = new Map();

const measureText = (text) => {
  if (text.length === 0) return { width: 0, height: 0 };
  const cached = cache.get(text);
  if (cached) return cached;
  const dimensions = { width: widestLine(text), height: text.split('\n').length };
  if (cache.size >= MAX) cache.clear();
  cache.set(text, dimensions);
  return dimensions;
};

export default measureText;
