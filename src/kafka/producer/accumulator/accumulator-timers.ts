// The accumulator's two timers: one for the earliest linger or backoff end, one for the earliest deadline (a batch's
// delivery.timeout.ms, a waiting append's max.block.ms). A timer that fires no later than needed is kept, since
// firing early only makes the accumulator look again. The deadline timer is kept even when nothing is due, merely
// unref'd then (it must not hold the process open on its own, yet a batch that may still time out must): a fresh
// deadline per batch, cleared at its answer, made and dropped one of Node's per-duration timer lists per request,
// two of the costliest calls of a request while that code is still cold.
import type { Clock, TimerHandle } from '../../../wire/clock.js';

interface ArmedTimer {
  readonly handle: TimerHandle;
  readonly at: number;
}

export class AccumulatorTimers {
  private soon: ArmedTimer | null = null;
  private deadline: ArmedTimer | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly fire: () => void,
  ) {}

  /** The times to look again (Infinity: none). */
  set(soonAt: number, deadlineAt: number, now: number): void {
    this.soon = this.arm(this.soon, soonAt, now, true, this.onSoon);
    this.deadline = this.arm(this.deadline, deadlineAt, now, false, this.onDeadline);
    if (this.deadline !== null) setRef(this.deadline.handle, deadlineAt !== Infinity);
  }

  clear(): void {
    if (this.soon) this.clock.clearTimeout(this.soon.handle);
    if (this.deadline) this.clock.clearTimeout(this.deadline.handle);
    this.soon = this.deadline = null;
  }

  /** `timer` kept when it fires no later than `at` (or, unless `drop`, when nothing is due); else a new one. */
  private arm(timer: ArmedTimer | null, at: number, now: number, drop: boolean, fn: () => void): ArmedTimer | null {
    if (timer !== null && (at === Infinity ? !drop : timer.at <= at)) return timer;
    if (timer !== null) this.clock.clearTimeout(timer.handle);
    if (at === Infinity) return null;
    return { handle: this.clock.setTimeout(fn, Math.max(0, at - now)), at };
  }

  private readonly onSoon = (): void => {
    this.soon = null;
    this.fire();
  };

  private readonly onDeadline = (): void => {
    this.deadline = null;
    this.fire();
  };
}

/** A Node timer's hold on the process (a test clock's handles have none). */
function setRef(handle: TimerHandle, ref: boolean): void {
  const t = handle as { ref?: () => void; unref?: () => void; hasRef?: () => boolean };
  if (t.hasRef === undefined || t.hasRef() === ref) return;
  if (ref) t.ref!();
  else t.unref!();
}
