/**
 * The workload's rate: tokens accrue at R per second of clock time and are taken whole, the fraction carried
 * over, so 7 records per second over 10 ms ticks still makes exactly 7 a second. The rate can change at any
 * moment; time before the change accrues at the old rate. Pure: the caller passes the time.
 */
export const MAX_RATE = 10_000_000;

export function checkRate(ratePerSec: number): string | null {
  if (!Number.isFinite(ratePerSec) || ratePerSec < 0 || ratePerSec > MAX_RATE) {
    return `rate must be a number of records per second from 0 to ${MAX_RATE}; got ${ratePerSec}`;
  }
  return null;
}

export class TokenBucket {
  private tokens: number;
  private last: number;

  /** Starts with one token, so the first record goes at once rather than one interval later. */
  constructor(
    private rate: number,
    now: number,
  ) {
    const problem = checkRate(rate);
    if (problem) throw new RangeError(problem);
    this.last = now;
    this.tokens = rate > 0 ? 1 : 0;
  }

  get ratePerSec(): number {
    return this.rate;
  }

  setRate(rate: number, now: number): void {
    const problem = checkRate(rate);
    if (problem) throw new RangeError(problem);
    this.accrue(now);
    this.rate = rate;
  }

  /** Whole tokens due by `now`; they are removed from the bucket. */
  take(now: number): number {
    this.accrue(now);
    const whole = Math.floor(this.tokens);
    this.tokens -= whole;
    return whole;
  }

  private accrue(now: number): void {
    // A clock that goes backwards (a test, a system clock step) accrues nothing rather than negative tokens.
    if (now > this.last) this.tokens += (this.rate * (now - this.last)) / 1000;
    this.last = Math.max(this.last, now);
  }
}
