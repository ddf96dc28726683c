// widest-line for Ink's render-node-to-output.js: every text on screen is measured there on every frame, with
// string-width (ANSI stripping and grapheme segmentation) and no cache. The layout has just measured the same
// texts through ink-measure-text.js, whose bounded cache answers this too. Same widths.
import measureText from './ink-measure-text.js';

const widestLine = (text) => measureText(text).width;

export default widestLine;
