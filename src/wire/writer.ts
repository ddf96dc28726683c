// Writes Kafka wire primitives into a growing buffer.

/** Longest string asciiAfter writes itself: its compact length (n + 1) still fits a one-byte uvarint. */
const SHORT_ASCII = 126;

export class Writer {
  private buf: Buffer;
  private pos = 0;

  constructor(initial = 256) {
    this.buf = Buffer.allocUnsafe(initial);
  }

  get length(): number {
    return this.pos;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  /** Overwrites 4 bytes already written at `offset` (a size known only once what follows is written). */
  int32At(offset: number, v: number): this {
    if (offset < 0 || offset + 4 > this.pos) throw new RangeError(`int32At(${offset}) outside the ${this.pos} bytes written`);
    this.buf.writeInt32BE(v, offset);
    return this;
  }

  int8(v: number): this {
    this.ensure(1);
    this.buf.writeInt8(v, this.pos++);
    return this;
  }

  boolean(v: boolean): this {
    return this.int8(v ? 1 : 0);
  }

  int16(v: number): this {
    this.ensure(2);
    this.buf.writeInt16BE(v, this.pos);
    this.pos += 2;
    return this;
  }

  int32(v: number): this {
    this.ensure(4);
    this.buf.writeInt32BE(v, this.pos);
    this.pos += 4;
    return this;
  }

  uint32(v: number): this {
    this.ensure(4);
    this.buf.writeUInt32BE(v >>> 0, this.pos);
    this.pos += 4;
    return this;
  }

  int64(v: number | bigint): this {
    this.ensure(8);
    if (typeof v === 'number' && Number.isSafeInteger(v)) {
      // Two 32-bit halves instead of a BigInt: exact for safe integers, and much faster.
      const hi = Math.floor(v / 4294967296);
      this.buf.writeInt32BE(hi, this.pos);
      this.buf.writeUInt32BE(v - hi * 4294967296, this.pos + 4);
    } else this.buf.writeBigInt64BE(BigInt(v), this.pos);
    this.pos += 8;
    return this;
  }

  float64(v: number): this {
    this.ensure(8);
    this.buf.writeDoubleBE(v, this.pos);
    this.pos += 8;
    return this;
  }

  uvarint(v: number): this {
    let n = v >>> 0;
    while (n >= 0x80) {
      this.int8(((n & 0x7f) | 0x80) << 24 >> 24);
      n >>>= 7;
    }
    return this.int8((n << 24) >> 24);
  }

  varint(v: number): this {
    return this.uvarint(((v << 1) ^ (v >> 31)) >>> 0);
  }

  varlong(v: number | bigint): this {
    const b = BigInt(v);
    let z = BigInt.asUintN(64, (b << 1n) ^ (b >> 63n));
    while (z >= 0x80n) {
      this.int8((Number(z & 0x7fn) | 0x80) << 24 >> 24);
      z >>= 7n;
    }
    return this.int8((Number(z) << 24) >> 24);
  }

  raw(b: Buffer): this {
    this.ensure(b.length);
    b.copy(this.buf, this.pos);
    this.pos += b.length;
    return this;
  }

  string(s: string): this {
    if (this.asciiAfter(s, 2)) return this;
    const b = Buffer.from(s, 'utf8');
    return this.int16(b.length).raw(b);
  }

  /**
   * Writes a short all-ASCII `s` (a topic name, a client id: nearly every string of the protocol) after its length,
   * in `lengthBytes` bytes (2: int16; 1: compact, short enough for a one-byte uvarint), without a Buffer per string;
   * false, having written nothing, for any other string.
   */
  private asciiAfter(s: string, lengthBytes: 1 | 2): boolean {
    const n = s.length;
    if (n > SHORT_ASCII) return false;
    for (let i = 0; i < n; i++) if (s.charCodeAt(i) > 0x7f) return false;
    this.ensure(lengthBytes + n);
    const buf = this.buf;
    let at = this.pos;
    if (lengthBytes === 2) {
      buf[at++] = 0;
      buf[at++] = n;
    } else buf[at++] = n + 1;
    for (let i = 0; i < n; i++) buf[at++] = s.charCodeAt(i);
    this.pos = at;
    return true;
  }

  nullableString(s: string | null | undefined): this {
    if (s === null || s === undefined) return this.int16(-1);
    return this.string(s);
  }

  compactString(s: string): this {
    if (this.asciiAfter(s, 1)) return this;
    const b = Buffer.from(s, 'utf8');
    return this.uvarint(b.length + 1).raw(b);
  }

  compactNullableString(s: string | null | undefined): this {
    if (s === null || s === undefined) return this.uvarint(0);
    return this.compactString(s);
  }

  bytes(b: Buffer): this {
    return this.int32(b.length).raw(b);
  }

  nullableBytes(b: Buffer | null | undefined): this {
    if (b === null || b === undefined) return this.int32(-1);
    return this.bytes(b);
  }

  array<T>(items: readonly T[], item: (w: Writer, v: T) => void): this {
    this.int32(items.length);
    for (const v of items) item(this, v);
    return this;
  }

  nullableArray<T>(items: readonly T[] | null | undefined, item: (w: Writer, v: T) => void): this {
    if (items === null || items === undefined) return this.int32(-1);
    return this.array(items, item);
  }

  compactArray<T>(items: readonly T[], item: (w: Writer, v: T) => void): this {
    this.uvarint(items.length + 1);
    for (const v of items) item(this, v);
    return this;
  }

  emptyTags(): this {
    return this.uvarint(0);
  }

  toBuffer(): Buffer {
    return this.buf.subarray(0, this.pos);
  }
}
