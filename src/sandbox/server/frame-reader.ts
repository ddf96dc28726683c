// Cuts a connection's byte stream into Kafka request frames (a 4-byte size, then that many bytes). A frame that
// arrives whole inside one socket chunk is handed on as a view of that chunk, never copied; only a frame split
// across chunks is joined, once, when its last byte is there. Hand-written: the stream splitters on npm copy every
// chunk they buffer, which is the cost this avoids.

export type FrameResult = { ok: true; frames: Buffer[] } | { ok: false; reason: string };

export class FrameReader {
  private chunks: Buffer[] = [];
  /** Bytes held in `chunks`: the start of a frame not yet complete. */
  private held = 0;
  /** Size of the frame being gathered (from its 4-byte prefix), or -1 while the prefix is incomplete. */
  private frameSize = -1;

  constructor(private readonly maxFrameBytes: number) {}

  /** Bytes of a partial frame waiting for the rest. */
  get bufferedBytes(): number {
    return this.held;
  }

  /** Declared size of the frame being gathered (0 when none has started). */
  get partialFrameSize(): number {
    return this.frameSize < 0 ? 0 : this.frameSize;
  }

  push(chunk: Buffer): FrameResult {
    const frames: Buffer[] = [];
    let at = 0;
    // Finish a frame started in earlier chunks: it is the only one that needs joining.
    if (this.held > 0) {
      const taken = this.completeHeld(chunk);
      if (typeof taken === 'string') return { ok: false, reason: taken };
      if (taken.frame) frames.push(taken.frame);
      at = taken.used;
      if (this.held > 0) return { ok: true, frames };
    }
    // Whole frames inside this chunk: views, no copies.
    while (chunk.length - at >= 4) {
      const size = chunk.readInt32BE(at);
      const bad = this.checkSize(size);
      if (bad) return { ok: false, reason: bad };
      if (chunk.length - at - 4 < size) break;
      frames.push(chunk.subarray(at + 4, at + 4 + size));
      at += 4 + size;
    }
    if (at < chunk.length) {
      const rest = chunk.subarray(at);
      this.chunks = [rest];
      this.held = rest.length;
      this.frameSize = rest.length >= 4 ? rest.readInt32BE(0) : -1;
    }
    return { ok: true, frames };
  }

  /** Adds `chunk` to the held partial frame; returns the frame once whole and how many bytes of `chunk` it used. */
  private completeHeld(chunk: Buffer): { frame: Buffer | null; used: number } | string {
    let used = 0;
    if (this.frameSize < 0) {
      // The size prefix itself was split: take just enough bytes to read it.
      const need = 4 - this.held;
      const part = chunk.subarray(0, need);
      this.chunks.push(part);
      this.held += part.length;
      used = part.length;
      if (this.held < 4) return { frame: null, used };
      const prefix = Buffer.concat(this.chunks, 4);
      this.chunks = [prefix];
      this.frameSize = prefix.readInt32BE(0);
      const bad = this.checkSize(this.frameSize);
      if (bad) return bad;
    }
    const total = 4 + this.frameSize;
    const part = chunk.subarray(used, used + (total - this.held));
    this.chunks.push(part);
    this.held += part.length;
    used += part.length;
    if (this.held < total) return { frame: null, used };
    // Its own allocation (not the shared pool): the log may keep record batches of this frame.
    const joined = Buffer.allocUnsafeSlow(total);
    let o = 0;
    for (const c of this.chunks) o += c.copy(joined, o);
    this.chunks = [];
    this.held = 0;
    this.frameSize = -1;
    return { frame: joined.subarray(4), used };
  }

  private checkSize(size: number): string | null {
    if (size < 8) return `invalid request size ${size}`;
    if (size > this.maxFrameBytes) return `request size ${size} exceeds socket.request.max.bytes ${this.maxFrameBytes}`;
    return null;
  }
}
