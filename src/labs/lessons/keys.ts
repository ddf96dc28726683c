// Lab 10: keys and partitions. A key always hashes (murmur2, as in Java) to the same partition, so its records
// stay in order; null keys stick to one partition per batch (sticky) or rotate record by record (round-robin);
// a custom rule routes by key prefix; and one hot key piles its load onto a single partition.
import type { DeliveryReport } from '../../kafka/producer/engine-types.js';
import { keyedPartition } from '../../kafka/producer/partitioner.js';
import { parsePartitioner, type PartitionerSetting, type ProducerSettings } from '../../kafka/producer/config/settings.js';
import type { KeySpec } from '../../kafka/workload/workload.js';
import { defineLab, type LabContext } from '../lab-types.js';
import { ORDER_VALUE } from './common.js';

const PARTITIONS = 6;
const KEYS = 12;
const PREFIX_RULES = 'prefix:eu-=0,us-=1,*=murmur2';

function prefixRules(): PartitionerSetting {
  const parsed = parsePartitioner(PREFIX_RULES);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
}

interface KeysDetails {
  keyed: { keys: number; records: number; keysOnOnePartition: number; keysWhereJavaAgrees: number; examples: string[] };
  sticky: { records: number; averageRun: number; partitionsUsed: number };
  roundRobin: { records: number; averageRun: number; partitionsUsed: number };
  prefix: { rules: string; euOnPartition0: number; usOnPartition1: number; records: number };
  hotKey: { records: number; perPartition: number[]; hottestShare: number };
  failed: number;
}

async function send(ctx: LabContext, key: KeySpec, n: number, settings?: Partial<ProducerSettings>): Promise<DeliveryReport[]> {
  if (settings) {
    const applied = await ctx.engine.applySettings(settings);
    if (!applied.ok) throw new Error(applied.problems.map((p) => p.message).join('; '));
  }
  const respec = ctx.workload.respec({ key });
  if (!respec.ok) throw new Error(respec.errors.join('; '));
  return ctx.workload.sendN(n);
}

/** Average length of runs of consecutive records (in send order) on the same partition. */
function runs(reports: readonly DeliveryReport[]): { averageRun: number; partitionsUsed: number } {
  let count = 0;
  let last = -1;
  for (const r of reports) {
    if (r.partition !== last) count++;
    last = r.partition;
  }
  const averageRun = count === 0 ? 0 : Math.round((reports.length / count) * 100) / 100;
  return { averageRun, partitionsUsed: new Set(reports.map((r) => r.partition)).size };
}

function byKey(reports: readonly DeliveryReport[]): Map<string, Set<number>> {
  const m = new Map<string, Set<number>>();
  for (const r of reports) {
    const k = r.keyPreview ?? '(null)';
    if (!m.has(k)) m.set(k, new Set());
    m.get(k)!.add(r.partition);
  }
  return m;
}

export const keys = defineLab<KeysDetails>({
  name: 'keys',
  title: 'Keys and partitions',
  claim: [
    'A key always lands on the same partition (murmur2, the same as Java), so its records stay in order;',
    'null keys stick to one partition per batch or rotate; a custom rule routes by prefix; a hot key skews the load.',
  ],
  settings: { 'partitioner.class': 'default', 'linger.ms': 5 },
  topic: { partitions: PARTITIONS, replicationFactor: 3 },
  records: { key: { kind: 'random', space: KEYS }, value: ORDER_VALUE, format: 'json' },
  steps: [
    { id: 'keyed', text: `600 records over ${KEYS} keys: each key on one partition, the one Java would pick` },
    { id: 'sticky', text: '600 records with null keys, sticky partitioner: long runs on one partition' },
    { id: 'round-robin', text: 'The same with partitioner.class=round-robin: every record on the next partition' },
    { id: 'prefix', text: `A custom rule (${PREFIX_RULES}): eu- keys to partition 0, us- keys to partition 1` },
    { id: 'hot', text: 'A hot key: 400 records for one customer, 100 for 50 others' },
  ],
  watch: ['Records per partition', 'The partition of each key in the delivery reports', 'The skew of the hot key'],
  expected: 'Every key on exactly one partition (the Java one) and in order; sticky runs much longer than round-robin; prefix keys where the rule sends them; the hot key\'s partition takes most of the load.',
  needs: {},
  async script(ctx) {
    ctx.step('keyed');
    const keyed = await send(ctx, { kind: 'random', space: KEYS }, 600);
    const partitionsOf = byKey(keyed);
    const examples = [...partitionsOf].slice(0, 3).map(([k, ps]) => `${k} -> partition ${[...ps].join(',')}`);
    ctx.step('sticky');
    const sticky = await send(ctx, { kind: 'null' }, 600);
    ctx.step('round-robin');
    const rr = await send(ctx, { kind: 'null' }, 600, { 'partitioner.class': 'round-robin' });
    ctx.step('prefix');
    const eu = await send(ctx, { kind: 'template', template: 'eu-{{seq}}' }, 100, { 'partitioner.class': prefixRules() });
    const us = await send(ctx, { kind: 'template', template: 'us-{{seq}}' }, 100);
    ctx.step('hot');
    const hot = [
      ...(await send(ctx, { kind: 'fixed', key: 'customer-hot' }, 400, { 'partitioner.class': 'default' })),
      ...(await send(ctx, { kind: 'random', space: 50 }, 100)),
    ];
    const perPartition = Array.from({ length: PARTITIONS }, (_, p) => hot.filter((r) => r.partition === p).length);
    const all = [...keyed, ...sticky, ...rr, ...eu, ...us, ...hot];
    return {
      keyed: {
        keys: partitionsOf.size,
        records: keyed.length,
        keysOnOnePartition: [...partitionsOf.values()].filter((s) => s.size === 1).length,
        keysWhereJavaAgrees: [...partitionsOf].filter(([k, s]) => s.size === 1 && s.has(keyedPartition(Buffer.from(k), PARTITIONS))).length,
        examples,
      },
      sticky: { records: sticky.length, ...runs(sticky) },
      roundRobin: { records: rr.length, ...runs(rr) },
      prefix: { rules: PREFIX_RULES, euOnPartition0: eu.filter((r) => r.partition === 0).length, usOnPartition1: us.filter((r) => r.partition === 1).length, records: eu.length + us.length },
      hotKey: { records: hot.length, perPartition, hottestShare: Math.round((Math.max(...perPartition) / Math.max(1, hot.length)) * 100) / 100 },
      failed: all.filter((r) => r.error).length,
    };
  },
  verdict({ audit, details: d }) {
    const keyedOk = d.keyed.keys > 0 && d.keyed.keysOnOnePartition === d.keyed.keys && d.keyed.keysWhereJavaAgrees === d.keyed.keys && audit.reordered === 0;
    const stickyOk = d.roundRobin.averageRun <= 1.5 && d.sticky.averageRun >= 3 * d.roundRobin.averageRun;
    const prefixOk = d.prefix.records > 0 && d.prefix.euOnPartition0 + d.prefix.usOnPartition1 === d.prefix.records;
    const hotOk = d.hotKey.hottestShare >= 0.7;
    const passed = keyedOk && stickyOk && prefixOk && hotOk && d.failed === 0 && audit.lost === 0;
    return {
      passed,
      observed:
        `${d.keyed.keysOnOnePartition}/${d.keyed.keys} keys on one partition (${d.keyed.keysWhereJavaAgrees} where Java would put them), reordered ${audit.reordered}; ` +
        `average run ${d.sticky.averageRun} sticky vs ${d.roundRobin.averageRun} round-robin; ` +
        `prefix rule ${d.prefix.euOnPartition0 + d.prefix.usOnPartition1}/${d.prefix.records} routed; ` +
        `hot key: ${Math.round(d.hotKey.hottestShare * 100)}% of records on one partition (${d.hotKey.perPartition.join('/')})`,
    };
  },
  tryNext: {
    text: 'Set partitioner.ignore.keys=true: keyed records spread like null keys, batches fill better, and a key no longer keeps to one partition.',
    settings: { 'partitioner.ignore.keys': true },
  },
});
