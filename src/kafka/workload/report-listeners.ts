// Who hears a workload's delivery reports: per record (the report, its key and audit sequence) or per batch (one
// call per batch report). Listeners are kept in arrays replaced on change, so a report is fanned out without a copy.
import { OneRecordDelivery } from '../producer/batch-delivery.js';
import type { BatchDelivery, DeliveryReport, OutgoingRecord } from '../producer/engine-types.js';

export type RecordListener = (r: DeliveryReport, key: string | null, seq: number) => void;
export type BatchListener = (d: BatchDelivery) => void;

export class ReportListeners {
  private perRecord: readonly RecordListener[] = [];
  private perBatch: readonly BatchListener[] = [];

  onReport(fn: RecordListener): () => void {
    this.perRecord = [...this.perRecord, fn];
    return () => {
      this.perRecord = this.perRecord.filter((l) => l !== fn);
    };
  }

  onBatch(fn: BatchListener): () => void {
    this.perBatch = [...this.perBatch, fn];
    return () => {
      this.perBatch = this.perBatch.filter((l) => l !== fn);
    };
  }

  /** Whether a per-record listener needs a report object made. */
  get wantRecords(): boolean {
    return this.perRecord.length > 0;
  }

  record(r: DeliveryReport, key: string | null, seq: number): void {
    const listeners = this.perRecord;
    for (let i = 0; i < listeners.length; i++) listeners[i](r, key, seq);
  }

  batch(d: BatchDelivery): void {
    const listeners = this.perBatch;
    for (let i = 0; i < listeners.length; i++) listeners[i](d);
  }

  /** One record's report from a per-record engine: to both kinds of listener. */
  single(r: DeliveryReport, rec: OutgoingRecord, key: string | null, seq: number): void {
    if (this.perBatch.length > 0) this.batch(new OneRecordDelivery(r, rec));
    this.record(r, key, seq);
  }
}
