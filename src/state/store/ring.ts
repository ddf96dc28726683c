// A fixed-capacity series of numbers (one per second in the store): memory stays the same however long the app runs.

export class Ring {
  private readonly buf: Float64Array;
  private start = 0;
  private size = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`ring capacity must be a whole number >= 1, got ${capacity}`);
    this.buf = new Float64Array(capacity);
  }

  get length(): number {
    return this.size;
  }

  push(value: number): void {
    // Charts cannot draw NaN or Infinity (asciichart throws): a missing value is a zero.
    const v = Number.isFinite(value) ? value : 0;
    if (this.size < this.capacity) {
      this.buf[(this.start + this.size) % this.capacity] = v;
      this.size++;
    } else {
      this.buf[this.start] = v;
      this.start = (this.start + 1) % this.capacity;
    }
  }

  /** The newest value, or 0 when empty. */
  latest(): number {
    return this.size === 0 ? 0 : this.buf[(this.start + this.size - 1) % this.capacity];
  }

  /** The last `n` values, oldest first, left-padded with zeros when fewer were recorded (so charts keep their width). */
  last(n: number): number[] {
    const out = new Array<number>(n).fill(0);
    const take = Math.min(n, this.size);
    for (let i = 0; i < take; i++) {
      out[n - take + i] = this.buf[(this.start + this.size - take + i) % this.capacity];
    }
    return out;
  }
}
