// Cluster events recorded for a test, and waiting on the cluster without timing assertions.
import type { ClusterEvent } from '../../src/sandbox/cluster/events.js';
import type { Sandbox } from '../../src/sandbox/sandbox.js';

export type EventOf<T extends ClusterEvent['type']> = Extract<ClusterEvent, { type: T }>;

export class EventRecorder {
  readonly events: ClusterEvent[] = [];
  private readonly off: () => void;

  constructor(sandbox: Sandbox) {
    this.off = sandbox.cluster.on((e) => this.events.push(e));
  }

  of<T extends ClusterEvent['type']>(type: T, filter: (e: EventOf<T>) => boolean = () => true): EventOf<T>[] {
    return this.events.filter((e): e is EventOf<T> => e.type === type && filter(e as EventOf<T>));
  }

  stop(): void {
    this.off();
  }
}

/**
 * Polls `cond` (sync or async) until it holds; fails with `what` after `timeoutMs` (a guard against hangs, not a
 * timing assertion). `what` may be a function, for a message that shows the state at the time of the failure.
 * The one poller of the tests: test files and helpers wait through it rather than their own loops.
 */
export async function waitUntil(
  cond: () => boolean | Promise<boolean>,
  what: string | (() => string),
  timeoutMs = 15_000,
  intervalMs = 10,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${typeof what === 'function' ? what() : what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
