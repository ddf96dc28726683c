import { partitionStrategy } from '../../../src/kafka/producer/config/settings.js';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import {
  InvalidPartitionError,
  Partitioner,
  keyedPartition,
  murmur2,
  previewPartition,
  toPositive,
  type PartitionInfo,
} from '../../../src/kafka/producer/partitioner.js';

const require = createRequire(import.meta.url);
const kafkajsMurmur2 = require('kafkajs/src/producer/partitioners/default/murmur2') as (key: Buffer) => number;
const { Partitioners } = require('kafkajs') as {
  Partitioners: {
    DefaultPartitioner: () => (args: {
      topic: string;
      partitionMetadata: Array<{ partitionId: number; leader: number }>;
      message: { key?: Buffer | null; value: Buffer };
    }) => number;
  };
};

/**
 * A straight port of Kafka's `Utils.murmur2`, written with BigInt so that Java's 32-bit wrap-around is spelled
 * out (asIntN) instead of relying on Math.imul as the implementation under test does.
 */
function javaMurmur2(data: Uint8Array): number {
  const int = (x: bigint): bigint => BigInt.asIntN(32, x);
  const ushr = (x: bigint, n: bigint): bigint => BigInt.asUintN(32, x) >> n;
  const length = data.length;
  const seed = int(0x9747b28cn);
  const m = int(0x5bd1e995n);
  let h = int(seed ^ BigInt(length));
  const length4 = Math.trunc(length / 4);
  for (let i = 0; i < length4; i++) {
    const i4 = i * 4;
    let k = int(
      BigInt(data[i4] & 0xff) +
        (BigInt(data[i4 + 1] & 0xff) << 8n) +
        (BigInt(data[i4 + 2] & 0xff) << 16n) +
        (BigInt(data[i4 + 3] & 0xff) << 24n),
    );
    k = int(k * m);
    k = int(k ^ ushr(k, 24n));
    k = int(k * m);
    h = int(h * m);
    h = int(h ^ k);
  }
  const base = length & ~3;
  const rest = length % 4;
  if (rest === 3) h = int(h ^ (BigInt(data[base + 2] & 0xff) << 16n));
  if (rest >= 2) h = int(h ^ (BigInt(data[base + 1] & 0xff) << 8n));
  if (rest >= 1) {
    h = int(h ^ BigInt(data[base] & 0xff));
    h = int(h * m);
  }
  h = int(h ^ ushr(h, 13n));
  h = int(h * m);
  h = int(h ^ ushr(h, 15n));
  return Number(h);
}

/** Deterministic pseudo-random numbers in [0, 1) so key sets and sticky choices are reproducible. */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 0x1_0000_0000;
  };
}

/** Which of 3 partitions each of `n` null-key records goes to, a new batch after every record (sticky switches). */
function stickyPicks(p: Partitioner, n: number): number[] {
  const parts = views(3);
  const picks = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    const now = p.partition({ topic: 't', key: null, partitions: parts });
    picks[now]++;
    p.onNewBatch('t', now, parts);
  }
  return picks;
}

function sampleKeys(count: number): Buffer[] {
  const rnd = seeded(42);
  const keys: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    if (i % 3 === 0) keys.push(Buffer.from(`user-${i}`));
    else if (i % 3 === 1) keys.push(Buffer.from(`ключ-${i}-✓-${'x'.repeat(i % 7)}`));
    else keys.push(Buffer.from(Array.from({ length: Math.floor(rnd() * 41) }, () => Math.floor(rnd() * 256))));
  }
  return keys;
}

const views = (n: number, unavailable: number[] = []): PartitionInfo[] =>
  Array.from({ length: n }, (_, partition) => ({ partition, leader: unavailable.includes(partition) ? -1 : 1 }));

describe('murmur2', () => {
  it("matches the values in Kafka's UtilsTest.testMurmur2", () => {
    const cases: Array<[Uint8Array, number]> = [
      [Buffer.from('21'), -973932308],
      [Buffer.from('foobar'), -790332482],
      [Buffer.from('a-little-bit-long-string'), -985981536],
      [Buffer.from('a-little-bit-longer-string'), -1486304829],
      [Buffer.from('lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8'), -58897971],
      [Uint8Array.of(0x61, 0x62, 0x63), 479470107],
    ];
    for (const [bytes, expected] of cases) {
      expect(murmur2(bytes)).toBe(expected);
      expect(javaMurmur2(bytes)).toBe(expected);
    }
  });

  it('agrees with a straight Java port and with kafkajs for 2000 keys, and so do the partitions', () => {
    const keys = sampleKeys(2000);
    const partitionCounts = [1, 3, 6, 12, 50, 1000];
    let mismatches = 0;
    for (const key of keys) {
      const ours = murmur2(key);
      if (ours !== javaMurmur2(key) || ours !== kafkajsMurmur2(key)) mismatches++;
      for (const n of partitionCounts) {
        if (keyedPartition(key, n) !== toPositive(javaMurmur2(key)) % n) mismatches++;
      }
    }
    expect(mismatches).toBe(0);
  });

  it("puts keyed records where kafkajs's DefaultPartitioner does", () => {
    const kafkajs = Partitioners.DefaultPartitioner();
    const partitionMetadata = Array.from({ length: 12 }, (_, i) => ({ partitionId: i, leader: i % 3 }));
    const ours = new Partitioner({ kind: 'default', nullKey: 'sticky' });
    for (const key of sampleKeys(300)) {
      const theirs = kafkajs({ topic: 't', partitionMetadata, message: { key, value: Buffer.from('v') } });
      expect(ours.partition({ topic: 't', key, partitions: views(12) })).toBe(theirs);
    }
  });

  it('handles empty keys (a key, not a null key) and hashes over all partitions, available or not', () => {
    expect(murmur2(new Uint8Array(0))).toBe(javaMurmur2(new Uint8Array(0)));
    const p = new Partitioner({ kind: 'default', nullKey: 'sticky' });
    const key = Buffer.from('21');
    const expected = toPositive(-973932308) % 6;
    expect(p.partition({ topic: 't', key, partitions: views(6, [expected]) })).toBe(expected);
  });
});

describe('toPositive', () => {
  it('clears the sign bit rather than taking the absolute value', () => {
    expect(toPositive(-1)).toBe(0x7fffffff);
    expect(toPositive(-2147483648)).toBe(0);
    expect(toPositive(5)).toBe(5);
  });
});

describe('sticky null-key partitioning (KIP-480)', () => {
  it('keeps every null-key record on one partition until that batch is closed, then moves to another', () => {
    const p = new Partitioner({ kind: 'default', nullKey: 'sticky' }, seeded(1));
    const parts = views(6);
    const first = p.partition({ topic: 't', key: null, partitions: parts });
    for (let i = 0; i < 100; i++) expect(p.partition({ topic: 't', key: null, partitions: parts })).toBe(first);

    p.onNewBatch('t', (first + 1) % 6, parts); // another partition's batch: no change
    expect(p.partition({ topic: 't', key: null, partitions: parts })).toBe(first);

    let previous = first;
    for (let round = 0; round < 50; round++) {
      p.onNewBatch('t', previous, parts);
      const next = p.partition({ topic: 't', key: null, partitions: parts });
      expect(next).not.toBe(previous);
      previous = next;
    }
  });

  it('only picks partitions that have a leader, and stays put when only one is available', () => {
    const p = new Partitioner({ kind: 'default', nullKey: 'sticky' }, seeded(7));
    const parts = views(4, [0, 1, 3]);
    for (let i = 0; i < 20; i++) {
      expect(p.partition({ topic: 't', key: null, partitions: parts })).toBe(2);
      p.onNewBatch('t', 2, parts);
    }
  });

  it('leaves a sticky partition whose leader went away', () => {
    const p = new Partitioner({ kind: 'default', nullKey: 'sticky' }, seeded(3));
    const first = p.partition({ topic: 't', key: null, partitions: views(3) });
    const after = p.partition({ topic: 't', key: null, partitions: views(3, [first]) });
    expect(after).not.toBe(first);
  });

  it('sticks per topic', () => {
    const p = new Partitioner({ kind: 'default', nullKey: 'sticky' }, seeded(11));
    const a = p.partition({ topic: 'a', key: null, partitions: views(100) });
    p.onNewBatch('b', a, views(100));
    expect(p.partition({ topic: 'a', key: null, partitions: views(100) })).toBe(a);
    expect(p.currentStickyPartition('a')).toBe(a);
    expect(p.currentStickyPartition('b')).toBeUndefined();
  });

  it('spreads keyed records the same way when keys are ignored', () => {
    const p = new Partitioner({ kind: 'default', nullKey: 'sticky', ignoreKeys: true }, seeded(5));
    const got = new Set(sampleKeys(50).map((key) => p.partition({ topic: 't', key, partitions: views(8) })));
    expect(got.size).toBe(1);
  });
});

describe('round-robin null-key partitioning', () => {
  it('moves to the next available partition on every record', () => {
    const p = new Partitioner({ kind: 'default', nullKey: 'round-robin' }, seeded(9));
    const parts = views(5, [1, 3]);
    const seq = Array.from({ length: 9 }, () => p.partition({ topic: 't', key: null, partitions: parts }));
    expect(new Set(seq)).toEqual(new Set([0, 2, 4]));
    for (let i = 3; i < seq.length; i++) expect(seq[i]).toBe(seq[i - 3]);
    for (let i = 1; i < seq.length; i++) expect(seq[i]).not.toBe(seq[i - 1]);
  });
});

describe('partitioner.class=round-robin (Java RoundRobinPartitioner)', () => {
  it('sends consecutive keyed records to consecutive partitions: the key is ignored', () => {
    const p = new Partitioner(partitionStrategy('round-robin', false), seeded(3));
    const parts = views(6);
    const seq = Array.from({ length: 12 }, () => p.partition({ topic: 't', key: Buffer.from('user-1'), partitions: parts }));
    for (let i = 1; i < seq.length; i++) expect(seq[i]).toBe((seq[i - 1] + 1) % 6);
    expect(previewPartition('user-1', 6, partitionStrategy('round-robin', false))).toMatchObject({ ok: true, partition: null });
  });

  it('leaves the default partitioner hashing keys and says null keys are uniform sticky (KIP-794)', () => {
    expect(previewPartition('user-1', 6, partitionStrategy('default', false))).toMatchObject({ ok: true, partition: expect.any(Number) });
    const none = previewPartition(null, 6, partitionStrategy('default', false));
    expect(none.ok && none.explanation).toContain('KIP-794');
  });
});

describe('adaptive uniform sticky (KIP-794)', () => {
  it('switches null keys per batch, rarely to a partition whose queue is long', () => {
    const queues = new Map([[0, 40], [1, 0], [2, 0]]);
    const p = new Partitioner({ kind: 'default', nullKey: 'sticky' }, seeded(5), () => queues);
    const picks = stickyPicks(p, 3000);
    // Weights 1 : 41 : 41 among the candidates (never the partition just left).
    expect(picks[0]).toBeLessThan(picks[1] / 10);
    expect(picks[0]).toBeLessThan(picks[2] / 10);
    expect(Math.abs(picks[1] - picks[2])).toBeLessThan(300);
  });

  it('is uniform when every queue is equal', () => {
    const p = new Partitioner({ kind: 'default', nullKey: 'sticky' }, seeded(11), () => new Map([[0, 3], [1, 3], [2, 3]]));
    const picks = stickyPicks(p, 3000);
    for (const n of picks) expect(n).toBeGreaterThan(800);
  });
});

describe('explicit partitions', () => {
  it('win over the key and the strategy', () => {
    const p = new Partitioner({ kind: 'prefix', rules: [{ prefix: 'eu-', partition: 0 }], fallback: 'murmur2' });
    expect(p.partition({ topic: 't', key: Buffer.from('eu-1'), partition: 2, partitions: views(3) })).toBe(2);
  });

  it("are rejected outside the topic's range with Java's message", () => {
    const p = new Partitioner({ kind: 'default', nullKey: 'sticky' });
    expect(() => p.partition({ topic: 't', key: null, partition: 3, partitions: views(3) })).toThrow(
      new InvalidPartitionError('Invalid partition given with record: 3 is not in the range [0...3).'),
    );
  });
});

describe('prefix rules (custom partitioner)', () => {
  const region = {
    kind: 'prefix' as const,
    rules: [
      { prefix: 'eu-west-', partition: 3 },
      { prefix: 'eu-', partition: 0 },
      { prefix: 'us-', partition: 1 },
    ],
    fallback: 'murmur2' as const,
  };

  it('routes by the first matching prefix and hashes the rest like the default partitioner', () => {
    const p = new Partitioner(region);
    const at = (key: string) => p.partition({ topic: 't', key: Buffer.from(key), partitions: views(6) });
    expect(at('eu-west-7')).toBe(3);
    expect(at('eu-north-1')).toBe(0);
    expect(at('us-east-1')).toBe(1);
    expect(at('ap-south-1')).toBe(keyedPartition(Buffer.from('ap-south-1'), 6));
  });

  it('can send unmatched keys to a fixed partition, and null keys stay sticky', () => {
    const p = new Partitioner({ ...region, fallback: 5 }, seeded(2));
    expect(p.partition({ topic: 't', key: Buffer.from('zz'), partitions: views(6) })).toBe(5);
    const a = p.partition({ topic: 't', key: null, partitions: views(6) });
    expect(p.partition({ topic: 't', key: null, partitions: views(6) })).toBe(a);
  });

  it('says which rule points past the end of the topic', () => {
    const p = new Partitioner(region);
    expect(() => p.partition({ topic: 't', key: Buffer.from('eu-west-1'), partitions: views(2) })).toThrow(
      'rule 1 (prefix "eu-west-") sends to partition 3, but the topic has only 2 partitions',
    );
  });
});

describe('previewPartition', () => {
  it('shows the arithmetic for a key', () => {
    const preview = previewPartition('21', 6, { kind: 'default', nullKey: 'sticky' });
    expect(preview).toEqual({
      ok: true,
      partition: 1173551340 % 6,
      explanation: `murmur2 = -973932308, toPositive = 1173551340, % 6 = ${1173551340 % 6}`,
    });
  });

  it('has no fixed partition for a null key, and says why', () => {
    const sticky = previewPartition(null, 6, { kind: 'default', nullKey: 'sticky' });
    expect(sticky).toMatchObject({ ok: true, partition: null });
    expect(sticky.ok && sticky.explanation).toContain('sticky');
    const rr = previewPartition(null, 6, { kind: 'default', nullKey: 'round-robin' });
    expect(rr.ok && rr.explanation).toContain('round-robin');
  });

  it('treats an empty key as a key', () => {
    const preview = previewPartition('', 4, { kind: 'default', nullKey: 'sticky' });
    expect(preview).toMatchObject({ ok: true, partition: keyedPartition(new Uint8Array(0), 4) });
  });

  it('reports errors instead of throwing', () => {
    expect(previewPartition('k', 0, { kind: 'default', nullKey: 'sticky' })).toEqual({
      ok: false,
      error: 'a topic has at least 1 partition; got 0',
    });
  });
});
