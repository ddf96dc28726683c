// librdkafka 2.0.2 (through kcat) against the sandbox over TCP: metadata, idempotent
// produce with every codec, read-back, a consumer group, and the versions librdkafka negotiated, read from its own
// `-d protocol,feature` debug output.
import { describe, expect } from 'vitest';
import { Partitioners } from 'kafkajs';
import { registerCodecs } from '../../src/kafka/producer/compression/compression.js';
import type { Sandbox } from '../../src/sandbox/sandbox.js';
import { commandWorks, runChild, type ChildResult } from '../helpers/child.js';
import { fileSandboxTest as it } from '../helpers/fixtures.js';
import { kafkaFor } from '../helpers/sandbox.js';

const hasKcat = commandWorks('kcat', ['-V']);
if (!hasKcat) console.warn('kcat not found: skipping the librdkafka interop tests (install it with `apt-get install -y kcat`)');

const N = 300;
const CODECS = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;
const CODEC_ID: Record<(typeof CODECS)[number], number> = { none: 0, gzip: 1, snappy: 2, lz4: 3, zstd: 4 };
/**
 * The codec librdkafka 2.0.2 really writes. Like Kafka 4.x (KIP-896) we advertise Produce from v3, and 2.0.2 enables
 * gzip, snappy and lz4 only if Produce v0 is in the broker's range (rdkafka_msgset_writer.c, `compr_req`, fixed in
 * later releases): it sends those batches uncompressed and says so. zstd's check is Produce v7, so it compresses.
 */
const WRITTEN_CODEC: Record<(typeof CODECS)[number], number> = { none: 0, gzip: 0, snappy: 0, lz4: 0, zstd: 4 };

function kcat(sandbox: Sandbox, args: string[], opts: { input?: string; timeoutMs?: number } = {}): Promise<ChildResult> {
  return runChild('kcat', ['-b', sandbox.bootstrap(), ...args], { timeoutMs: 25_000, ...opts });
}

/** Request name -> versions librdkafka sent, from lines like `Sent ProduceRequest (v7, 121 bytes @ 0, CorrId 3)`. */
function sentVersions(debug: string): Map<string, number[]> {
  const out = new Map<string, Set<number>>();
  for (const m of debug.matchAll(/Sent (\w+)Request \(v(\d+),/g)) {
    if (!out.has(m[1])) out.set(m[1], new Set());
    out.get(m[1])!.add(Number(m[2]));
  }
  return new Map([...out].map(([k, v]) => [k, [...v].sort((a, b) => a - b)]));
}

/** Features librdkafka enabled for some broker, from `Enabling feature X` lines. */
function enabledFeatures(debug: string): Set<string> {
  return new Set([...debug.matchAll(/Enabling feature (\w+)/g)].map((m) => m[1]));
}

/** Records printed with `-f '%p|%o|%k|%s\n'`. */
function parseRecords(stdout: string): { partition: number; offset: number; key: string; value: string }[] {
  return stdout
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => {
      const [p, o, key, value] = l.split('|');
      return { partition: Number(p), offset: Number(o), key, value };
    });
}

const lines = (prefix: string) => Array.from({ length: N }, (_, i) => `key-${i % 17}:${prefix}-${String(i).padStart(5, '0')}-${'payload '.repeat(8)}`);
const indexOf = (value: string) => Number(value.split('-')[1]);

/** Each partition holds its records in production order and every record is there exactly once. */
function expectAllInOrder(records: ReturnType<typeof parseRecords>, produced: string[]): void {
  expect(records.map((r) => r.value).sort()).toEqual(produced.map((l) => l.slice(l.indexOf(':') + 1)).sort());
  const byPartition = new Map<number, typeof records>();
  for (const r of records) byPartition.set(r.partition, [...(byPartition.get(r.partition) ?? []), r]);
  for (const rs of byPartition.values()) {
    const idx = rs.sort((a, b) => a.offset - b.offset).map((r) => indexOf(r.value));
    expect(idx).toEqual([...idx].sort((a, b) => a - b));
  }
}

// One sandbox for the file, as before the fixtures: each test uses its own topics and groups.
describe.skipIf(!hasKcat)('kcat (librdkafka 2.0.2) against the sandbox', () => {
  it('-L lists the 3 brokers, the controller and a topic, after ApiVersions v3 and Metadata v4', async ({ sandbox }) => {
    expect(sandbox.cluster.createTopic('listed', 3, 3).error).toBe(0);
    const res = await kcat(sandbox, ['-L', '-d', 'protocol,feature']);
    expect(res.code, res.stderr).toBe(0);
    const brokers = [...res.stdout.matchAll(/^\s+broker (\d+) at (\S+?)( \(controller\))?$/gm)];
    expect(res.stdout).toMatch(/^ 3 brokers:$/m);
    expect(brokers.map((m) => `${m[2]}`)).toEqual(sandbox.addresses());
    expect(brokers.map((m) => Number(m[1]))).toEqual([1, 2, 3]);
    expect(brokers.filter((m) => m[3]).map((m) => Number(m[1]))).toEqual([sandbox.cluster.controller]);
    expect(res.stdout).toContain('topic "listed" with 3 partitions:');
    expect(res.stdout).toMatch(/partition 0, leader 1, replicas: 1,2,3, isrs: 1,2,3/);

    // librdkafka parsed our ApiVersions v3 answer at once (no v0 fallback) and capped Metadata at its own v4.
    expect(res.stderr).toContain('Received ApiVersionResponse (v3');
    expect(res.stderr).not.toContain('retrying with v0');
    const sent = sentVersions(res.stderr);
    expect(sent.get('ApiVersion')).toEqual([3]);
    expect(sent.get('Metadata')).toEqual([4]);
    // Its feature checks passed: without these, kcat's groups, idempotence and zstd silently stop working.
    const features = enabledFeatures(res.stderr);
    for (const f of ['MsgVer2', 'ApiVersion', 'BrokerGroupCoordinator', 'BrokerBalancedConsumer', 'IdempotentProducer', 'ZSTD', 'LZ4', 'OffsetTime']) {
      expect(features, `feature ${f}`).toContain(f);
    }
  });

  for (const codec of CODECS) {
    it(`-P -z ${codec} with enable.idempotence=true writes ${N} records; -C -e reads them back in order`, async ({ sandbox }) => {
      const topic = `kcat-${codec}`;
      const produced = lines(codec);
      const put = await kcat(sandbox, ['-P', '-t', topic, '-K:', '-z', codec, '-X', 'enable.idempotence=true', '-d', 'protocol,feature,msg'], {
        input: produced.join('\n') + '\n',
      });
      expect(put.code, put.stderr).toBe(0);
      expect(put.stderr).not.toContain('Delivery failed');
      const sent = sentVersions(put.stderr);
      expect(sent.get('InitProducerId')).toEqual([4]);
      expect(sent.get('Produce')).toEqual([7]);
      expect(enabledFeatures(put.stderr)).toContain('IdempotentProducer');

      // The sandbox stored what librdkafka sent: batches in this codec, from the producer id it was given.
      const partitions = sandbox.cluster.topics.get(topic)!.partitions;
      const batches = partitions.flatMap((p) => p.leaderLog()!.batches);
      expect(partitions.reduce((n, p) => n + p.highWatermark, 0)).toBe(N);
      expect(new Set(batches.map((b) => b.bytes.readInt16BE(21) & 7))).toEqual(new Set([WRITTEN_CODEC[codec]]));
      if (WRITTEN_CODEC[codec] !== CODEC_ID[codec]) {
        expect(put.stderr).toContain(`Broker does not support compression type ${codec}: not compressing batch`);
      }
      expect(batches.every((b) => b.producerId >= 0)).toBe(true);

      const get = await kcat(sandbox, ['-C', '-t', topic, '-o', 'beginning', '-e', '-f', '%p|%o|%k|%s\n', '-d', 'protocol']);
      expect(get.code, get.stderr).toBe(0);
      const records = parseRecords(get.stdout);
      expect(records).toHaveLength(N);
      expectAllInOrder(records, produced);
      expect(records.every((r) => r.key === `key-${indexOf(r.value) % 17}`)).toBe(true);
      expect(sentVersions(get.stderr).get('Fetch')).toEqual([11]);
      expect(sentVersions(get.stderr).get('ListOffsets')).toEqual([2]);
    });
  }

  it('-C reads back gzip, snappy, lz4 and zstd batches that kafkajs wrote with our codecs, served as stored', async ({ sandbox }) => {
    await registerCodecs();
    const producer = kafkaFor(sandbox).producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    for (const codec of ['gzip', 'snappy', 'lz4', 'zstd'] as const) {
      const topic = `kafkajs-${codec}`;
      const values = Array.from({ length: 50 }, (_, i) => `${codec}-${String(i).padStart(5, '0')}-${'payload '.repeat(8)}`);
      await producer.send({ topic, compression: CODEC_ID[codec], messages: values.map((value) => ({ key: 'k', value })) });
      const batches = sandbox.cluster.topics.get(topic)!.partitions.flatMap((p) => p.leaderLog()!.batches);
      expect(new Set(batches.map((b) => b.bytes.readInt16BE(21) & 7))).toEqual(new Set([CODEC_ID[codec]]));

      const get = await kcat(sandbox, ['-C', '-t', topic, '-o', 'beginning', '-e', '-X', 'check.crcs=true', '-f', '%s\n']);
      expect(get.code, get.stderr).toBe(0);
      expect(get.stdout.split('\n').filter(Boolean)).toEqual(values);
    }
    await producer.disconnect();
  });

  it(`-G consumes every record as a group member (FindCoordinator v2, JoinGroup v5, SyncGroup v3)`, async ({ sandbox }) => {
    const topic = 'kcat-group';
    const produced = lines('group');
    const put = await kcat(sandbox, ['-P', '-t', topic, '-K:', '-X', 'enable.idempotence=true'], { input: produced.join('\n') + '\n' });
    expect(put.code, put.stderr).toBe(0);

    // kcat -G never reaches "end of partition" in group mode on its own; -c N exits after N records.
    const get = await kcat(sandbox, ['-G', 'kcat-grp', topic, '-c', String(N), '-X', 'auto.offset.reset=earliest', '-f', '%p|%o|%k|%s\n', '-d', 'protocol,cgrp'], {
      timeoutMs: 40_000,
    });
    expect(get.timedOut, get.stderr.slice(-3000)).toBe(false);
    expect(get.code, get.stderr.slice(-3000)).toBe(0);
    const records = parseRecords(get.stdout);
    expect(records).toHaveLength(N);
    expectAllInOrder(records, produced);
    const sent = sentVersions(get.stderr);
    expect(sent.get('FindCoordinator')).toEqual([2]);
    expect(sent.get('JoinGroup')).toEqual([5]);
    expect(sent.get('SyncGroup')).toEqual([3]);
    expect(sent.get('Fetch')).toEqual([11]);
    // On exit librdkafka commits what it consumed (OffsetCommit, capped at our v5) and leaves the group.
    expect(sent.get('OffsetCommit')).toEqual([7]);
    expect(sent.get('LeaveGroup')).toEqual([1]);
    expect(sent.get('OffsetFetch')).toEqual([7]);

    // A later member of the same group starts from the committed offsets: nothing left, -e ends at the log ends.
    const again = await kcat(sandbox, ['-G', 'kcat-grp', topic, '-e', '-f', '%p|%o|%k|%s\n'], { timeoutMs: 40_000 });
    expect(again.code, again.stderr.slice(-3000)).toBe(0);
    expect(parseRecords(again.stdout)).toEqual([]);
    const ends = [...again.stderr.matchAll(/Reached end of topic kcat-group \[(\d+)\] at offset (\d+)/g)];
    const partitions = sandbox.cluster.topics.get(topic)!.partitions;
    expect(ends.map((m) => Number(m[1])).sort()).toEqual(partitions.map((p) => p.index));
    for (const m of ends) expect(Number(m[2])).toBe(partitions[Number(m[1])].highWatermark);
  });
});
