/**
 * The producer settings of a Java source file (a Spring ProducerFactory bean, or any code that fills a Map or
 * Properties): the file is parsed with java-parser (Prettier's Java parser), then every `x.put(KEY, VALUE)` or
 * `x.setProperty(KEY, VALUE)` call is read from its tokens, KEY being a ProducerConfig constant or a string.
 */
import { PRODUCER_CONFIG_CONSTANTS } from '../export-formats/java-constants.js';
import { collect, partitionerFromClass, unreadable, type Entry, type ImportResult } from './import-types.js';

interface Token {
  image: string;
  tokenType: { name: string };
  startLine?: number;
}

const CONSTANT_TO_NAME = new Map(Object.entries(PRODUCER_CONFIG_CONSTANTS).map(([name, constant]) => [constant!, name]));

/** A Java literal's value as text, or the expression as written (class literals keep their class name). */
function valueText(tokens: Token[]): string {
  if (tokens.length === 1) {
    const t = tokens[0];
    if (t.tokenType.name === 'StringLiteral') return JSON.parse(t.image) as string;
    if (/Literal$/.test(t.tokenType.name)) return t.image.replace(/[lL]$/, '').replaceAll('_', '');
    return t.image;
  }
  // -1 (acks)
  if (tokens.length === 2 && tokens[0].image === '-') return `-${tokens[1].image}`;
  return tokens.map((t) => t.image).join('');
}

/**
 * java-parser is loaded on the first Java file, not with the app: building its grammar (Chevrotain's self-analysis)
 * took about 150 ms of CPU, a third of the TUI's start to its first frame, for a format few users import.
 */
export async function readJava(text: string): Promise<ImportResult> {
  const { lexAndParse } = await import('java-parser');
  let tokens: Token[];
  try {
    tokens = lexAndParse(text).tokens as unknown as Token[];
  } catch (e) {
    const message = (e as Error).message;
    const at = /line: (\d+), column: (\d+)/.exec(message);
    return unreadable(at ? Number(at[1]) : null, `not valid Java${at ? ` (column ${at[2]})` : ''}: ${message.split('\n')[1]?.trim() ?? message}`);
  }
  const entries: Entry[] = [];
  for (let i = 0; i + 2 < tokens.length; i++) {
    if (!(tokens[i].image === 'put' || tokens[i].image === 'setProperty') || tokens[i - 1]?.image !== '.' || tokens[i + 1].image !== '(') continue;
    // The arguments, split at top-level commas.
    const args: Token[][] = [[]];
    let depth = 0;
    let j = i + 2;
    for (; j < tokens.length; j++) {
      const t = tokens[j].image;
      if (t === '(' || t === '{' || t === '[') depth++;
      if (t === ')' || t === '}' || t === ']') {
        if (depth === 0) break;
        depth--;
      }
      if (t === ',' && depth === 0) args.push([]);
      else args[args.length - 1].push(tokens[j]);
    }
    if (args.length !== 2 || args[0].length === 0) continue;
    const [keyTokens, valueTokens] = args;
    const last = keyTokens[keyTokens.length - 1];
    const key = last.tokenType.name === 'StringLiteral' ? (JSON.parse(last.image) as string) : keyTokens.map((t) => t.image).join('');
    const name = last.tokenType.name === 'StringLiteral' ? key : (CONSTANT_TO_NAME.get(last.image) ?? null);
    let value = valueText(valueTokens);
    let mapped = name;
    if (name === 'partitioner.class') {
      const p = partitionerFromClass(value);
      if (p === null) mapped = null;
      else value = p;
    }
    entries.push({ key, name: mapped, text: value, line: tokens[i].startLine ?? null });
    i = j;
  }
  if (entries.length === 0) return unreadable(null, 'no producer settings found: this reads props.put(ProducerConfig.X_CONFIG, value) calls');
  return collect('spring-java', entries);
}
