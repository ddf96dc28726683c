// Reusable buffers for the sandbox's byte path: request frames that span socket chunks, and the segments partition
// logs keep their batches in. Why a pool: a Node Buffer is freed only when V8 collects it, and V8 lets tens of MB of
// dead external memory pile up between collections (then malloc keeps the pages); at a few hundred MB/s of
// produce traffic that was most of the sandbox's peak RSS. Buffers handed back are reused from the next turn of the
// event loop, so the memory in use stays near what is really held. Hand-written: npm's buffer pools recycle fixed-size slabs for one owner;
// this needs size classes and a release that waits out the current turn (see `release`).

/** Smallest and largest pooled capacities (powers of two); other sizes are plain allocations. */
const MIN_CLASS = 64 * 1024;
const MAX_CLASS = 4 * 1024 * 1024;

export class BufferPool {
  /** Free buffers by capacity. */
  private free = new Map<number, ArrayBuffer[]>();
  private freeBytes = 0;
  /** Buffers handed out by `take` and not yet released, with how many holders each has: only these are reused. */
  private readonly lent = new WeakMap<ArrayBuffer, number>();
  /** Released this turn; free from the next (see `release`). */
  private cooling: ArrayBuffer[] = [];
  private coolingScheduled = false;

  /** @param maxFreeBytes most bytes kept free for reuse (beyond that, released buffers are left to the GC). */
  constructor(private readonly maxFreeBytes: number) {}

  /** `size` uninitialised bytes, in a buffer of its own (byteOffset 0) that `release` may later recycle. */
  take(size: number): Buffer {
    if (size > MAX_CLASS) return Buffer.allocUnsafeSlow(size);
    const capacity = classOf(size);
    const list = this.free.get(capacity);
    let ab = list?.pop();
    if (ab) this.freeBytes -= capacity;
    else ab = Buffer.allocUnsafeSlow(capacity).buffer as ArrayBuffer;
    this.lent.set(ab, 1);
    return Buffer.from(ab, 0, size);
  }

  /** Whether `buf` lies in a buffer this pool lent out (and that was not released since). */
  owns(buf: Uint8Array): boolean {
    return this.lent.has(buf.buffer as ArrayBuffer);
  }

  /**
   * One more holder of the buffer `buf` lies in (a partition log keeping a request frame's batch): it goes back to
   * the pool only once every holder has released it. False, and nothing changes, when this pool did not lend it.
   */
  retain(buf: Uint8Array): boolean {
    const ab = buf.buffer as ArrayBuffer;
    const holders = this.lent.get(ab);
    if (holders === undefined) return false;
    this.lent.set(ab, holders + 1);
    return true;
  }

  /**
   * Gives back the buffer `buf` lies in (once its last holder does); nothing may read it afterwards. It becomes reusable only on the next turn
   * of the event loop: a handler may still hold a view it read this turn (a Fetch response not yet encoded).
   * Anything not lent by this pool, or released already, is ignored.
   */
  release(buf: Uint8Array): void {
    const ab = buf.buffer as ArrayBuffer;
    const holders = this.lent.get(ab);
    if (holders === undefined) return;
    if (holders > 1) {
      this.lent.set(ab, holders - 1);
      return;
    }
    this.lent.delete(ab);
    this.cooling.push(ab);
    if (this.coolingScheduled) return;
    this.coolingScheduled = true;
    setImmediate(() => {
      this.coolingScheduled = false;
      const done = this.cooling;
      this.cooling = [];
      for (const b of done) {
        if (this.freeBytes + b.byteLength > this.maxFreeBytes) continue;
        let list = this.free.get(b.byteLength);
        if (!list) this.free.set(b.byteLength, (list = []));
        list.push(b);
        this.freeBytes += b.byteLength;
      }
    });
  }

  /** Bytes kept free for reuse. */
  get idleBytes(): number {
    return this.freeBytes;
  }
}

function classOf(size: number): number {
  let c = MIN_CLASS;
  while (c < size) c *= 2;
  return c;
}

/**
 * The pool the sandbox's connections and partition logs share (one per process: a test's several sandboxes share
 * it too). Free buffers are ones that were in use a moment ago, so keeping them costs no more than the peak already
 * reached, while each one dropped becomes garbage that stays resident until V8 collects it: with an 8 MiB bound,
 * three kcat connections' 2 MB requests in flight overflowed it and the peak RSS rose by ~25 MB. 32 MiB bounds it.
 */
export const sandboxBuffers = new BufferPool(32 * 1024 * 1024);
