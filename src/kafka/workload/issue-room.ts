// How many records a workload may issue now: at most maxOutstanding awaiting their report, and none while the
// engine has appends waiting for buffer.memory (but one while none of ours is outstanding, so a run moves on).
import type { Clock } from '../../wire/clock.js';
import type { WorkloadEngine } from './workload-types.js';

export class IssueRoom {
  private waiting = { at: -1, calls: 0, value: 0 };

  constructor(
    private readonly engine: WorkloadEngine,
    private readonly clock: Clock,
    readonly maxOutstanding: number,
  ) {}

  /** Records that may be issued now, with `outstanding` of ours awaiting their report. */
  capacity(outstanding: number): number {
    const room = this.maxOutstanding - outstanding;
    if (room <= 0) return 0;
    if (this.waitingAppends() > 0) return outstanding > 0 ? 0 : 1;
    return room;
  }

  /** Appends waiting for memory. engine.totals() walks every partition queue: read at most once per clock millisecond and 256 calls. */
  private waitingAppends(): number {
    if (this.engine.waitingForMemory) return this.engine.waitingForMemory();
    const now = this.clock.now();
    if (now !== this.waiting.at || ++this.waiting.calls >= 256) {
      this.waiting = { at: now, calls: 0, value: this.engine.totals().waitingAppends };
    }
    return this.waiting.value;
  }
}
