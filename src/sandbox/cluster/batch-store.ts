// The bytes of one partition's stored batches, shared by all its replicas' logs: 1 MiB segments from the sandbox's
// buffer pool, filled in append order (a batch larger than a segment gets a buffer of its own). A batch is copied in
// once, when the leader appends it; the request frame it came in is then free at once, rather than pinned, whole,
// for as long as retention keeps any one batch of it; but a batch that fills most of its pooled frame keeps that
// frame as its segment instead (see copyIn). A segment goes back to the pool once no replica's log holds a
// batch in it: every log holds its batches in append order, so only the oldest segment needs checking, against the
// first batch of each log.
import { sandboxBuffers, type BufferPool } from '../buffer-pool.js';

export const SEGMENT_BYTES = 1024 * 1024;

interface Segment {
  buf: Buffer;
  used: number;
}

/** What the store needs to see of a replica's log. */
interface LogHead {
  readonly batches: readonly { readonly bytes: Buffer }[];
}

export class BatchStore {
  private segments: Segment[] = [];

  constructor(private readonly pool: BufferPool = sandboxBuffers) {}

  /**
   * `bytes` in the store, for a log to keep: a copy, or, for a batch that fills most of a buffer lent by the pool (a
   * request frame gathered from a socket, as kcat's 1 MB batches are), that buffer itself, kept as a segment of its
   * own. A copy would cost as much memory (the frame goes back to the pool, a segment is taken) plus a pass over
   * every byte, about a tenth of the sandbox's CPU under such a load.
   */
  copyIn(bytes: Uint8Array): Buffer {
    if (bytes.length * 2 >= bytes.buffer.byteLength && this.pool.retain(bytes)) {
      const whole = Buffer.from(bytes.buffer, 0, bytes.buffer.byteLength);
      this.segments.push({ buf: whole, used: whole.length });
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
    }
    let seg = this.segments.at(-1);
    if (!seg || seg.buf.length - seg.used < bytes.length) {
      seg = { buf: this.pool.take(Math.max(bytes.length, SEGMENT_BYTES)), used: 0 };
      this.segments.push(seg);
    }
    const out = seg.buf.subarray(seg.used, seg.used + bytes.length);
    out.set(bytes);
    seg.used += bytes.length;
    return out;
  }

  /**
   * Gives back the oldest segments no log holds a batch of (never the one being filled). It runs at every append
   * and every follower copy, so it walks the logs with forEach and one callback made once (no iterator, list or
   * closure per call).
   */
  releaseUnused(logs: ReadonlyMap<number, LogHead>): void {
    while (this.segments.length > 1) {
      this.probed = this.segments[0].buf.buffer;
      this.probeHeld = false;
      logs.forEach(this.probeHead);
      this.probed = null;
      if (this.probeHeld) return;
      this.pool.release(this.segments.shift()!.buf);
    }
  }

  /** releaseUnused's walk: the segment looked for, and whether a log's first batch lies in it. */
  private probed: ArrayBufferLike | null = null;
  private probeHeld = false;
  private readonly probeHead = (log: LogHead): void => {
    if (log.batches.length > 0 && log.batches[0].bytes.buffer === this.probed) this.probeHeld = true;
  };

  /** Bytes of the segments held (in use or being filled). */
  get heldBytes(): number {
    let n = 0;
    for (const s of this.segments) n += s.buf.length;
    return n;
  }
}
