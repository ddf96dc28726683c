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
  /** batch-split-total: batches refused as too large (MESSAGE_TOO_LARGE) and sent again as smaller ones. */
  batchSplits = 0;
  requests = 0;
  requestRecords = 0;
  requestBytes = 0;
  queueTimeMsTotal = 0;
  /** record-queue-time-max (since start) */
  queueTimeMsMax = 0;
  batchesDrained = 0;
  /** request-latency-avg/max: Produce requests' round trips, attempts included. */
  requestLatencyMsTotal = 0;
  requestLatencyMsMax = 0;
  /** Batches carried by the completed requests, and the largest (uncompressed bytes per batch of one request). */
  requestBatches = 0;
  batchBytesMax = 0;
  /**
   * Record batch bytes before compression (the batches' exact v2 size, counted when the sender drains them) and
   * after (the batches as written on the wire a moment later, counted once per batch even when retried), per codec.
   */
  readonly compression = new Map<string, { before: number; after: number }>();
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

  /** A completed Produce request. */
  onRequest(records: number, batches: number, bytes: number, latencyMs: number): void {
    this.requests++;
    this.requestRecords += records;
    this.requestBytes += bytes;
    this.requestBatches += batches;
    this.requestLatencyMsTotal += latencyMs;
    if (latencyMs > this.requestLatencyMsMax) this.requestLatencyMsMax = latencyMs;
    if (batches > 0 && bytes / batches > this.batchBytesMax) this.batchBytesMax = bytes / batches;
  }

  /**
   * A batch the sender takes for a request, with the codec it goes out with. A retried batch counts once: only a
   * batch never put back (attempts 0) is new here (a split's parts are new batches).
   */
  onBatchDrained(batch: { readonly attempts: number }, bytes: number, codec: string): void {
    if (batch.attempts > 0) return;
    this.codec(codec).before += bytes;
  }

  /** A record batch written to the wire for the first time (`after`: its bytes as sent). */
  onBatchWritten(codec: string, after: number): void {
    this.codec(codec).after += after;
  }

  private codec(name: string): { before: number; after: number } {
    let c = this.compression.get(name);
    if (!c) this.compression.set(name, (c = { before: 0, after: 0 }));
    return c;
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
