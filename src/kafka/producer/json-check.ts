/**
 * Strict JSON (RFC 8259) syntax check that says where and what is wrong, in words.
 *
 * Why not JSON.parse: V8's messages vary by version and often carry no position ("Unexpected token 'x', ... is
 * not valid JSON"), and a user fixing a record on a projector needs "line 3, column 7: trailing comma".
 * Accepts exactly what JSON.parse accepts (a test holds the two together).
 */

export interface TextError {
  readonly message: string;
  /** 0-based offset into the text. */
  readonly position?: number;
  /** 1-based. */
  readonly line?: number;
  readonly column?: number;
}

class Syntax extends Error {
  constructor(
    readonly at: number,
    readonly what: string,
  ) {
    super(what);
  }
}

const VALUE = 'a JSON value (object, array, string, number, true, false or null)';
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);
const SHORT_ESCAPE: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };

function show(c: string | undefined): string {
  if (c === undefined) return 'the end of the input';
  const code = c.codePointAt(0) ?? 0;
  return code < 0x20 || code === 0x7f || code === 0xfeff ? `U+${code.toString(16).toUpperCase().padStart(4, '0')}` : `'${c}'`;
}

function lineColumn(text: string, position: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < position; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: position - lineStart + 1 };
}

export function validateJson(text: string): { ok: true } | { ok: false; error: TextError } {
  let i = 0;

  const skipWs = (): void => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

  const word = (): string => /^[A-Za-z_$][\w$]*/.exec(text.slice(i))?.[0] ?? '';

  function value(expected: string): void {
    skipWs();
    const c = text[i];
    if (c === '{') return object();
    if (c === '[') return array();
    if (c === '"') return string();
    if (c === '-' || isDigit(c)) return number();
    if (c === "'") throw new Syntax(i, 'strings need double quotes, not single quotes');
    if (c === '/') throw new Syntax(i, 'comments are not allowed in JSON');
    if (c === undefined) throw new Syntax(i, `unexpected end of input: expected ${expected}`);
    const w = word();
    if (w === 'true' || w === 'false' || w === 'null') {
      i += w.length;
      return;
    }
    if (w) throw new Syntax(i, `'${w}' is not a JSON value (true, false and null are lowercase; strings need quotes)`);
    throw new Syntax(i, `unexpected ${show(c)}: expected ${expected}`);
  }

  function object(): void {
    i++; // {
    skipWs();
    if (text[i] === '}') {
      i++;
      return;
    }
    for (;;) {
      skipWs();
      const c = text[i];
      if (c === "'") throw new Syntax(i, 'keys need double quotes, not single quotes');
      if (c !== '"') {
        if (word()) throw new Syntax(i, `object keys must be strings in double quotes: "${word()}"`);
        throw new Syntax(i, `unexpected ${show(c)}: expected a key in double quotes`);
      }
      string();
      skipWs();
      if (text[i] !== ':') throw new Syntax(i, `expected ':' after the key, found ${show(text[i])}`);
      i++;
      value(VALUE);
      skipWs();
      if (text[i] === '}') {
        i++;
        return;
      }
      if (text[i] !== ',') throw new Syntax(i, `expected ',' or '}' after a property value, found ${show(text[i])}`);
      const comma = i++;
      skipWs();
      if (text[i] === '}') throw new Syntax(comma, "trailing comma before '}'");
    }
  }

  function array(): void {
    i++; // [
    skipWs();
    if (text[i] === ']') {
      i++;
      return;
    }
    for (;;) {
      value(VALUE);
      skipWs();
      if (text[i] === ']') {
        i++;
        return;
      }
      if (text[i] !== ',') throw new Syntax(i, `expected ',' or ']' after an array element, found ${show(text[i])}`);
      const comma = i++;
      skipWs();
      if (text[i] === ']') throw new Syntax(comma, "trailing comma before ']'");
    }
  }

  function string(): void {
    const start = i++;
    for (;;) {
      const c = text[i];
      if (c === undefined) throw new Syntax(start, 'unterminated string: no closing double quote');
      if (c === '"') {
        i++;
        return;
      }
      if (c === '\\') {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
            throw new Syntax(i, '\\u must be followed by four hex digits');
          }
          i += 6;
          continue;
        }
        if (e === undefined || !ESCAPES.has(e)) throw new Syntax(i, `invalid escape ${show(`\\${e ?? ''}`)} in a string`);
        i += 2;
        continue;
      }
      if (c < ' ') {
        const hint = SHORT_ESCAPE[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
        throw new Syntax(i, `raw control character ${show(c)} inside a string: write it as ${hint}`);
      }
      i++;
    }
  }

  function number(): void {
    if (text[i] === '-') i++;
    if (text[i] === '0') {
      i++;
      if (isDigit(text[i])) throw new Syntax(i - 1, 'numbers cannot start with a leading zero');
    } else if (isDigit(text[i])) {
      while (isDigit(text[i])) i++;
    } else {
      throw new Syntax(i, `expected a digit after '-', found ${show(text[i])}`);
    }
    if (text[i] === '.') {
      i++;
      if (!isDigit(text[i])) throw new Syntax(i, `expected a digit after the decimal point, found ${show(text[i])}`);
      while (isDigit(text[i])) i++;
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      if (!isDigit(text[i])) throw new Syntax(i, `expected a digit in the exponent, found ${show(text[i])}`);
      while (isDigit(text[i])) i++;
    }
  }

  try {
    value(VALUE);
    skipWs();
    if (i < text.length) throw new Syntax(i, `unexpected ${show(text[i])} after the end of the JSON value`);
    return { ok: true };
  } catch (e) {
    if (!(e instanceof Syntax)) throw e;
    const { line, column } = lineColumn(text, e.at);
    return { ok: false, error: { message: `line ${line}, column ${column}: ${e.what}`, position: e.at, line, column } };
  }
}
