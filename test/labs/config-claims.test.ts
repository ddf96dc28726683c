// Labs run with a configuration file: `lab --all --config FILE --json` says which claims the configuration keeps,
// each backed by a lab's delivery audit on a fresh built-in cluster; `lab <name> --config FILE` applies the file
// with the lab's required settings on top and lists them.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/commands/lab.js';
import { findLab } from '../../src/labs/catalog.js';
import { labWithConfig } from '../../src/labs/config-claims.js';

const dir = mkdtempSync(join(tmpdir(), 'kpt-lab-config-'));

async function lab(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(argv, import.meta, { out: (t) => void out.push(t), err: (t) => void err.push(t) });
  return { code, out: out.join(''), err: err.join('') };
}

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

interface Claim {
  claim: string;
  kept: boolean | null;
  audit: { lost: number; duplicated: number; reordered: number; acked: number };
  settings: Record<string, unknown>;
  required: Record<string, unknown>;
}

describe('lab --all --config', () => {
  it('on an acks=1 configuration: the leader-loss claim is not kept, with the audit; exit 1', async () => {
    const r = await lab('--all', '--config', file('acks1.properties', 'bootstrap.servers=b:9092\nacks=1\n'), '--json');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out) as { passed: boolean; config: { settings: unknown }; claims: Claim[] };
    expect(report.passed).toBe(false);
    expect(report.config.settings).toEqual({ acks: 1 });
    const loss = report.claims.find((c) => c.claim === 'no-loss-on-leader-failure')!;
    expect(loss.kept).toBe(false);
    expect(loss.audit.lost).toBeGreaterThan(0);
    expect(loss.settings.acks).toBe(1);
    // acks=1 turns idempotence off: retried batches duplicate, and the leader alone accepts writes.
    expect(report.claims.find((c) => c.claim === 'no-duplicates-on-retry')).toMatchObject({ kept: false });
    expect(report.claims.find((c) => c.claim === 'refused-below-min-isr')).toMatchObject({ kept: false });
  }, 60_000);

  it("on the study material's configuration (acks=all, retries=3, idempotence): every claim kept; exit 0", async () => {
    const r = await lab('--all', '--config', file('study.yml', 'spring:\n  kafka:\n    producer:\n      acks: all\n      retries: 3\n      properties:\n        "[enable.idempotence]": true\n'), '--json');
    const report = JSON.parse(r.out) as { passed: boolean; claims: Claim[] };
    expect(report.claims.map((c) => [c.claim, c.kept])).toEqual([
      ['no-loss-on-leader-failure', true],
      ['no-duplicates-on-retry', true],
      ['order-kept', true],
      ['refused-below-min-isr', true],
    ]);
    expect(report.claims.every((c) => c.audit.lost === 0 && c.audit.duplicated === 0 && c.audit.reordered === 0)).toBe(true);
    expect(r.code).toBe(0);
  }, 60_000);

  it('refuses a configuration Kafka would refuse, and an unreadable one, with exit code 2', async () => {
    const conflict = await lab('--all', '--config', file('conflict.properties', 'enable.idempotence=true\nacks=1\n'));
    expect(conflict.code).toBe(2);
    expect(conflict.err).toMatch(/conflicts, Kafka would refuse it/);
    const bad = await lab('acks1', '--config', file('bad.properties', 'acks=2\n'));
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/bad\.properties, line 1: acks: acks must be 0, 1 or all/);
    const both = await lab('acks1', '--all', '--config', file('ok.properties', 'acks=all\n'));
    expect(both.code).toBe(2);
  });
});

describe('lab <name> --config', () => {
  it("keeps the configuration's own values for what the lesson is about, and puts the scenario's needs on top", () => {
    const plan = labWithConfig(findLab('retries-duplicate')!, { acks: 'all', 'enable.idempotence': true, 'request.timeout.ms': 10000 });
    expect(plan.settings).toMatchObject({ acks: 'all', 'enable.idempotence': true, 'request.timeout.ms': 500, 'max.in.flight.requests.per.connection': 1 });
    expect(plan.replaced).toEqual({ 'request.timeout.ms': 10000 });
    // The acks1 lab's acks=1 is its subject: with a file that says nothing about acks, Kafka's default applies.
    const acks = labWithConfig(findLab('acks1')!, { 'linger.ms': 20 });
    expect(acks.settings).toMatchObject({ 'linger.ms': 20 });
    expect('acks' in acks.settings && acks.settings.acks).toBe(undefined);
  });

  it('runs the lab with the file and lists the settings it put on top', async () => {
    const r = await lab('idempotence', '--config', file('timeout.properties', 'request.timeout.ms=10000\nenable.idempotence=true\n'));
    expect(r.out).toMatch(/Configuration from .*timeout\.properties \(Java producer\.properties\): request\.timeout\.ms=10000, enable\.idempotence=true/);
    expect(r.out).toMatch(/The lab's own settings on top, which its scenario needs: .*request\.timeout\.ms=500.* \(replacing request\.timeout\.ms=10000 from the configuration\)/);
    expect(r.code).toBe(0);
  }, 30_000);
});
