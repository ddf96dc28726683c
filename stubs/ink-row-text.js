// A screen row's text from runs of characters of one style, for stubs/ink-output.js: the same string as
// @alcalzone/ansi-tokenize's styledCharsToString gives for the row's cells (which Ink 7.1's Output calls per row),
// written per run instead of per cell. styledCharsToString compares every cell's styles with the previous cell's
// and appends one character at a time; while V8 runs it unoptimized that was most of a changed row's cost, and
// its optimized code was thrown away again and again (cells of different shapes: a deopt loop).
import { ansiCodesToString, diffAnsiCodes } from '@alcalzone/ansi-tokenize';

const NO_STYLES = Object.freeze([]);

/** Two reduced style arrays whose difference is empty (styledChars.js's isSameStyle). */
export function isSameStyle(from, to) {
    if (from === to)
        return true;
    if (from.length !== to.length)
        return false;
    for (let i = 0; i < from.length; i++) {
        if (from[i].code !== to[i].code || from[i].endCode !== to[i].endCode)
            return false;
    }
    return true;
}

/**
 * [styles, text, styles, text, ...] as a terminal string: each run's text preceded by the codes
 * that turn the previous run's style into its own, and the last one's styles turned off at the end. A run of the
 * same style as the one before it adds no codes, as consecutive cells of one style add none.
 */
export function runsToString(runs) {
    if (runs.length === 0)
        return '';
    let prev = runs[0];
    let out = prev.length === 0 ? runs[1] : ansiCodesToString(prev) + runs[1];
    for (let i = 2; i < runs.length; i += 2) {
        const styles = runs[i];
        if (!isSameStyle(prev, styles))
            out += ansiCodesToString(diffAnsiCodes(prev, styles));
        out += runs[i + 1];
        prev = styles;
    }
    return prev.length === 0 ? out : out + ansiCodesToString(diffAnsiCodes(prev, NO_STYLES));
}

/** Cells ({value, styles}; holes and undefined skipped, as Ink filters them) as runs of one style. */
export function cellsToRuns(cells) {
    const runs = [];
    let styles = null;
    let text = '';
    for (let i = 0; i < cells.length; i++) {
        const cell = cells[i];
        if (cell === undefined)
            continue;
        if (styles !== null && isSameStyle(styles, cell.styles)) {
            text += cell.value;
            continue;
        }
        if (styles !== null)
            runs.push(styles, text);
        styles = cell.styles;
        text = cell.value;
    }
    if (styles !== null)
        runs.push(styles, text);
    return runs;
}

/** A row of cells as its terminal string, exactly as styledCharsToString(cells without holes). */
export function cellsToString(cells) {
    return runsToString(cellsToRuns(cells));
}

export { NO_STYLES };
