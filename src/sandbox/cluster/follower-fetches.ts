// When each follower of one partition next copies from its leader: a timer per follower with a replication delay,
// or, without one, at the end of the current turn (after an election, a rejoin, an ISR check: an append itself is
// copied to such a follower at once, see Partition.followAppend). One microtask serves every follower due now,
// rather than one microtask and closure per follower.
import type { Clock } from '../../wire/clock.js';

/** A follower's fetch queued for the end of the current turn rather than on a timer. */
const IMMEDIATE = Symbol('fetch-now');

export class FollowerFetches {
  /** Per follower: its fetch timer, or IMMEDIATE while it waits in dueNow. */
  private readonly armed = new Map<number, unknown>();
  private dueNow: number[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly fetch: (follower: number) => void,
  ) {}

  isArmed(follower: number): boolean {
    return this.armed.has(follower);
  }

  /** Fetches for `follower` in `ms` (0 with `now`: at the end of this turn). */
  arm(follower: number, ms: number, now: boolean): void {
    if (now) {
      this.armed.set(follower, IMMEDIATE);
      if (this.dueNow.push(follower) === 1) queueMicrotask(this.runDueNow);
      return;
    }
    const timer: unknown = this.clock.setTimeout(() => this.run(follower, timer), ms);
    this.armed.set(follower, timer);
  }

  cancel(follower: number): void {
    const t = this.armed.get(follower);
    if (t !== undefined && t !== IMMEDIATE) this.clock.clearTimeout(t);
    this.armed.delete(follower);
  }

  cancelAll(): void {
    for (const t of this.armed.values()) if (t !== IMMEDIATE) this.clock.clearTimeout(t);
    this.armed.clear();
  }

  private readonly runDueNow = (): void => {
    const due = this.dueNow;
    this.dueNow = [];
    for (const follower of due) this.run(follower, IMMEDIATE);
  };

  private run(follower: number, token: unknown): void {
    if (this.armed.get(follower) !== token) return; // cancelled, re-armed or already run meanwhile
    this.armed.delete(follower);
    this.fetch(follower);
  }
}
