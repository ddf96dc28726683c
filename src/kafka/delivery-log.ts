// Delivery reports as they arrive (the latest few hundred) and the dead-letter list: records that failed for
// good, kept with what is needed to send them again. Both bounded; nothing is dropped silently (counts say so).
import type { DeliveryReport, OutgoingRecord } from './engine-types.js';

export interface DeadLetter {
  report: DeliveryReport;
  record: OutgoingRecord;
}

export class DeliveryLog {
  private recent: DeliveryReport[] = [];
  private dead: DeadLetter[] = [];
  /** Dead letters pushed out of the list by newer ones. */
  deadDropped = 0;

  constructor(
    private readonly recentCapacity = 500,
    private readonly deadCapacity = 1000,
  ) {}

  add(report: DeliveryReport, record: OutgoingRecord): void {
    this.recent.push(report);
    if (this.recent.length > this.recentCapacity * 2) this.recent = this.recent.slice(-this.recentCapacity);
    if (report.error) {
      this.dead.push({ report, record });
      if (this.dead.length > this.deadCapacity) {
        this.deadDropped += this.dead.length - this.deadCapacity;
        this.dead = this.dead.slice(-this.deadCapacity);
      }
    }
  }

  latest(n: number): DeliveryReport[] {
    return this.recent.slice(-n);
  }

  deadLetters(): readonly DeadLetter[] {
    return this.dead;
  }

  /** Removes dead letters (to re-send them); returns the removed entries. */
  takeDeadLetters(ids?: readonly number[]): DeadLetter[] {
    if (!ids) return this.dead.splice(0);
    const want = new Set(ids);
    const taken = this.dead.filter((d) => want.has(d.report.id));
    this.dead = this.dead.filter((d) => !want.has(d.report.id));
    return taken;
  }
}
