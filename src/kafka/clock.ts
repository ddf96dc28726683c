/**
 * Time as the engine sees it. The accumulator's behaviour is all about time (linger.ms, delivery.timeout.ms,
 * max.block.ms, retry backoff), so it takes a Clock instead of calling Date.now/setTimeout: tests drive a fake
 * one and check "nothing is sent at 4 ms, the batch goes at 5 ms" exactly.
 */

export type TimerHandle = unknown;

export interface Clock {
  /** Milliseconds since the epoch (record timestamps use it too). */
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
