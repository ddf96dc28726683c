// Records the transaction labs send, carrying the run's audit stamp (run id, sequence) like the workload's,
// but settled in the run's ledger only when their transaction ends: acknowledged when it commits, failed when it
// aborts or its producer is fenced. Inside a transaction a delivery report only says the leader has the record;
// whether a read_committed reader ever gets it is decided by the commit, and that is what the audit must count.
import type { DeliveryError, DeliveryReport } from '../../kafka/producer/engine-types.js';
import type { ProducerEngine } from '../../kafka/producer/producer-engine.js';
import type { RunLedger } from '../../kafka/workload/run-ledger.js';

/** One record of the run: its audit id (key and sequence) and, once sent, its delivery report. */
export interface TxnRecord {
  key: string;
  seq: number;
  report: DeliveryReport;
}

export type TxnEnd = 'committed' | 'aborted' | 'fenced';

/** The id the read-back counts copies by: the same (key, seq) the delivery audit uses. */
export const auditId = (key: string, seq: number): string => `${key}#${seq}`;

/** Stamps and sends one record through `engine` (inside its open transaction); resolves with its report. */
export async function sendStamped(engine: ProducerEngine, ledger: RunLedger, topic: string, key: string, value: string): Promise<TxnRecord> {
  const seq = ledger.take(key);
  const report = await engine.send({ topic, key: Buffer.from(key), value: Buffer.from(value), headers: [], sequenceHeader: ledger.stamp, sequence: seq });
  return { key, seq, report };
}

/** Sends n records of the given keys (round robin) concurrently, as an application writes a transaction's records. */
export function sendMany(
  engine: ProducerEngine,
  ledger: RunLedger,
  topic: string,
  n: number,
  keys: readonly string[],
  value: (i: number) => string,
): Promise<TxnRecord[]> {
  return Promise.all(Array.from({ length: n }, (_, i) => sendStamped(engine, ledger, topic, keys[i % keys.length], value(i))));
}

const ENDED: Record<Exclude<TxnEnd, 'committed'>, DeliveryError> = {
  aborted: { message: 'its transaction was aborted: read_committed readers never get it', code: 'TRANSACTION_ABORTED', retriable: false },
  fenced: { message: 'its producer was fenced before the commit: the transaction was aborted', code: 'PRODUCER_FENCED', retriable: false },
};

/** Settles the records of one transaction in the ledger; a record whose own send failed stays failed. */
export function settle(ledger: RunLedger, records: readonly TxnRecord[], end: TxnEnd): void {
  for (const r of records) {
    const report = end === 'committed' || r.report.error ? r.report : { ...r.report, error: ENDED[end] };
    ledger.settle(r.key, r.seq, report);
  }
}

/** The first and last offset of the acknowledged records (null when none was). */
export function offsetRange(records: readonly TxnRecord[]): { first: number; last: number } | null {
  const offsets = records.map((r) => r.report.offset).filter((o): o is number => o !== null);
  return offsets.length === 0 ? null : { first: Math.min(...offsets), last: Math.max(...offsets) };
}
