/**
 * Time, injectable. Both sides of the wire are all about time — the producer's linger.ms, delivery.timeout.ms and
 * retry backoff; the cluster's replication lag and request timeouts — so they take a Clock instead of calling
 * Date.now/setTimeout: tests drive a fake one and check "nothing is sent at 4 ms, the batch goes at 5 ms" exactly.
 */

export type TimerHandle = unknown;

export interface Clock {
  /** Milliseconds since the epoch (record timestamps use it too). */
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** The producer's clock: its timers keep the process alive, as pending sends should. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** The cluster's clock: its timers never hold the process open on their own (a server closes by its sockets). */
export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
