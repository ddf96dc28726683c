// The two views of a topic a transaction splits: read_committed consumers stop at the last stable offset (LSO),
// read_uncommitted ones at the high watermark (HW). Read without a consumer: the built-in cluster's partitions
// answer directly; a real cluster answers ListOffsets, which kafkajs only asks read_committed (the LSO), so there
// the HW is unknown and the screen says it needs a read_uncommitted ListOffsets.
import type { Admin } from 'kafkajs';
import { kafkaClient, type ClientTarget } from './clients.js';
import type { ClusterHandle, SandboxControl } from './cluster-handle.js';

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
  constructor(private readonly sandbox: SandboxControl) {}

  async read(topic: string): Promise<TxnOffsetsView> {
    // This topic's offsets alone: the whole cluster's status would describe every partition of every topic.
    const t = this.sandbox.offsets(topic);
    const rows = (t ?? []).map((p) => ({ partition: p.partition, lastStable: p.lastStableOffset, highWatermark: p.highWatermark }));
    return { topic, rows, source: 'read from the built-in cluster every second', error: t ? null : `topic ${topic} does not exist yet` };
  }

  async close(): Promise<void> {}
}

class ListOffsetsReader implements OffsetsReader {
  private admin: Admin | null = null;

  constructor(private readonly client: ClientTarget) {}

  async read(topic: string): Promise<TxnOffsetsView> {
    const source = 'ListOffsets (read_committed) every second; the HW needs a read_uncommitted ListOffsets, which kafkajs does not ask';
    try {
      if (!this.admin) {
        const admin = kafkaClient(this.client, 'kafka-producer-tui-offsets', { requestTimeout: 3000, retry: { retries: 0 } }).admin();
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

/** Read directly on the built-in cluster; over ListOffsets, with the cluster's TLS/SASL options, on a real one. */
export function offsetsReaderFor(cluster: Pick<ClusterHandle, 'sandbox' | 'client'>): OffsetsReader {
  return cluster.sandbox ? new SandboxOffsets(cluster.sandbox) : new ListOffsetsReader(cluster.client);
}
