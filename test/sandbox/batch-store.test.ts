// Stored batches live in pooled segments that are reused once no replica holds them: whatever retention, lagging
// followers and leader moves do, every batch a replica still holds must read back as the bytes that were produced.
import { describe, expect } from 'vitest';
import { moveLeader, setReplicationDelay } from '../../src/sandbox/cluster/broker-lifecycle.js';
import type { Partition } from '../../src/sandbox/cluster/partition.js';
import { buildRecordBatch } from '../../src/wire/record-batch-builder.js';
import { validateRecordSet } from '../../src/wire/record-batch.js';
import { crc32c } from '../../src/wire/crc32c.js';
import { sandboxBuffers } from '../../src/sandbox/buffer-pool.js';
import { sandboxTest as it } from '../helpers/fixtures.js';

/** A batch of `count` records whose values all carry `tag`, about `bytes` long in all. */
function batch(tag: string, count: number, bytes: number): Buffer {
  const value = Buffer.from(`${tag}|`.padEnd(Math.floor(bytes / count), '.'));
  return buildRecordBatch(Array.from({ length: count }, (_, i) => ({ key: null, value, headers: [], timestamp: 1_700_000_000_000 + i })));
}

function append(p: Partition, bytes: Buffer): number {
  const checked = validateRecordSet(bytes, true);
  if (!checked.ok) throw new Error(checked.message);
  const r = p.appendAsLeader(checked.batches);
  if (!r.ok) throw new Error(r.message);
  return r.baseOffset;
}

/** Every batch each replica holds: CRC valid, and the tag of the batch appended at its offset. */
function expectIntact(p: Partition, tagAt: Map<number, string>): number {
  let checked = 0;
  for (const [broker, log] of p.logs) {
    for (const b of log.batches) {
      expect(crc32c(b.bytes.subarray(21)), `broker ${broker} offset ${b.baseOffset}: CRC`).toBe(b.bytes.readUInt32BE(17));
      expect(Number(b.bytes.readBigInt64BE(0)), `broker ${broker}: base offset`).toBe(b.baseOffset);
      expect(b.bytes.includes(`${tagAt.get(b.baseOffset)}|`), `broker ${broker} offset ${b.baseOffset}: its own records`).toBe(true);
      checked++;
    }
  }
  return checked;
}

const tick = () => new Promise((r) => setImmediate(r));

describe('stored batches in reused segments', () => {
  it('read back intact through retention, a lagging follower and a leader move', async ({ sandbox }) => {
    expect(sandbox.cluster.createTopic('kept', 1, 3, { 'retention.bytes': String(3 * 1024 * 1024) })).toEqual({ error: 0 });
    const p = sandbox.cluster.partition('kept', 0)!;
    const tagAt = new Map<number, string>();
    const [, f1, f2] = p.replicas;
    setReplicationDelay(sandbox.cluster, f2, 30);
    // Sizes that fill segments unevenly: small batches share a segment, a 1.5 MB one needs a larger buffer.
    const sizes = [200_000, 700_000, 50_000, 1_500_000, 300_000, 900_000, 10_000];
    for (let i = 0; i < 40; i++) {
      const tag = `b${i}`;
      tagAt.set(append(p, batch(tag, 1 + (i % 5), sizes[i % sizes.length])), tag);
      if (i % 3 === 0) await tick(); // let freed segments come back to the pool and be reused
      if (i === 25) {
        // The lagging follower falls out of the way; a caught-up one takes over and appends on its own log.
        p.syncFollowers();
        expect(moveLeader(sandbox.cluster, 'kept', 0, f1).ok).toBe(true);
      }
    }
    await new Promise((r) => setTimeout(r, 60));
    p.syncFollowers();
    expect(expectIntact(p, tagAt)).toBeGreaterThan(3);
    // Retention dropped most of the 40 batches, and their memory went back to the pool.
    expect(p.leaderLog()!.logStartOffset).toBeGreaterThan(0);
    await tick();
    expect(sandboxBuffers.idleBytes).toBeGreaterThan(0);
  });

  it('keep a batch that fills its pooled request frame after the connection hands the frame back', async ({ sandbox }) => {
    expect(sandbox.cluster.createTopic('frames', 1, 3, { 'retention.bytes': String(3 * 1024 * 1024) })).toEqual({ error: 0 });
    const p = sandbox.cluster.partition('frames', 0)!;
    const tagAt = new Map<number, string>();
    for (let i = 0; i < 30; i++) {
      const tag = `f${i}`;
      const bytes = batch(tag, 1 + (i % 3), i % 4 === 3 ? 20_000 : 900_000);
      // As a connection does: the request gathered into a pooled frame, handed back once the request is handled,
      // and that pool memory then taken again for the next request (and overwritten).
      const frame = sandboxBuffers.take(bytes.length + 40);
      bytes.copy(frame, 40);
      tagAt.set(append(p, frame.subarray(40)), tag);
      sandboxBuffers.release(frame);
      await tick();
      sandboxBuffers.take(frame.length).fill(0x55);
    }
    p.syncFollowers();
    expect(expectIntact(p, tagAt)).toBeGreaterThan(6);
  });
});
