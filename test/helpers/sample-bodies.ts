// Pseudo-random message bodies built from Kafka's field tables, for round-trip tests of the schema-driven codec:
// every field a version has gets a non-default value (nullable ones sometimes null), every field it lacks its default.
import { inRange, parseRange, type FieldSpec } from '../../src/wire/protocol/spec.js';

/** A small deterministic PRNG (mulberry32), so a failing case can be reproduced from its seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function primitive(type: string, rnd: () => number): unknown {
  const int = (bits: number) => Math.floor(rnd() * 2 ** bits) - 2 ** (bits - 1);
  switch (type) {
    case 'bool':
      return rnd() < 0.5;
    case 'int8':
      return int(8);
    case 'int16':
      return int(16);
    case 'uint16':
      return Math.floor(rnd() * 65536);
    case 'int32':
      return int(32);
    case 'uint32':
      return Math.floor(rnd() * 2 ** 32);
    case 'int64':
      return Math.floor(rnd() * 2 ** 52) - 2 ** 51;
    case 'float64':
      return rnd() * 1e6;
    case 'uuid':
      return Buffer.from(Array.from({ length: 16 }, () => Math.floor(rnd() * 256))).toString('base64url');
    case 'string':
      return `s${Math.floor(rnd() * 1e6)}é`;
    case 'bytes':
    case 'records':
      return Buffer.from(Array.from({ length: 1 + Math.floor(rnd() * 40) }, () => Math.floor(rnd() * 256)));
    default:
      throw new Error(type);
  }
}

function value(spec: FieldSpec, version: number, rnd: () => number, depth: number): unknown {
  const [, type, , nullableVersions, , , children] = spec;
  if (inRange(parseRange(nullableVersions), version) && rnd() < 0.2) return null;
  const isArray = type.startsWith('[]');
  const elem = isArray ? type.slice(2) : type;
  const one = () => (children ? struct(children, version, rnd, depth + 1) : primitive(elem, rnd));
  if (!isArray) return one();
  const n = depth > 3 ? 0 : Math.floor(rnd() * 3) + 1;
  return Array.from({ length: n }, one);
}

function struct(fields: FieldSpec[], version: number, rnd: () => number, depth: number): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const f of fields) {
    if (inRange(parseRange(f[2]), version)) o[f[0]] = value(f, version, rnd, depth);
  }
  return o;
}

/** A body with every field this version has set to a pseudo-random, non-default value (nullable ones sometimes null). */
export function sampleBody(fields: FieldSpec[], version: number, seed: number): Record<string, unknown> {
  return struct(fields, version, prng(seed), 0);
}
