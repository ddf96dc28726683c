// The table-driven interpreter: turns one message's field table into an encoder and a decoder for one version,
// once, and caches them. Covers every type Kafka's definitions use, flexible versions (compact strings, arrays and
// bytes, unsigned varints, tagged fields: KIP-482), nullable fields and nullable structs.
//
// Hand-written rather than a library: no maintained npm package derives codecs from Kafka's JSON definitions
// (kafkajs and @platformatic/kafka both hand-write each API version), and the broker side needs decoders for
// requests, which client libraries do not have.
import { ProtocolError, Reader, readTags } from '../reader.js';
import { Writer } from '../writer.js';
import { inRange, parseRange, type FieldSpec } from './spec.js';

export interface StructCodec {
  encode(w: Writer, value: any): void;
  decode(r: Reader): any;
  /** A fresh value holding every field's default. */
  make(): any;
  isDefault(value: any): boolean;
}

interface FieldCodec {
  name: string;
  tag: number;
  encode(w: Writer, value: any): void;
  decode(r: Reader): any;
  make(): any;
  isDefault(value: any): boolean;
}

const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA';

function primitiveDefault(type: string): unknown {
  switch (type) {
    case 'bool':
      return false;
    case 'string':
      return '';
    case 'uuid':
      return ZERO_UUID;
    case 'bytes':
      return Buffer.alloc(0);
    case 'records':
      return null;
    default:
      return 0;
  }
}

type Enc = (w: Writer, v: any) => void;
type Dec = (r: Reader) => any;

function utf8(w: Writer, s: string, flexible: boolean): void {
  const b = Buffer.from(s, 'utf8');
  if (flexible) w.uvarint(b.length + 1);
  else w.int16(b.length);
  w.raw(b);
}

function readLength(r: Reader, flexible: boolean, wide: boolean): number {
  if (flexible) return r.uvarint() - 1;
  return wide ? r.int32() : r.int16();
}

/** Encoder and decoder of one primitive type, nullable or not, compact or not. */
function primitive(type: string, nullable: boolean, flexible: boolean): { enc: Enc; dec: Dec } {
  switch (type) {
    case 'bool':
      return { enc: (w, v) => w.int8(v ? 1 : 0), dec: (r) => r.int8() !== 0 };
    case 'int8':
      return { enc: (w, v) => w.int8(v), dec: (r) => r.int8() };
    case 'int16':
      return { enc: (w, v) => w.int16(v), dec: (r) => r.int16() };
    case 'uint16':
      return { enc: (w, v) => w.int16((v << 16) >> 16), dec: (r) => r.int16() & 0xffff };
    case 'int32':
      return { enc: (w, v) => w.int32(v), dec: (r) => r.int32() };
    case 'uint32':
      return { enc: (w, v) => w.uint32(v), dec: (r) => r.uint32() };
    case 'int64':
      return { enc: (w, v) => w.int64(v), dec: (r) => r.int64() };
    case 'float64':
      return { enc: (w, v) => w.float64(v), dec: (r) => r.float64() };
    case 'uuid':
      return {
        enc: (w, v) => w.raw(Buffer.from(v ?? ZERO_UUID, 'base64url')),
        dec: (r) => r.bytesRaw(16).toString('base64url'),
      };
    case 'string':
      return {
        enc: (w, v) => {
          if (v === null || v === undefined) {
            if (flexible) w.uvarint(0);
            else w.int16(nullable ? -1 : 0);
          } else utf8(w, v, flexible);
        },
        dec: (r) => {
          const n = readLength(r, flexible, false);
          if (n < 0) {
            if (!nullable) throw new ProtocolError('null where a string is required');
            return null;
          }
          return r.bytesRaw(n).toString('utf8');
        },
      };
    case 'bytes':
    case 'records':
      return {
        // Records may be handed over as several buffers (stored batches served back to back) to save a copy.
        enc: (w, v) => {
          if (v === null || v === undefined) {
            if (flexible) w.uvarint(0);
            else w.int32(nullable ? -1 : 0);
            return;
          }
          const parts: Buffer[] = Array.isArray(v) ? v : [v];
          let n = 0;
          for (const p of parts) n += p.length;
          if (flexible) w.uvarint(n + 1);
          else w.int32(n);
          for (const p of parts) w.raw(p);
        },
        dec: (r) => {
          const n = readLength(r, flexible, true);
          if (n < 0) {
            if (!nullable) throw new ProtocolError('null where bytes are required');
            return null;
          }
          return r.bytesRaw(n);
        },
      };
    default:
      throw new Error(`unknown primitive type ${type}`);
  }
}

function arrayOf(item: { enc: Enc; dec: Dec }, nullable: boolean, flexible: boolean): { enc: Enc; dec: Dec } {
  return {
    enc: (w, v) => {
      if (v === null || v === undefined) {
        if (flexible) w.uvarint(nullable ? 0 : 1);
        else w.int32(nullable ? -1 : 0);
        return;
      }
      if (flexible) w.uvarint(v.length + 1);
      else w.int32(v.length);
      for (let i = 0; i < v.length; i++) item.enc(w, v[i]);
    },
    dec: (r) => {
      const n = readLength(r, flexible, true);
      if (n < 0) {
        if (!nullable) throw new ProtocolError('null where an array is required');
        return null;
      }
      // Every element takes at least one byte: a count beyond the bytes left is a lie, not a reason to allocate.
      if (n > r.remaining()) throw new ProtocolError(`array of ${n} with ${r.remaining()} bytes left`);
      const out = new Array(n);
      for (let i = 0; i < n; i++) out[i] = item.dec(r);
      return out;
    },
  };
}

function compileField(spec: FieldSpec, version: number, flexible: boolean): FieldCodec {
  const [name, type, versions, nullableVersions, taggedVersions, tag = -1, children, defaultValue] = spec;
  const isArray = type.startsWith('[]');
  const elemType = isArray ? type.slice(2) : type;
  const nullable = inRange(parseRange(nullableVersions), version);
  const tagged = flexible && inRange(parseRange(taggedVersions), version);
  const present = inRange(parseRange(versions), version);
  const struct = children ? compileStruct(children, version, flexible) : null;

  // An explicit null default holds even in versions where the field is not nullable (or absent), as in Kafka's
  // generated classes: e.g. JoinGroup's group_instance_id reads null from a v0 request.
  let make: () => any;
  if (isArray) make = defaultValue === null ? () => null : () => [];
  else if (struct) make = defaultValue === null ? () => null : () => struct.make();
  else {
    const d = defaultValue === undefined ? primitiveDefault(elemType) : defaultValue;
    make = () => d;
  }
  const codec: FieldCodec = {
    name,
    tag,
    make,
    encode: () => {},
    decode: make,
    isDefault: (v) => {
      if (v === undefined) return true;
      const d = make();
      if (v === d) return true;
      if (Array.isArray(v)) return Array.isArray(d) && v.length === 0;
      if (struct && v !== null) return d !== null && struct.isDefault(v);
      return false;
    },
  };
  if (!present) return { ...codec, tag: -2 };

  let coder: { enc: Enc; dec: Dec };
  if (struct) {
    const item = { enc: (w: Writer, v: any) => struct.encode(w, v), dec: (r: Reader) => struct.decode(r) };
    if (isArray) coder = arrayOf(item, nullable, flexible);
    else if (nullable) {
      // A nullable struct carries a presence byte: -1 null, 1 present.
      coder = {
        enc: (w, v) => {
          if (v === null || v === undefined) w.int8(-1);
          else struct.encode(w.int8(1), v);
        },
        dec: (r) => (r.int8() < 0 ? null : struct.decode(r)),
      };
    } else coder = item;
  } else if (isArray) {
    coder = arrayOf(primitive(elemType, false, flexible), nullable, flexible);
  } else coder = primitive(elemType, nullable, flexible);

  codec.encode = coder.enc;
  codec.decode = coder.dec;
  if (!tagged) codec.tag = -1;
  return codec;
}

/**
 * Fields of one struct at one version. Regular fields are read and written in definition order; tagged ones go
 * into the trailing tagged-field section, written only when not at their default, as Kafka does.
 */
export function compileStruct(fields: FieldSpec[], version: number, flexible: boolean): StructCodec {
  const all = fields.map((f) => compileField(f, version, flexible));
  const regular = all.filter((f) => f.tag === -1);
  const absent = all.filter((f) => f.tag === -2);
  const tagged = all.filter((f) => f.tag >= 0).sort((a, b) => a.tag - b.tag);
  const byTag = new Map(tagged.map((f) => [f.tag, f]));

  const make = () => {
    const o: any = {};
    for (const f of all) o[f.name] = f.make();
    return o;
  };
  return {
    make,
    isDefault: (v) => all.every((f) => f.isDefault(v[f.name])),
    encode(w, value) {
      const v = value ?? {};
      for (let i = 0; i < regular.length; i++) {
        const f = regular[i];
        const x = v[f.name];
        f.encode(w, x === undefined ? f.make() : x);
      }
      if (!flexible) return;
      const present = tagged.filter((f) => !f.isDefault(v[f.name]));
      w.uvarint(present.length);
      for (const f of present) {
        const sub = new Writer(64);
        f.encode(sub, v[f.name]);
        const bytes = sub.toBuffer();
        w.uvarint(f.tag).uvarint(bytes.length).raw(bytes);
      }
    },
    decode(r) {
      const o: any = {};
      for (let i = 0; i < regular.length; i++) {
        const f = regular[i];
        o[f.name] = f.decode(r);
      }
      for (const f of absent) o[f.name] = f.make();
      for (const f of tagged) o[f.name] = f.make();
      if (!flexible) return o;
      readTags(r, (tag, body) => {
        const f = byTag.get(tag);
        if (f) o[f.name] = f.decode(body);
      });
      return o;
    },
  };
}
