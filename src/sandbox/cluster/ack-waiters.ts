// Produce requests with acks=all waiting for the high watermark to cover their batch (Kafka's delayed-produce
// purgatory): each resolves with an error code once decided, or REQUEST_TIMED_OUT after the request's timeout.
import { ErrorCode } from '../../wire/error-codes.js';
import type { Clock, TimerHandle } from '../../wire/clock.js';

interface Waiter {
  /** The high watermark that covers the batch: its last offset + 1. */
  offset: number;
  /** Clock time at which it times out. */
  deadline: number;
  resolve: (error: number) => void;
}

/**
 * One timer for all waiters, armed for the earliest deadline, rather than one per request: nearly every waiter is
 * settled long before its timeout, and a timer made and cleared per acks=all request was work for nothing. When it
 * fires it times out the waiters that are due and re-arms for the next deadline, if any waiter is left.
 */
export class AckWaiters {
  private waiters: Waiter[] = [];
  private timer: TimerHandle | undefined;
  /** When the armed timer fires (Infinity: none armed). */
  private timerAt = Infinity;

  constructor(private readonly clock: Clock) {}

  wait(coveringOffset: number, timeoutMs: number): Promise<number> {
    return new Promise((resolve) => {
      const deadline = this.clock.now() + Math.max(0, timeoutMs);
      this.waiters.push({ offset: coveringOffset, deadline, resolve });
      if (deadline < this.timerAt) this.arm(deadline);
    });
  }

  private arm(at: number): void {
    if (this.timerAt < Infinity) this.clock.clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = this.clock.setTimeout(() => this.expire(), Math.max(0, at - this.clock.now()));
  }

  private expire(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    const now = this.clock.now();
    const keep: Waiter[] = [];
    let next = Infinity;
    for (const w of this.waiters) {
      if (w.deadline <= now) w.resolve(ErrorCode.REQUEST_TIMED_OUT);
      else {
        keep.push(w);
        next = Math.min(next, w.deadline);
      }
    }
    this.waiters = keep;
    if (next < Infinity) this.arm(next);
  }

  /** Resolves every waiter `decide` has an answer for (undefined: keep waiting). */
  settle(decide: (coveringOffset: number) => number | undefined): void {
    // In place: it runs at every append and every follower copy. Resolving only queues the answer, so nothing
    // re-enters while the list is compacted.
    const waiters = this.waiters;
    let kept = 0;
    for (let i = 0; i < waiters.length; i++) {
      const w = waiters[i];
      const result = decide(w.offset);
      if (result === undefined) waiters[kept++] = w;
      else w.resolve(result);
    }
    waiters.length = kept;
  }

  /** Answers every waiter with `error` (leadership moved, partition deleted). */
  failAll(error: number): void {
    for (const w of this.waiters) w.resolve(error);
    this.waiters = [];
  }
}
