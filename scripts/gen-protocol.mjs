#!/usr/bin/env node
// Generates src/wire/protocol/messages.generated.ts from Apache Kafka's JSON message definitions
// (clients/src/main/resources/common/message/*.json, JSON with // comments). The output keeps only what the
// codec needs (names, types, versions, nullable and tagged versions, tags, explicit defaults, nested fields), one
// line per message, so a fresh clone builds without the definitions.
//
//   node scripts/gen-protocol.mjs [messages-dir] [--check]
//
// --check prints the generated text to stdout instead of writing the file (the codec test compares it).
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const check = args.includes('--check');
// The definitions sit in ../shared/kafka-protocol next to the main checkout, two levels up from a worktree.
const candidates = [join(root, '..', 'shared'), join(root, '..', '..', 'shared')].map((d) => join(d, 'kafka-protocol', 'messages'));
const dir = args.find((a) => !a.startsWith('--')) ?? candidates.find((d) => existsSync(d)) ?? candidates[0];
const out = join(root, 'src', 'wire', 'protocol', 'messages.generated.ts');

/** Strips // comments outside strings (the definitions use them for their licence and notes). */
function stripComments(text) {
  let res = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      res += c;
      if (c === '\\') res += text[++i];
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      res += c;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      res += '\n';
    } else res += c;
  }
  return res;
}

const lowerCamel = (s) => s.charAt(0).toLowerCase() + s.slice(1);

/** An explicit default as a JS value of the field's type; undefined when the schema gives none. */
function parseDefault(field) {
  const d = field.default;
  if (d === undefined) return undefined;
  if (typeof d === 'boolean' || typeof d === 'number') return d;
  if (d === 'null') return null;
  switch (field.type) {
    case 'bool':
      return d === 'true';
    case 'int8': case 'int16': case 'uint16': case 'int32': case 'uint32': case 'int64': case 'float64':
      return d.startsWith('0x') || d.startsWith('-0x') ? Number.parseInt(d, 16) : Number(d);
    default:
      return d;
  }
}

/** A field as [name, type, versions, nullableVersions, taggedVersions, tag, fields, default]; trailing empties dropped. */
function compileField(field, structs) {
  const elem = field.type.startsWith('[]') ? field.type.slice(2) : field.type;
  let children = field.fields;
  if (!children && /^[A-Z]/.test(elem)) {
    children = structs.get(elem);
    if (!children) throw new Error(`unknown struct ${elem} in field ${field.name}`);
  }
  const entry = [
    lowerCamel(field.name),
    field.type,
    field.versions,
    field.nullableVersions ?? '',
    field.taggedVersions ?? '',
    field.tag === undefined ? -1 : Number(field.tag),
    children ? children.map((c) => compileField(c, structs)) : undefined,
    parseDefault(field),
  ];
  const empty = [null, null, null, '', '', -1, undefined, undefined];
  while (entry.length > 3 && entry[entry.length - 1] === empty[entry.length - 1]) entry.pop();
  // A hole in the middle (a field with a default but no fields) is written as null: no fields.
  return entry.map((v) => (v === undefined ? null : v));
}

function compileMessage(json) {
  const structs = new Map((json.commonStructs ?? []).map((s) => [s.name, s.fields]));
  // Structs declared inline can also be referenced by name elsewhere in the same message.
  const collect = (fields) => {
    for (const f of fields ?? []) {
      if (f.fields) {
        const elem = f.type.startsWith('[]') ? f.type.slice(2) : f.type;
        if (!structs.has(elem)) structs.set(elem, f.fields);
        collect(f.fields);
      }
    }
  };
  collect(json.fields);
  return json.fields.map((f) => compileField(f, structs));
}

function generate() {
  const byKey = new Map();
  for (const file of readdirSync(dir).sort()) {
    if (!file.endsWith('.json')) continue;
    const json = JSON.parse(stripComments(readFileSync(join(dir, file), 'utf8')));
    if (json.type !== 'request' && json.type !== 'response') continue;
    const entry = byKey.get(json.apiKey) ?? { key: json.apiKey };
    entry[json.type] = json;
    byKey.set(json.apiKey, entry);
  }
  const lines = [];
  for (const key of [...byKey.keys()].sort((a, b) => a - b)) {
    const { request, response } = byKey.get(key);
    if (!request || !response) throw new Error(`API ${key} lacks a request or a response definition`);
    const name = request.name.replace(/Request$/, '');
    const flex = request.flexibleVersions;
    const msg = [key, name, request.validVersions, flex, compileMessage(request), compileMessage(response)];
    lines.push(`  ${JSON.stringify(msg)},`);
  }
  return [
    '// Generated by scripts/gen-protocol.mjs from Apache Kafka\'s message definitions',
    '// (clients/src/main/resources/common/message/*.json, Apache License 2.0). Do not edit: regenerate.',
    '// Each API: [apiKey, name, validVersions, flexibleVersions, requestFields, responseFields];',
    '// each field: [name, type, versions, nullableVersions?, taggedVersions?, tag?, fields?, default?].',
    "import type { MessageSpec } from './spec.js';",
    '',
    'export const MESSAGES: readonly MessageSpec[] = [',
    ...lines,
    '];',
    '',
  ].join('\n');
}

const text = generate();
if (check) process.stdout.write(text);
else {
  writeFileSync(out, text);
  console.log(`wrote ${out}`);
}
