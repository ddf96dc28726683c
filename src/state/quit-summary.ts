// What quitting prints last: one summary of every record handed to the producer — acknowledged, failed, or
// abandoned at quit — each record counted once, and the exit code (0 only when nothing was lost). Kept from the
// delivery reports as they arrive, so it is true whichever way the app leaves (flushed, timed out, q twice, crash).
import type { BatchDelivery, EngineTotals } from '../kafka/producer/engine-types.js';
import { plural } from '../kafka/producer/plural.js';

export interface QuitCounts {
  /** Distinct records handed to the producer (a re-sent dead letter counts once). */
  sent: number;
  acknowledged: number;
  /** Records that failed for good before the app stopped waiting for them (the real count, not the dead-letter list's). */
  failed: number;
  /** Records the app stopped waiting for at quit: failed by closing the producer, or with no answer yet. */
  abandoned: number;
  /** acks=0: "acknowledged" means written to the socket, not confirmed by a broker. */
  unconfirmed: boolean;
}

export type QuitHow = 'flushed' | 'flush-timeout' | 'forced' | 'crashed' | 'not-connected';

export class DeliveryTally {
  private acked = 0;
  private failed = 0;
  private closedFailures = 0;
  private resent = 0;
  /** From this moment (epoch ms) failures are the quit's doing: the flush time is over and the producer is closing. */
  private abandonFrom: number | null = null;

  constructor(private readonly now: () => number = Date.now) {}

  /** Records reported together (a batch's share every outcome). */
  onDelivered(d: Pick<BatchDelivery, 'count' | 'error'>): void {
    if (!d.error) this.acked += d.count;
    else if (d.error.code === 'PRODUCER_CLOSED' || (this.abandonFrom !== null && this.now() >= this.abandonFrom)) this.closedFailures += d.count;
    else this.failed += d.count;
  }

  /** Dead letters handed to the producer again: each was a failure and is now a record on its way once more. */
  onResent(n: number): void {
    this.resent += n;
  }

  /** Quitting began: failures after `flushMs` come from closing the producer, not from the cluster. */
  quitting(flushMs: number): void {
    this.abandonFrom ??= this.now() + flushMs;
  }

  /** The counts now; `handed` is the engine's count of records handed to it (each gets one report, eventually). */
  counts(handed: number, acksZero: boolean): QuitCounts {
    const failed = Math.max(0, this.failed - this.resent);
    const sent = Math.max(0, handed - this.resent);
    const noAnswer = Math.max(0, sent - this.acked - failed - this.closedFailures);
    return { sent, acknowledged: this.acked, failed, abandoned: this.closedFailures + noAnswer, unconfirmed: acksZero };
  }
}

const n = (x: number) => x.toLocaleString('en-US');

/** The summary's lines, printed after the screen is restored. */
export function summaryLines(c: QuitCounts, how: QuitHow, flushMs: number): string[] {
  const acked = c.unconfirmed ? `sent without acknowledgement (acks=0) ${n(c.acknowledged)}` : `acknowledged ${n(c.acknowledged)}`;
  const counts = `sent ${n(c.sent)} · ${acked} · failed ${n(c.failed)} · abandoned at quit ${n(c.abandoned)}`;
  // One line when it fits 80 columns; else the name on its own line, so the terminal never wraps inside a number.
  const lines = `kafka-producer-tui: ${counts}`.length <= 80 ? [`kafka-producer-tui: ${counts}`] : ['kafka-producer-tui:', counts];
  if (c.abandoned > 0) {
    const why =
      how === 'forced' ? 'quit at once (q again) without waiting for them'
      : how === 'crashed' ? 'the app crashed before they were answered'
      : `the cluster did not take them within ${flushMs / 1000} s of quitting`;
    // Two lines that fit 80 columns: the terminal would wrap one long line in the middle of a word.
    lines.push(`${plural(c.abandoned, 'record')} abandoned: ${why}.`, 'Those already on the wire may have been written all the same.');
  }
  return lines;
}

/** 0 only when nothing was lost: every record handed to the producer was acknowledged. */
export function exitCodeFor(c: QuitCounts): number {
  return c.failed > 0 || c.abandoned > 0 ? 1 : 0;
}

/**
 * What the flush waits for: every record handed to the producer without an answer, queued or on the wire, so the
 * figure is the one the quit summary counts as abandoned if the flush runs out of time.
 */
export function flushText(t: EngineTotals, flushMs: number): string {
  const waiting = (t.handed ?? t.appended) - t.acked - t.failed;
  if (waiting <= 0) return 'closing...';
  const queued = Math.min(t.queuedRecords, waiting);
  const blocked = Math.min(t.waitingAppends, waiting - queued);
  const parts = [`${n(queued)} queued`, `${n(waiting - queued - blocked)} in flight`, ...(blocked > 0 ? [`${n(blocked)} waiting for buffer.memory`] : [])];
  return `flushing ${plural(waiting, 'unacknowledged record')} (${parts.join(', ')}; up to ${flushMs / 1000} s)...`;
}
