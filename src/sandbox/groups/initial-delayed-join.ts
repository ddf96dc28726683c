// Kafka's InitialDelayedJoin: a group's first rebalance (from Empty) waits group.initial.rebalance.delay.ms so that
// consumers starting together land in one generation; each member that joins meanwhile extends the wait by the
// delay again, never past the rebalance timeout.
import type { Clock } from '../../wire/clock.js';

export class InitialDelayedJoin {
  private timer: unknown;
  private newMemberAdded = false;
  private remainingMs: number;

  constructor(
    private readonly clock: Clock,
    private readonly delayMs: number,
    rebalanceTimeoutMs: number,
    private readonly onComplete: () => void,
  ) {
    this.remainingMs = Math.max(rebalanceTimeoutMs - delayMs, 0);
    this.timer = clock.setTimeout(() => this.expire(), Math.min(delayMs, rebalanceTimeoutMs));
  }

  memberAdded(): void {
    this.newMemberAdded = true;
  }

  cancel(): void {
    this.clock.clearTimeout(this.timer);
  }

  private expire(): void {
    if (this.newMemberAdded && this.remainingMs > 0) {
      const next = Math.min(this.delayMs, this.remainingMs);
      this.remainingMs -= next;
      this.newMemberAdded = false;
      this.timer = this.clock.setTimeout(() => this.expire(), next);
      return;
    }
    this.onComplete();
  }
}
