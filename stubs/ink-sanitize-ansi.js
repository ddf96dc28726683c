// Ink 7.1.1's sanitize-ansi.js with a quicker look for control characters: Ink sanitizes every text of the screen
// on every frame (while laying it out and again while drawing it), and its check walks the text one code point at
// a time (ESC, or C1 controls U+0080-U+009F). A text without any is returned as it is, as Ink does; any other goes
// through Ink's own function.
import sanitizeAnsi from '../node_modules/ink/build/sanitize-ansi.js';

const CONTROL = /[\u001b\u0080-\u009f]/;

const quickSanitizeAnsi = (text) => (CONTROL.test(text) ? sanitizeAnsi(text) : text);

export default quickSanitizeAnsi;
