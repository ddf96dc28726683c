/**
 * The audit stamp: every record a run sends carries one header, `kpt`, whose value is the run id and the record's
 * sequence among the run's records of its key, e.g. `kpt: 3f2a9c1b:42` (how kcat shows it). The delivery audit reads
 * records back and judges each (run, key, sequence) it finds: lost, duplicated, reordered.
 *
 * One header of about 20 bytes a record. Until 2026-12-07 it was two (kpt.run and kpt.seq): 32 bytes on every record,
 * a third of a 100-byte record, so a full batch held 22% fewer of the user's records than without the audit, and
 * the records per batch, batch fill and bytes per second the app teaches with were the audit's as much as the
 * user's. Same information, same text, 12 bytes fewer.
 */
import type { SequenceHeader } from '../producer/engine-types.js';

export const STAMP_HEADER = 'kpt';
const SEPARATOR = ':';
const SEPARATOR_CODE = SEPARATOR.charCodeAt(0);

/** The stamp of a run's records, for the engine to write with each record's sequence (no string per record). */
export const stampHeader = (runId: string): SequenceHeader => ({ key: STAMP_HEADER, prefix: `${runId}${SEPARATOR}` });

/** The stamp's text for record `seq` of run `runId`. */
export const stampText = (runId: string, seq: number): string => `${runId}${SEPARATOR}${seq}`;

/** Longest sequence read: 15 digits stay exact in a JS number. */
const MAX_DIGITS = 15;

/**
 * The sequence a stamp gives a record of run `runId`: -1 when the stamp is absent or another run's, NaN when it is
 * this run's but its sequence is not a whole number. Read without slicing the text (the live audit reads every
 * record of the topic).
 */
export function stampSequence(stamp: string | null, runId: string): number {
  const start = runId.length + 1;
  if (stamp === null || stamp.length < start || stamp.charCodeAt(runId.length) !== SEPARATOR_CODE || !stamp.startsWith(runId)) return -1;
  const digits = stamp.length - start;
  if (digits < 1 || digits > MAX_DIGITS) return NaN;
  let n = 0;
  for (let i = start; i < stamp.length; i++) {
    const d = stamp.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return NaN;
    n = n * 10 + d;
  }
  return n;
}
