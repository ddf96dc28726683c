// kafka-python 2.0.2 (Debian's python3-kafka, a pure-Python client independent of librdkafka) against the sandbox:
// it infers a broker version from ApiVersions v0, then uses its own fixed, old
// request versions whatever we advertise.
import { fileURLToPath } from 'node:url';
import { describe, expect } from 'vitest';
import { commandWorks, runChild } from '../helpers/child.js';
import { sandboxTest as it } from '../helpers/fixtures.js';

// Debian installs kafka-python for the system interpreter; another python3 on PATH (pyenv) would not have it.
const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./python/kafka_python_roundtrip.py', import.meta.url));
const hasKafkaPython = commandWorks(PYTHON, ['-c', 'import kafka']);
if (!hasKafkaPython) console.warn(`kafka-python not importable by ${PYTHON}: skipping (install it with \`apt-get install -y python3-kafka\`)`);

interface Roundtrip {
  apiVersion: number[];
  produced: { partition: number; offset: number }[];
  consumed: { partition: number; offset: number; key: string; value: string }[];
  committed: Record<string, number | null>;
}

describe.skipIf(!hasKafkaPython)('kafka-python 2.0.2 against the sandbox', () => {
  it('produces with acks=all and consumes everything back as a group member, with its old fixed versions', { timeout: 60_000 }, async ({ sandbox }) => {
    const n = 12;
    const res = await runChild(PYTHON, [SCRIPT, sandbox.bootstrap(), 'kpy', 'kpy-group', String(n)], { timeoutMs: 50_000 });
    expect(res.timedOut, res.stderr).toBe(false);
    expect(res.code, res.stderr).toBe(0);
    const out = JSON.parse(res.stdout) as Roundtrip;

    // It read our ApiVersions v0 answer as "Kafka 2.5", the newest broker its probe of the advertised ranges knows.
    expect(out.apiVersion).toEqual([2, 5, 0]);
    // Offsets per partition are 0, 1, 2... in send order, and the consumer saw exactly those records.
    const byPartition = new Map<number, number[]>();
    for (const p of out.produced) byPartition.set(p.partition, [...(byPartition.get(p.partition) ?? []), p.offset]);
    for (const offsets of byPartition.values()) expect(offsets).toEqual(offsets.map((_, i) => i));
    expect(out.consumed.map((r) => r.value).sort()).toEqual(Array.from({ length: n }, (_, i) => `v${i}`).sort());
    for (const r of out.consumed) expect(r.key).toBe(`k${Number(r.value.slice(1)) % 3}`);
    // Its commit landed: each partition's committed offset is its log end.
    for (const [p, offsets] of byPartition) expect(out.committed[String(p)]).toBe(offsets.length);

    const used = new Map<string, Set<number>>();
    for (const e of sandbox.state.requestLog.all()) {
      if (!used.has(e.api)) used.set(e.api, new Set());
      used.get(e.api)!.add(e.version);
    }
    const versions = (api: string) => [...(used.get(api) ?? [])].sort((a, b) => a - b);
    expect(versions('ApiVersions')).toEqual([0]);
    expect(versions('Produce')).toEqual([7]);
    expect(versions('Fetch')).toEqual([4]);
    expect(versions('ListOffsets')).toEqual([1]);
    expect(versions('FindCoordinator')).toEqual([0]);
    expect(versions('JoinGroup')).toEqual([2]);
    expect(versions('SyncGroup')).toEqual([1]);
    expect(versions('OffsetFetch')).toEqual([1]);
    expect(versions('OffsetCommit')).toEqual([2]);
  });
});
