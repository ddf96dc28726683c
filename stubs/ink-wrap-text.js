// Ink's wrap-text.js with a bounded cache (see ink-measure-text.js for why): same wrapping, at most MAX entries.
import cliTruncate from 'cli-truncate';
import wrapAnsi from 'wrap-ansi';

const MAX = 4000;
const cache = new Map();

const wrapText = (text, maxWidth, wrapType) => {
  const key = text + String(maxWidth) + String(wrapType);
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  let wrapped = text;
  if (wrapType === 'wrap') wrapped = wrapAnsi(text, maxWidth, { trim: false, hard: true });
  if (wrapType === 'hard') wrapped = wrapAnsi(text, maxWidth, { trim: false, hard: true, wordWrap: false });
  if (wrapType.startsWith('truncate')) {
    const position = wrapType === 'truncate-middle' ? 'middle' : wrapType === 'truncate-start' ? 'start' : 'end';
    wrapped = cliTruncate(text, maxWidth, { position });
  }
  if (cache.size >= MAX) cache.clear();
  cache.set(key, wrapped);
  return wrapped;
};

export default wrapText;
