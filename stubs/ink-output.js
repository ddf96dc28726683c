// Ink 7.1.1's output.js (MIT, Vadim Demedes), with its caches kept from one frame to the next. Ink builds a new
// Output per frame, so every frame tokenized every line of the screen again (ANSI tokenizing and slicing were the
// top of the app's CPU profile while records flow), though most lines are the same as in the last frame. Here
// the caches live as long as the process, bounded like ink-measure-text.js, a line that fits its clip is not
// sliced, plain ASCII lines skip the tokenizer, and a screen row made of the same cells as in the last frame is
// not turned into a string again. Same output, cell for cell.
const MAX = 2000;
const PLAIN_ASCII = /^[\x20-\x7e]*$/;
const BLANK = Object.freeze({ type: 'char', value: ' ', fullWidth: false, styles: Object.freeze([]) });
/** One shared, unstyled cell per printable ASCII character (cells are replaced, never changed), by char code. */
const ASCII_CELLS = [];
for (let code = 0x20; code < 0x7f; code++) {
    ASCII_CELLS[code] = code === 0x20 ? BLANK : Object.freeze({ type: 'char', value: String.fromCharCode(code), fullWidth: false, styles: BLANK.styles });
}
import sliceAnsi from 'slice-ansi';
import { NARROW_LINE } from './narrow-text.js';
import stringWidth from 'string-width';
import { styledCharsFromTokens, styledCharsToString, tokenize, } from '@alcalzone/ansi-tokenize';
/** A Map that starts over once it holds MAX entries (the lines on screen are worked out again once). */
class BoundedMap extends Map {
    set(key, value) {
        if (this.size >= MAX) {
            this.clear();
        }
        return super.set(key, value);
    }
}
class OutputCaches {
    widths = new BoundedMap();
    blockWidths = new BoundedMap();
    styledChars = new BoundedMap();
    slices = new BoundedMap();
    getStyledChars(line) {
        let cached = this.styledChars.get(line);
        if (cached === undefined) {
            // Printable ASCII without escapes (most changing lines: numbers, delivery reports) is one cell per
            // character with no style: what tokenizing would give, without its grapheme segmentation.
            if (PLAIN_ASCII.test(line)) {
                cached = new Array(line.length);
                for (let i = 0; i < line.length; i++)
                    cached[i] = ASCII_CELLS[line.charCodeAt(i)];
            }
            else {
                cached = styledCharsFromTokens(tokenize(line));
            }
            this.styledChars.set(line, cached);
        }
        return cached;
    }
    getStringWidth(text) {
        let cached = this.widths.get(text);
        if (cached === undefined) {
            cached = NARROW_LINE.test(text) ? text.length : stringWidth(text);
            this.widths.set(text, cached);
        }
        return cached;
    }
    getWidestLine(text) {
        let cached = this.blockWidths.get(text);
        if (cached === undefined) {
            let lineWidth = 0;
            for (const line of text.split('\n')) {
                lineWidth = Math.max(lineWidth, this.getStringWidth(line));
            }
            cached = lineWidth;
            this.blockWidths.set(text, cached);
        }
        return cached;
    }
    /** Last frame's rows (their cells) and their strings, by row: most rows are the same cells as last frame. */
    rows = [];
    rowStrings = [];
    /** A row of cells as a string; a row holding the very same cells as last frame's gives last frame's string. */
    rowString(y, line) {
        const last = this.rows[y];
        if (last !== undefined && last.length === line.length) {
            let same = true;
            for (let x = 0; x < line.length; x++) {
                if (last[x] !== line[x]) {
                    same = false;
                    break;
                }
            }
            if (same) return this.rowStrings[y];
        }
        // See https://github.com/vadimdemedes/ink/pull/564#issuecomment-1637022742
        const text = styledCharsToString(line.filter(item => item !== undefined)).trimEnd();
        this.rows[y] = line;
        this.rowStrings[y] = text;
        return text;
    }
    /** sliceAnsi(line, from, to), remembered: a line that did not change is clipped the same way next frame. */
    getSlice(line, from, to) {
        const key = `${from}:${to}:${line}`;
        let cached = this.slices.get(key);
        if (cached === undefined) {
            cached = sliceAnsi(line, from, to);
            this.slices.set(key, cached);
        }
        return cached;
    }
}
// One set of caches for every frame (Ink makes a new Output, and so new caches, per frame).
const sharedCaches = new OutputCaches();
export default class Output {
    width;
    height;
    operations = [];
    caches = sharedCaches;
    constructor(options) {
        const { width, height } = options;
        this.width = width;
        this.height = height;
    }
    write(x, y, text, options) {
        const { transformers } = options;
        if (!text) {
            return;
        }
        this.operations.push({
            type: 'write',
            x,
            y,
            text,
            transformers,
        });
    }
    clip(clip) {
        this.operations.push({
            type: 'clip',
            clip,
        });
    }
    unclip() {
        this.operations.push({
            type: 'unclip',
        });
    }
    get() {
        // What each row gets written, in order: [x, line] pairs (clipped, transformed). The rows are made from these
        // afterwards, each on its own: a row's cells depend on its own writes only.
        const writes = [];
        for (let y = 0; y < this.height; y++) {
            writes.push([]);
        }
        const clips = [];
        for (const operation of this.operations) {
            if (operation.type === 'clip') {
                clips.push(operation.clip);
            }
            if (operation.type === 'unclip') {
                clips.pop();
            }
            if (operation.type === 'write') {
                const { text, transformers } = operation;
                let { x, y } = operation;
                let lines = text.split('\n');
                const clip = clips.at(-1);
                if (clip) {
                    const clipHorizontally = typeof clip?.x1 === 'number' && typeof clip?.x2 === 'number';
                    const clipVertically = typeof clip?.y1 === 'number' && typeof clip?.y2 === 'number';
                    // If text is positioned outside of clipping area altogether,
                    // skip to the next operation to avoid unnecessary calculations
                    if (clipHorizontally) {
                        const width = this.caches.getWidestLine(text);
                        if (x + width < clip.x1 || x > clip.x2) {
                            continue;
                        }
                    }
                    if (clipVertically) {
                        const height = lines.length;
                        if (y + height < clip.y1 || y > clip.y2) {
                            continue;
                        }
                    }
                    if (clipHorizontally) {
                        lines = lines.map(line => {
                            const from = x < clip.x1 ? clip.x1 - x : 0;
                            const width = this.caches.getStringWidth(line);
                            const to = x + width > clip.x2 ? clip.x2 - x : width;
                            // A line inside the clip is kept as it is (slicing it whole gives the same cells).
                            return from === 0 && to === width ? line : this.caches.getSlice(line, from, to);
                        });
                        if (x < clip.x1) {
                            x = clip.x1;
                        }
                    }
                    if (clipVertically) {
                        const from = y < clip.y1 ? clip.y1 - y : 0;
                        const height = lines.length;
                        const to = y + height > clip.y2 ? clip.y2 - y : height;
                        lines = lines.slice(from, to);
                        if (y < clip.y1) {
                            y = clip.y1;
                        }
                    }
                }
                let offsetY = 0;
                for (let [index, line] of lines.entries()) {
                    const rowWrites = writes[y + offsetY];
                    // Line can be missing if `text` is taller than height of pre-initialized `this.output`
                    if (!rowWrites) {
                        continue;
                    }
                    for (const transformer of transformers) {
                        line = transformer(line, index);
                    }
                    rowWrites.push(x, line);
                    offsetY++;
                }
            }
        }
        const caches = this.caches;
        if (caches.width !== this.width) {
            caches.width = this.width;
            caches.writes = [];
            caches.rows = [];
            caches.rowStrings = [];
        }
        const rows = [];
        for (let y = 0; y < this.height; y++) {
            const rowWrites = writes[y];
            const last = caches.writes[y];
            caches.writes[y] = rowWrites;
            // The same writes as in the last frame: the same row (most rows of a screen, most frames).
            if (last !== undefined && sameWrites(last, rowWrites)) {
                rows.push(caches.rowStrings[y]);
                continue;
            }
            const plain = plainRow(rowWrites, this.width);
            if (plain !== null) {
                caches.rows[y] = undefined;
                caches.rowStrings[y] = plain;
                rows.push(plain);
                continue;
            }
            // Cells are replaced, never changed: every blank cell can be the same object.
            const currentLine = new Array(this.width).fill(BLANK);
            for (let i = 0; i < rowWrites.length; i += 2) {
                this.writeCells(currentLine, rowWrites[i], rowWrites[i + 1]);
            }
            rows.push(caches.rowString(y, currentLine));
        }
        return {
            output: rows.join('\n'),
            height: rows.length,
        };
    }
    /** One line written into a row's cells at x, as Ink's Output does it. */
    writeCells(currentLine, x, line) {
        const characters = this.caches.getStyledChars(line);
        let offsetX = x;
        // Nothing to write (e.g. line was clipped away).
        if (characters.length === 0) {
            return;
        }
        const spaceCell = {
            type: 'char',
            value: ' ',
            fullWidth: false,
            styles: [],
        };
        // Wide characters (e.g. CJK) occupy two cells: a leading
        // cell with the character and a trailing placeholder with
        // value ''. When an overlapping write lands in the middle
        // of a wide character, the boundary cells need cleanup so
        // the terminal never renders a half-visible wide character.
        if (currentLine[offsetX]?.value === '' &&
            offsetX > 0 &&
            this.caches.getStringWidth(currentLine[offsetX - 1]?.value ?? '') >
                1) {
            currentLine[offsetX - 1] = spaceCell;
        }
        for (const character of characters) {
            currentLine[offsetX] = character;
            // Determine printed width using string-width to align with measurement (a printable
            // ASCII cell, most of them, is one column without a look-up)
            const code = character.value.length === 1 ? character.value.charCodeAt(0) : 0;
            const characterWidth = code >= 0x20 && code < 0x7f ? 1 : Math.max(1, this.caches.getStringWidth(character.value));
            // For multi-column characters, clear following cells to avoid stray spaces/artifacts
            if (characterWidth > 1) {
                for (let index = 1; index < characterWidth; index++) {
                    currentLine[offsetX + index] = {
                        type: 'char',
                        value: '',
                        fullWidth: false,
                        styles: character.styles,
                    };
                }
            }
            offsetX += characterWidth;
        }
        if (currentLine[offsetX]?.value === '') {
            currentLine[offsetX] = spaceCell;
        }
    }
}

/** Two rows' writes, [x, line, x, line...], the same. */
function sameWrites(a, b) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) {
        if (a[i] !== b[i]) return false;
    }
    return true;
}

/**
 * A row written only with printable ASCII without escapes, left to right without overlaps, as a string without
 * making its cells (delivery reports and counters: most changing rows); null for any other row. The same text as
 * its cells would give: unstyled cells are their characters, and the row's end is trimmed.
 */
function plainRow(rowWrites, width) {
    let text = '';
    for (let i = 0; i < rowWrites.length; i += 2) {
        const x = rowWrites[i];
        const line = rowWrites[i + 1];
        if (x < text.length || x > width || !PLAIN_ASCII.test(line)) return null;
        text += ' '.repeat(x - text.length) + line;
    }
    return text.trimEnd();
}
