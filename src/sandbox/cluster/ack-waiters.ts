// Produce requests with acks=all waiting for the high watermark to cover their batch (Kafka's delayed-produce
// purgatory): each resolves with an error code once decided, or REQUEST_TIMED_OUT after the request's timeout.
import { ErrorCode } from '../../wire/error-codes.js';
import type { Clock } from '../../wire/clock.js';

interface Waiter {
  /** The high watermark that covers the batch: its last offset + 1. */
  offset: number;
  resolve: (error: number) => void;
  timer: unknown;
}

export class AckWaiters {
  private waiters: Waiter[] = [];

  constructor(private readonly clock: Clock) {}

  wait(coveringOffset: number, timeoutMs: number): Promise<number> {
    return new Promise((resolve) => {
      const waiter: Waiter = { offset: coveringOffset, resolve, timer: undefined };
      waiter.timer = this.clock.setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve(ErrorCode.REQUEST_TIMED_OUT);
      }, Math.max(0, timeoutMs));
      this.waiters.push(waiter);
    });
  }

  /** Resolves every waiter `decide` has an answer for (undefined: keep waiting). */
  settle(decide: (coveringOffset: number) => number | undefined): void {
    if (this.waiters.length === 0) return;
    const keep: Waiter[] = [];
    for (const w of this.waiters) {
      const result = decide(w.offset);
      if (result === undefined) keep.push(w);
      else {
        this.clock.clearTimeout(w.timer);
        w.resolve(result);
      }
    }
    this.waiters = keep;
  }

  /** Answers every waiter with `error` (leadership moved, partition deleted). */
  failAll(error: number): void {
    for (const w of this.waiters) {
      this.clock.clearTimeout(w.timer);
      w.resolve(error);
    }
    this.waiters = [];
  }
}
