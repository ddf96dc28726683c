/**
 * kafkajs options, as JSON ({ "client": {...}, "producer": {...}, "send": {...} }, or one flat object) or as a
 * JavaScript module such as the kafkajs export: parsed with acorn, never run; the object literals passed to
 * new Kafka(...), kafka.producer(...) and producer.send(...) are read, and `// name=value: ...` comments carry the
 * settings kafkajs has no option for.
 */
import { parse, type Comment, type Expression, type Node, type ObjectExpression, type Property, type SpreadElement } from 'acorn';
import { simple } from 'acorn-walk';
import type { CompressionType } from '../../compression/compression.js';
import { isSettingName } from '../settings.js';
import { KAFKAJS_COMPRESSION, KAFKAJS_OPTIONS, type KafkajsPlace } from '../export-formats/kafkajs-names.js';
import { collect, unreadable, type Entry, type ImportResult } from './import-types.js';

type Place = KafkajsPlace;
interface Value {
  value: unknown;
  line: number | null;
}

/** Option key (per place) -> Kafka setting name. */
const BY_OPTION = new Map<string, string>();
for (const [name, options] of Object.entries(KAFKAJS_OPTIONS)) for (const o of options!) BY_OPTION.set(`${o.place}.${o.key}`, name);
const COMPRESSION_BY_KAFKAJS = new Map<string, CompressionType>(
  Object.entries(KAFKAJS_COMPRESSION).map(([codec, k]) => [k.toLowerCase(), codec as CompressionType]),
);
// CompressionTypes' numeric values in kafkajs.
const COMPRESSION_BY_NUMBER: CompressionType[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

function toText(option: string, value: unknown): string {
  if (option === 'send.acks') return value === -1 ? 'all' : String(value);
  if (option === 'send.compression') {
    if (typeof value === 'number') return COMPRESSION_BY_NUMBER[value] ?? String(value);
    return COMPRESSION_BY_KAFKAJS.get(String(value).replace(/^CompressionTypes\./, '').toLowerCase()) ?? String(value);
  }
  return value === null ? '' : String(value);
}

/** Entries for one place's options object (retry nested in producer). */
function entriesOf(place: Place, options: Record<string, Value>, out: Entry[]): void {
  for (const [key, v] of Object.entries(options)) {
    if (place === 'producer' && key === 'retry' && v.value && typeof v.value === 'object') {
      entriesOf('retry', v.value as Record<string, Value>, out);
      continue;
    }
    const option = `${place}.${key}`;
    const name = BY_OPTION.get(option) ?? null;
    // request.timeout.ms appears twice (client and send): one entry is enough.
    if (option === 'send.timeout' && out.some((e) => e.name === 'request.timeout.ms')) continue;
    out.push({ key: option, name, text: toText(option, v.value), line: v.line });
  }
}

/** JSON, wrapped in { value, line } like the JavaScript reader's values (JSON has no positions to give). */
function wrapJson(o: unknown): Record<string, Value> {
  const out: Record<string, Value> = {};
  for (const [k, v] of Object.entries(o as Record<string, unknown>)) {
    out[k] = { value: v && typeof v === 'object' && !Array.isArray(v) ? wrapJson(v) : v, line: null };
  }
  return out;
}

export function readKafkajsJson(text: string): ImportResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    const at = /line (\d+)/.exec(message);
    return unreadable(at ? Number(at[1]) : null, `not valid JSON: ${message}`);
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) return unreadable(1, 'kafkajs options must be a JSON object');
  const o = wrapJson(data);
  const entries: Entry[] = [];
  const nested = ['client', 'producer', 'send'].some((k) => k in o);
  if (nested) {
    for (const place of ['client', 'producer', 'send'] as const) if (o[place]) entriesOf(place, o[place].value as Record<string, Value>, entries);
  } else {
    // A flat object: each key goes where kafkajs has it.
    for (const place of ['client', 'producer', 'send'] as const) {
      const mine = Object.fromEntries(Object.entries(o).filter(([k]) => BY_OPTION.has(`${place}.${k}`) || (place === 'producer' && k === 'retry')));
      entriesOf(place, mine, entries);
    }
  }
  return collect('kafkajs-json', entries);
}

function literal(node: Expression | SpreadElement | Node): unknown {
  switch (node.type) {
    case 'Literal':
      return (node as { value: unknown }).value;
    case 'UnaryExpression': {
      const u = node as unknown as { operator: string; argument: Expression };
      const v = literal(u.argument);
      return u.operator === '-' && typeof v === 'number' ? -v : undefined;
    }
    case 'MemberExpression': {
      const m = node as unknown as { object: Node; property: { name?: string } };
      return m.object.type === 'Identifier' ? `${(m.object as unknown as { name: string }).name}.${m.property.name}` : undefined;
    }
    case 'ObjectExpression':
      return objectValues(node as ObjectExpression);
    default:
      return undefined;
  }
}

function objectValues(node: ObjectExpression): Record<string, Value> {
  const out: Record<string, Value> = {};
  for (const p of node.properties) {
    if (p.type !== 'Property') continue;
    const prop = p as Property;
    const key = prop.key.type === 'Identifier' ? prop.key.name : String((prop.key as { value?: unknown }).value);
    const value = literal(prop.value as Expression);
    // Values that are not literals (topic, messages, a variable) are the program's, not settings.
    if (value !== undefined) out[key] = { value, line: prop.loc?.start.line ?? null };
  }
  return out;
}

export function readKafkajsModule(text: string): ImportResult {
  const comments: Comment[] = [];
  let ast: Node;
  try {
    ast = parse(text, { ecmaVersion: 'latest', sourceType: 'module', locations: true, onComment: comments });
  } catch (e) {
    const loc = (e as { loc?: { line: number } }).loc;
    return unreadable(loc?.line ?? null, `not valid JavaScript: ${(e as Error).message}`);
  }
  const entries: Entry[] = [];
  const argument = (args: readonly (Expression | SpreadElement)[]) => (args[0]?.type === 'ObjectExpression' ? objectValues(args[0] as ObjectExpression) : null);
  simple(ast, {
    NewExpression(n) {
      const o = n.callee.type === 'Identifier' && n.callee.name === 'Kafka' ? argument(n.arguments) : null;
      if (o) entriesOf('client', o, entries);
    },
    CallExpression(n) {
      if (n.callee.type !== 'MemberExpression' || n.callee.property.type !== 'Identifier') return;
      const method = n.callee.property.name;
      const o = method === 'producer' || method === 'send' ? argument(n.arguments) : null;
      if (o) entriesOf(method as 'producer' | 'send', o, entries);
    },
  });
  // The settings kafkajs has no option for, as the export writes them: `// linger.ms=5: why`.
  for (const c of comments) {
    const m = /^\s*([a-z][a-z.]*)=(.*?):\s/.exec(c.value);
    if (m && isSettingName(m[1])) entries.push({ key: `// ${m[1]}`, name: m[1], text: m[2], line: c.loc?.start.line ?? null });
  }
  if (entries.length === 0) return unreadable(null, 'no kafkajs options found: this reads new Kafka({...}), kafka.producer({...}) and producer.send({...})');
  return collect('kafkajs', entries);
}
