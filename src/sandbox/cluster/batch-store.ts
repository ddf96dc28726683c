// The bytes of one partition's stored batches, shared by all its replicas' logs: 1 MiB segments from the sandbox's
// buffer pool, filled in append order (a batch larger than a segment gets a buffer of its own). A batch is copied in
// once, when the leader appends it; the request frame it came in is then free at once, rather than pinned, whole,
// for as long as retention keeps any one batch of it. A segment goes back to the pool once no replica's log holds a
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

  /** A copy of `bytes` in the store, for a log to keep. */
  copyIn(bytes: Uint8Array): Buffer {
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

  /** Gives back the oldest segments no log holds a batch of (never the one being filled). */
  releaseUnused(logs: Iterable<LogHead>): void {
    if (this.segments.length < 2) return;
    const heads: Buffer[] = [];
    for (const log of logs) if (log.batches.length > 0) heads.push(log.batches[0].bytes);
    while (this.segments.length > 1) {
      const oldest = this.segments[0].buf.buffer;
      if (heads.some((h) => h.buffer === oldest)) return;
      this.pool.release(this.segments.shift()!.buf);
    }
  }

  /** Bytes of the segments held (in use or being filled). */
  get heldBytes(): number {
    let n = 0;
    for (const s of this.segments) n += s.buf.length;
    return n;
  }
}
