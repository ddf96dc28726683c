// Cuts a connection's byte stream into Kafka request frames (a 4-byte size, then that many bytes). A frame that
// arrives whole inside one socket chunk is handed on as a view of that chunk, never copied. A frame split across
// chunks is copied once into a buffer from the sandbox's pool as its pieces arrive (a socket chunk copied out whole is
// freed at once, and the connection can hand the buffer back once the request is handled), or, above EAGER_MAX, gathered
// and joined when its last byte is there: a client declaring a 100 MB request and sending 4 bytes must not make the
// broker allocate 100 MB. Hand-written: the stream splitters on npm copy every
// chunk they buffer, which is the cost this avoids.

import { freeNow, sandboxBuffers } from '../buffer-pool.js';

export type FrameResult = { ok: true; frames: Buffer[] } | { ok: false; reason: string };

/** Frames up to this size get their buffer as soon as their size is known. */
const EAGER_MAX = 4 * 1024 * 1024;

export class FrameReader {
  /** The size prefix while it is incomplete. */
  private prefix = Buffer.alloc(4);
  private prefixLength = 0;
  /** Size of the frame being gathered, or -1 while none has started (or its prefix is incomplete). */
  private frameSize = -1;
  /** The frame's own buffer (eager), or the chunks received so far (large frames). */
  private target: Buffer | null = null;
  private pieces: Buffer[] = [];
  private filled = 0;

  constructor(private readonly maxFrameBytes: number) {}

  /** Bytes of a partial frame waiting for the rest (its size prefix included). */
  get bufferedBytes(): number {
    return this.prefixLength + this.filled;
  }

  /** Declared size of the frame being gathered (0 when none has started). */
  get partialFrameSize(): number {
    return this.frameSize < 0 ? 0 : this.frameSize;
  }

  /**
   * The frames `chunk` completes. `owned`: nobody else holds `chunk` (a socket chunk), so once its bytes are copied
   * into frame buffers and no frame or piece is a view of it, its memory is freed at once (see `freeNow`).
   */
  push(chunk: Buffer, owned = false): FrameResult {
    const result = this.cut(chunk);
    if (owned && result.ok && !viewsOf(result.frames, chunk) && this.pieces.at(-1)?.buffer !== chunk.buffer) freeNow(chunk);
    return result;
  }

  private cut(chunk: Buffer): FrameResult {
    const frames: Buffer[] = [];
    let at = 0;
    if (this.prefixLength > 0 || this.frameSize >= 0) {
      const r = this.continuePartial(chunk);
      if (typeof r === 'string') return { ok: false, reason: r };
      if (r.frame) frames.push(r.frame);
      at = r.used;
      if (this.prefixLength > 0 || this.frameSize >= 0) return { ok: true, frames };
    }
    // Whole frames inside this chunk: views, no copies.
    while (chunk.length - at >= 4) {
      const size = chunk.readInt32BE(at);
      const bad = this.checkSize(size);
      if (bad) return { ok: false, reason: bad };
      if (chunk.length - at - 4 < size) {
        this.start(size);
        this.append(chunk.subarray(at + 4));
        return { ok: true, frames };
      }
      frames.push(chunk.subarray(at + 4, at + 4 + size));
      at += 4 + size;
    }
    if (at < chunk.length) {
      chunk.copy(this.prefix, 0, at);
      this.prefixLength = chunk.length - at;
    }
    return { ok: true, frames };
  }

  /** Feeds `chunk` to the frame (or size prefix) in progress; returns the frame once whole and the bytes used. */
  private continuePartial(chunk: Buffer): { frame: Buffer | null; used: number } | string {
    let used = 0;
    if (this.frameSize < 0) {
      used = Math.min(4 - this.prefixLength, chunk.length);
      chunk.copy(this.prefix, this.prefixLength, 0, used);
      this.prefixLength += used;
      if (this.prefixLength < 4) return { frame: null, used };
      this.prefixLength = 0;
      const size = this.prefix.readInt32BE(0);
      const bad = this.checkSize(size);
      if (bad) return bad;
      this.start(size);
    }
    const part = chunk.subarray(used, used + (this.frameSize - this.filled));
    this.append(part);
    used += part.length;
    if (this.filled < this.frameSize) return { frame: null, used };
    return { frame: this.finish(), used };
  }

  private start(size: number): void {
    this.frameSize = size;
    this.filled = 0;
    this.target = size <= EAGER_MAX ? sandboxBuffers.take(size) : null;
  }

  private append(part: Buffer): void {
    if (this.target) part.copy(this.target, this.filled);
    else this.pieces.push(part);
    this.filled += part.length;
  }

  private finish(): Buffer {
    let frame = this.target;
    if (!frame) {
      frame = Buffer.allocUnsafeSlow(this.frameSize);
      let o = 0;
      for (const p of this.pieces) o += p.copy(frame, o);
    }
    this.target = null;
    this.pieces = [];
    this.frameSize = -1;
    this.filled = 0;
    return frame;
  }

  private checkSize(size: number): string | null {
    if (size < 8) return `invalid request size ${size}`;
    if (size > this.maxFrameBytes) return `request size ${size} exceeds socket.request.max.bytes ${this.maxFrameBytes}`;
    return null;
  }
}

/** Whether any frame is a view of `chunk`'s memory (a loop, not a closure per socket chunk). */
function viewsOf(frames: readonly Buffer[], chunk: Buffer): boolean {
  for (let i = 0; i < frames.length; i++) if (frames[i].buffer === chunk.buffer) return true;
  return false;
}
