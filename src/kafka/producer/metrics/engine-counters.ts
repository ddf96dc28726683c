// Cumulative counters with Java producer metric names where they exist (record-send-total, record-error-total,
// record-retry-total, ...), overall and per partition. Rates and per-second series are derived above, in state/.

export interface PartitionCounters {
  sent: number;
  acked: number;
  failed: number;
  lastOffset: number | null;
}

export class EngineCounters {
  /** Records handed to send()/produce(), whatever became of them: every one gets exactly one delivery report. */
  handed = 0;
  appended = 0;
  /** record-send-total: records the broker acknowledged (or that went out with acks=0). */
  acked = 0;
  /** record-error-total */
  failed = 0;
  /** record-retry-total: records in requests that failed an attempt and were retried. */
  retries = 0;
  requests = 0;
  requestRecords = 0;
  requestBytes = 0;
  queueTimeMsTotal = 0;
  batchesDrained = 0;
  /** By topic, then partition number: no key string per lookup (the engine counts every record). */
  private partitions = new Map<string, PartitionCounters[]>();

  partition(topic: string, partition: number): PartitionCounters {
    let byPartition = this.partitions.get(topic);
    if (!byPartition) this.partitions.set(topic, (byPartition = []));
    return (byPartition[partition] ??= { sent: 0, acked: 0, failed: 0, lastOffset: null });
  }

  peekPartition(topic: string, partition: number): PartitionCounters | undefined {
    return this.partitions.get(topic)?.[partition];
  }

  /** records-per-request-avg */
  recordsPerRequest(): number {
    return this.requests === 0 ? 0 : this.requestRecords / this.requests;
  }

  /** batch-size-avg (uncompressed bytes per request here, as one request carries one batch per partition). */
  bytesPerRequest(): number {
    return this.requests === 0 ? 0 : this.requestBytes / this.requests;
  }

  /** record-queue-time-avg */
  queueTimeAvgMs(): number {
    return this.batchesDrained === 0 ? 0 : this.queueTimeMsTotal / this.batchesDrained;
  }
}
