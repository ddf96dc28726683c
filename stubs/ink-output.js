// Ink 7.1.1's output.js (MIT, Vadim Demedes), with its caches kept from one frame to the next. Ink builds a new
// Output per frame, so every frame tokenized every line of the screen again (ANSI tokenizing and slicing were the
// top of the app's CPU profile while records flow), though most lines are the same as in the last frame. Here
// the caches live as long as the process, bounded like ink-measure-text.js, a line that fits its clip is not
// sliced, a row written the same as in the last frame is last frame's string, and a row whose lines are all narrow
// (every character one column: stubs/narrow-text.js) and side by side is written from the lines' runs of one style
// without making a cell per character (see rowRuns). Same output, character for character.
const MAX = 2000;
const PLAIN_ASCII = /^[\x20-\x7e]*$/;
const BLANK = Object.freeze({ type: 'char', value: ' ', fullWidth: false, styles: Object.freeze([]) });
/** One shared, unstyled cell per printable ASCII character (cells are replaced, never changed), by char code. */
const ASCII_CELLS = [];
for (let code = 0x20; code < 0x7f; code++) {
    ASCII_CELLS[code] = code === 0x20 ? BLANK : Object.freeze({ type: 'char', value: String.fromCharCode(code), fullWidth: false, styles: BLANK.styles });
}
import sliceAnsi from 'slice-ansi';
import { NARROW_CHAR, NARROW_LINE } from './narrow-text.js';
import { cellsToRuns, cellsToString, NO_STYLES, runsToString } from './ink-row-text.js';
import stringWidth from 'string-width';
import measureText from './ink-measure-text.js';
import { styledCharsFromTokens, tokenize, } from '@alcalzone/ansi-tokenize';
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
    /** The widest line's width: the layout has measured the same text (stubs/ink-measure-text.js's cache). */
    getWidestLine(text) {
        return measureText(text).width;
    }
    /**
     * A line with escapes as runs of one style, {width, runs: [styles, text, ...]}, when each of its characters
     * takes one column (null otherwise: drawn through cells). Not kept as cells too: the line is drawn from its runs.
     */
    styledRuns = new BoundedMap();
    getStyledRuns(line) {
        let cached = this.styledRuns.get(line);
        if (cached === undefined) {
            const cells = styledCharsFromTokens(tokenize(line));
            cached = cells.every(cell => NARROW_CHAR.test(cell.value)) ? { width: cells.length, runs: cellsToRuns(cells) } : null;
            this.styledRuns.set(line, cached);
        }
        return cached;
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
        // afterwards, each on its own: a row's cells depend on its own writes only. (Indexed loops, not iterators,
        // and the write in a method of its own: this runs unoptimized for the first hundred frames or so.)
        const writes = [];
        for (let y = 0; y < this.height; y++) {
            writes.push([]);
        }
        const clips = [];
        const operations = this.operations;
        for (let i = 0; i < operations.length; i++) {
            const operation = operations[i];
            if (operation.type === 'write') {
                this.place(operation, clips.length > 0 ? clips[clips.length - 1] : undefined, writes);
            }
            else if (operation.type === 'clip') {
                clips.push(operation.clip);
            }
            else {
                clips.pop();
            }
        }
        return this.draw(writes);
    }
    /** One write's lines, clipped and transformed, added to the writes of the rows they land on. */
    place(operation, clip, writes) {
        const { text, transformers } = operation;
        let { x, y } = operation;
        let lines = text.split('\n');
        if (clip) {
            const clipHorizontally = typeof clip?.x1 === 'number' && typeof clip?.x2 === 'number';
            const clipVertically = typeof clip?.y1 === 'number' && typeof clip?.y2 === 'number';
            // If text is positioned outside of clipping area altogether,
            // skip to the next operation to avoid unnecessary calculations
            if (clipHorizontally) {
                const width = this.caches.getWidestLine(text);
                if (x + width < clip.x1 || x > clip.x2) {
                    return;
                }
            }
            if (clipVertically) {
                const height = lines.length;
                if (y + height < clip.y1 || y > clip.y2) {
                    return;
                }
            }
            // A text inside the clip's columns keeps every line as it is (each is at most its widest line): no line
            // is measured, as most texts on a screen.
            if (clipHorizontally && (x < clip.x1 || x + this.caches.getWidestLine(text) > clip.x2)) {
                const from = x < clip.x1 ? clip.x1 - x : 0;
                for (let i = 0; i < lines.length; i++) {
                    const line = lines[i];
                    const width = this.caches.getStringWidth(line);
                    const to = x + width > clip.x2 ? clip.x2 - x : width;
                    // A line inside the clip is kept as it is (slicing it whole gives the same cells).
                    if (from !== 0 || to !== width) lines[i] = this.caches.getSlice(line, from, to);
                }
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
        for (let index = 0; index < lines.length; index++) {
            const rowWrites = writes[y + offsetY];
            // Line can be missing if `text` is taller than height of pre-initialized `this.output`
            if (!rowWrites) {
                continue;
            }
            let line = lines[index];
            for (let t = 0; t < transformers.length; t++) {
                line = transformers[t](line, index);
            }
            rowWrites.push(x, line);
            offsetY++;
        }
    }
    /** The frame from every row's writes: a row written as in the last frame is last frame's string. */
    draw(writes) {
        const caches = this.caches;
        if (caches.width !== this.width) {
            caches.width = this.width;
            caches.writes = [];
            caches.rowStrings = [];
        }
        const rows = [];
        for (let y = 0; y < this.height; y++) {
            const rowWrites = writes[y];
            const last = caches.writes[y];
            caches.writes[y] = rowWrites;
            // The same writes as in the last frame: the same row (most rows of a screen, most frames).
            const text = last !== undefined && sameWrites(last, rowWrites) ? caches.rowStrings[y] : this.rowText(rowWrites);
            caches.rowStrings[y] = text;
            rows.push(text);
        }
        return {
            output: rows.join('\n'),
            height: rows.length,
        };
    }
    /** A row's string from its writes ([x, line, ...]): trimmed at the end, as Ink's Output trims it. */
    rowText(rowWrites) {
        const runs = rowRuns(rowWrites, this.width, this.caches);
        if (runs !== null) return runsToString(runs).trimEnd();
        // Cells are replaced, never changed: every blank cell can be the same object.
        const currentLine = new Array(this.width).fill(BLANK);
        for (let i = 0; i < rowWrites.length; i += 2) {
            this.writeCells(currentLine, rowWrites[i], rowWrites[i + 1]);
        }
        // See https://github.com/vadimdemedes/ink/pull/564#issuecomment-1637022742
        return cellsToString(currentLine).trimEnd();
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
 * The runs of a row whose writes are narrow lines side by side, left to right, inside the row, with blanks
 * between them: the cells Ink would make, one run per style instead of one cell per character. null for any other
 * row (overlapping writes, wide or combining characters, text past the edge): drawn through cells.
 */
function rowRuns(rowWrites, width, caches) {
    const runs = [];
    let end = 0;
    for (let i = 0; i < rowWrites.length; i += 2) {
        const x = rowWrites[i];
        const line = rowWrites[i + 1];
        // An empty line writes no cell.
        if (line === '') continue;
        if (x < end || (x | 0) !== x) return null;
        // Narrow text without escapes (the changing counters and reports): one unstyled run, nothing to look up.
        if (NARROW_LINE.test(line)) {
            if (x + line.length > width) return null;
            if (x > end) runs.push(NO_STYLES, ' '.repeat(x - end));
            runs.push(NO_STYLES, line);
            end = x + line.length;
            continue;
        }
        const styled = caches.getStyledRuns(line);
        if (styled === null || x + styled.width > width) return null;
        if (x > end) runs.push(NO_STYLES, ' '.repeat(x - end));
        for (let j = 0; j < styled.runs.length; j++) runs.push(styled.runs[j]);
        end = x + styled.width;
    }
    // The blanks after the last write are trimmed away with the row's end.
    return runs;
}
