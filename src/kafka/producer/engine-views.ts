// The engine's read-only views for the screens: totals, per-partition and per-broker rows, put together from the
// accumulator's metrics, the counters, the metadata and the wire monitor at the moment they are asked for.
import type { AccumulatorMetrics } from './accumulator/record-accumulator.js';
import type { EngineCounters } from './metrics/engine-counters.js';
import type { BrokerState, BrokerView, EngineTotals, OffsetsView, PartitionView } from './engine-types.js';
import type { MetadataCache } from './metadata-cache.js';
import type { WireMonitor } from './sender/wire-monitor.js';

export function engineTotals(m: AccumulatorMetrics, counters: EngineCounters, wire: WireMonitor, compressionType: string): EngineTotals {
  let before = 0;
  let after = 0;
  const byCodec: Record<string, { before: number; after: number }> = {};
  for (const [codec, c] of counters.compression) {
    before += c.before;
    after += c.after;
    byCodec[codec] = { ...c };
  }
  return {
    handed: counters.handed,
    appended: counters.appended,
    acked: counters.acked,
    failed: counters.failed,
    retries: counters.retries,
    batchSplits: counters.batchSplits,
    requests: counters.requests,
    bytesOut: wire.bytesOut,
    queuedRecords: m.partitions.reduce((n, p) => n + p.queuedRecords, 0),
    waitingAppends: m.waitingAppends,
    bufferAvailableBytes: m.bufferAvailableBytes,
    bufferTotalBytes: m.bufferTotalBytes,
    compressionRate: before > 0 && after > 0 ? after / before : 1,
    bytesBeforeCompression: before,
    bytesAfterCompression: after,
    compressionByCodec: byCodec,
    compressionType,
  };
}

export function partitionViews(
  topic: string,
  m: AccumulatorMetrics,
  counters: EngineCounters,
  metadata: MetadataCache,
  offsets: ReadonlyMap<number, OffsetsView> | undefined,
): PartitionView[] {
  const queues = new Map(m.partitions.filter((p) => p.topic === topic).map((p) => [p.partition, p]));
  return metadata.partitions(topic).map((p) => {
    const q = queues.get(p.partition);
    const c = counters.peekPartition(topic, p.partition);
    const o = offsets?.get(p.partition);
    return {
      topic,
      partition: p.partition,
      leader: p.leader,
      replicas: p.replicas,
      isr: p.isr,
      logEndOffset: o?.logEndOffset ?? null,
      highWatermark: o?.highWatermark ?? null,
      logStartOffset: o?.logStartOffset ?? null,
      queuedRecords: q?.queuedRecords ?? 0,
      openBatchFill: q?.openBatchFill ?? 0,
      lingerRemainingMs: q?.lingerRemainingMs ?? null,
      sent: c?.sent ?? 0,
      acked: c?.acked ?? 0,
      failed: c?.failed ?? 0,
      lastOffset: c?.lastOffset ?? null,
    };
  });
}

export function brokerViews(metadata: MetadataCache, wire: WireMonitor, states: ReadonlyMap<number, BrokerState> | undefined): BrokerView[] {
  const inFlight = wire.inFlightByBroker();
  const leaders = new Map<number, number>();
  for (const t of metadata.topicNames()) for (const p of metadata.partitions(t)) leaders.set(p.leader, (leaders.get(p.leader) ?? 0) + 1);
  const ids = new Set([...metadata.brokers.map((b) => b.id), ...(states?.keys() ?? [])]);
  const known = new Map(metadata.brokers.map((b) => [b.id, b]));
  return [...ids].sort((a, b) => a - b).map((id) => {
    const b = known.get(id);
    const address = b ? `${b.host}:${b.port}` : '';
    return {
      id,
      address,
      state: states?.get(id) ?? (b ? 'up' : 'unknown'),
      isController: metadata.controller === id,
      leaderCount: leaders.get(id) ?? 0,
      inFlight: address ? inFlight.get(address) ?? 0 : 0,
    };
  });
}
