// The two views of a topic a transaction splits: read_committed consumers stop at the last stable offset (LSO),
// read_uncommitted ones at the high watermark (HW). Read without a consumer: the built-in cluster's partitions
// answer directly; a real cluster answers ListOffsets, which kafkajs only asks read_committed (the LSO), so there
// the HW is unknown and the screen says it needs a read_uncommitted ListOffsets.
import type { Admin } from 'kafkajs';
import type { ClusterHandle } from './open-cluster.js';
import { SandboxClusterControl } from './sandbox-cluster-control.js';
import { readerKafka } from '../workload/topic-reader.js';

export interface TxnOffsetRow {
  partition: number;
  /** read_committed: records below it are visible. */
  lastStable: number;
  /** read_uncommitted: records below it are visible; null when the cluster cannot tell (real cluster via kafkajs). */
  highWatermark: number | null;
}

export interface TxnOffsetsView {
  topic: string;
  rows: readonly TxnOffsetRow[];
  /** Said under the table: where the numbers come from, or why one is missing. */
  source: string;
  error: string | null;
}

export interface OffsetsReader {
  read(topic: string): Promise<TxnOffsetsView>;
  close(): Promise<void>;
}

class SandboxOffsets implements OffsetsReader {
  constructor(private readonly control: SandboxClusterControl) {}

  async read(topic: string): Promise<TxnOffsetsView> {
    const t = this.control.control.status().topics.find((x) => x.name === topic);
    const rows = (t?.partitions ?? []).map((p) => ({ partition: p.partition, lastStable: p.lastStableOffset, highWatermark: p.highWatermark }));
    return { topic, rows, source: 'read from the built-in cluster every second', error: t ? null : `topic ${topic} does not exist yet` };
  }

  async close(): Promise<void> {}
}

class ListOffsetsReader implements OffsetsReader {
  private admin: Admin | null = null;

  constructor(private readonly brokers: string[]) {}

  async read(topic: string): Promise<TxnOffsetsView> {
    const source = 'ListOffsets (read_committed) every second; the HW needs a read_uncommitted ListOffsets, which kafkajs does not ask';
    try {
      if (!this.admin) {
        const admin = readerKafka({ brokers: this.brokers }, 'kafka-producer-tui-offsets').admin();
        await admin.connect();
        this.admin = admin;
      }
      const offsets = await this.admin.fetchTopicOffsets(topic);
      const rows = offsets.map((o) => ({ partition: o.partition, lastStable: Number(o.offset), highWatermark: null })).sort((a, b) => a.partition - b.partition);
      return { topic, rows, source, error: null };
    } catch (e) {
      // A broken connection is made again on the next read.
      await this.close();
      return { topic, rows: [], source, error: e instanceof Error ? e.message : String(e) };
    }
  }

  async close(): Promise<void> {
    const admin = this.admin;
    this.admin = null;
    await admin?.disconnect().catch(() => {});
  }
}

export function offsetsReaderFor(cluster: Pick<ClusterHandle, 'control' | 'brokers'>): OffsetsReader {
  return cluster.control instanceof SandboxClusterControl ? new SandboxOffsets(cluster.control) : new ListOffsetsReader(cluster.brokers);
}
