// Reads Kafka wire primitives from a Buffer. Every read checks bounds and throws ProtocolError, so a malformed or
// truncated frame can never read past its end: the connection that sent it is closed and nothing else is affected.

export class ProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtocolError';
  }
}

/** Arrays and strings longer than this are treated as malformed: a frame is at most a few MiB. */
const MAX_ITEMS = 1 << 24;

export class Reader {
  offset: number;

  constructor(readonly buf: Buffer, offset = 0, readonly end = buf.length) {
    this.offset = offset;
  }

  remaining(): number {
    return this.end - this.offset;
  }

  private need(n: number): void {
    if (n < 0 || this.offset + n > this.end) {
      throw new ProtocolError(`truncated: need ${n} bytes at ${this.offset}, have ${this.end - this.offset}`);
    }
  }

  int8(): number {
    this.need(1);
    return this.buf.readInt8(this.offset++);
  }

  boolean(): boolean {
    return this.int8() !== 0;
  }

  int16(): number {
    this.need(2);
    const v = this.buf.readInt16BE(this.offset);
    this.offset += 2;
    return v;
  }

  int32(): number {
    this.need(4);
    const v = this.buf.readInt32BE(this.offset);
    this.offset += 4;
    return v;
  }

  uint32(): number {
    this.need(4);
    const v = this.buf.readUInt32BE(this.offset);
    this.offset += 4;
    return v;
  }

  /** int64 as a JS number; Kafka offsets, timestamps and producer ids all fit in 2^53. */
  int64(): number {
    this.need(8);
    // Two 32-bit halves instead of a BigInt: exact below 2^53 and several times faster on the produce path.
    const v = this.buf.readInt32BE(this.offset) * 4294967296 + this.buf.readUInt32BE(this.offset + 4);
    this.offset += 8;
    return v;
  }

  float64(): number {
    this.need(8);
    const v = this.buf.readDoubleBE(this.offset);
    this.offset += 8;
    return v;
  }

  uvarint(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (shift > 28) throw new ProtocolError('varint too long');
      const b = this.int8() & 0xff;
      result |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result >>> 0;
      shift += 7;
    }
  }

  varint(): number {
    const u = this.uvarint();
    return (u >>> 1) ^ -(u & 1);
  }

  varlong(): number {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (shift > 63n) throw new ProtocolError('varlong too long');
      const b = BigInt(this.int8() & 0xff);
      result |= (b & 0x7fn) << shift;
      if ((b & 0x80n) === 0n) break;
      shift += 7n;
    }
    return Number((result >> 1n) ^ -(result & 1n));
  }

  bytesRaw(n: number): Buffer {
    this.need(n);
    const b = this.buf.subarray(this.offset, this.offset + n);
    this.offset += n;
    return b;
  }

  private length(n: number, what: string): number {
    if (n > MAX_ITEMS || n > this.remaining() * 8 + 64) throw new ProtocolError(`absurd ${what} length ${n}`);
    return n;
  }

  string(): string {
    const n = this.int16();
    if (n < 0) throw new ProtocolError('null where a string is required');
    return this.bytesRaw(n).toString('utf8');
  }

  nullableString(): string | null {
    const n = this.int16();
    if (n < 0) return null;
    return this.bytesRaw(n).toString('utf8');
  }

  compactString(): string {
    const s = this.compactNullableString();
    if (s === null) throw new ProtocolError('null where a compact string is required');
    return s;
  }

  compactNullableString(): string | null {
    const n = this.uvarint() - 1;
    if (n < 0) return null;
    return this.bytesRaw(n).toString('utf8');
  }

  bytes(): Buffer {
    const b = this.nullableBytes();
    if (b === null) throw new ProtocolError('null where bytes are required');
    return b;
  }

  nullableBytes(): Buffer | null {
    const n = this.int32();
    if (n < 0) return null;
    return this.bytesRaw(n);
  }

  array<T>(item: (r: Reader) => T): T[] {
    const a = this.nullableArray(item);
    return a ?? [];
  }

  nullableArray<T>(item: (r: Reader) => T): T[] | null {
    const n = this.int32();
    if (n < 0) return null;
    this.length(n, 'array');
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(item(this));
    return out;
  }

  compactArray<T>(item: (r: Reader) => T): T[] {
    const n = this.uvarint() - 1;
    if (n < 0) return [];
    this.length(n, 'compact array');
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(item(this));
    return out;
  }

  /** Skips a tagged-field section (flexible versions); we use none of the tags clients send. */
  skipTags(): void {
    const count = this.uvarint();
    this.length(count, 'tag section');
    for (let i = 0; i < count; i++) {
      this.uvarint();
      const size = this.uvarint();
      this.bytesRaw(size);
    }
  }
}

/** Reads a tagged-field section, handing each tag's bytes to `onTag` (unknown tags are skipped: KIP-482). */
export function readTags(r: Reader, onTag?: (tag: number, body: Reader) => void): void {
  const count = r.uvarint();
  if (count > r.remaining()) throw new ProtocolError(`tag section of ${count} with ${r.remaining()} bytes left`);
  let last = -1;
  for (let i = 0; i < count; i++) {
    const tag = r.uvarint();
    if (tag <= last) throw new ProtocolError(`tagged fields out of order: ${tag} after ${last}`);
    last = tag;
    const body = r.bytesRaw(r.uvarint());
    onTag?.(tag, new Reader(body));
  }
}
