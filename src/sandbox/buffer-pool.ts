// Reusable buffers for the sandbox's byte path: request frames that span socket chunks, and the segments partition
// logs keep their batches in. Why a pool: a Node Buffer is freed only when V8 collects it, and V8 lets tens of MB of
// dead external memory pile up between collections (then malloc keeps the pages); at a few hundred MB/s of
// produce traffic that was most of the sandbox's peak RSS. Buffers handed back are reused from the next turn of the
// event loop, and those past the bound are freed there and then, so the memory in use stays near what is really held. Hand-written: npm's buffer pools recycle fixed-size slabs for one owner;
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

  /** @param maxFreeBytes most bytes kept free for reuse (beyond that, released buffers are freed). */
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
        if (this.freeBytes + b.byteLength > this.maxFreeBytes) {
          freeNow(b);
          continue;
        }
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

/** ES2024's ArrayBuffer.prototype.transfer (Node 22 has it; the project's lib is ES2023). */
type Transferable = ArrayBuffer & { transfer(newLength: number): ArrayBuffer; readonly detached: boolean };

/**
 * Gives the memory of `buf` back to malloc now, instead of whenever V8 next collects it, when `buf` spans the whole of
 * its ArrayBuffer (a socket chunk once copied out, a pooled buffer dropped): transfer(0) detaches the ArrayBuffer and
 * frees its bytes at once. Every view of it reads as empty afterwards, so only the buffer's sole user may call it.
 * Without this, dead socket chunks and dropped buffers piled up between collections, tens of MB under produce load
 * (V8 starts a collection for external memory only past 64 MB). Returns whether it freed anything.
 */
export function freeNow(buf: Uint8Array | ArrayBuffer): boolean {
  const ab = (buf instanceof ArrayBuffer ? buf : buf.buffer) as Transferable;
  if (!(ab instanceof ArrayBuffer) || ab.detached || typeof ab.transfer !== 'function') return false;
  if (!(buf instanceof ArrayBuffer) && (buf.byteOffset !== 0 || buf.byteLength !== ab.byteLength)) return false;
  ab.transfer(0);
  return true;
}

function classOf(size: number): number {
  let c = MIN_CLASS;
  while (c < size) c *= 2;
  return c;
}

/**
 * The pool the sandbox's connections and partition logs share (one per process: a test's several sandboxes share
 * it too). Free buffers are ones that were in use a moment ago, so keeping them costs no more than the peak already
 * reached; one dropped past the bound is freed at once (`freeNow`), so the bound only decides how much stays
 * reserved after a burst. kcat's 1M-record loads peaked the same with 4, 8 and 32 MiB (bench/kcat-sandbox-vs-mock.ts).
 */
export const sandboxBuffers = new BufferPool(8 * 1024 * 1024);
