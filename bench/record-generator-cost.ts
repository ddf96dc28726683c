// CPU per generated record of the workload's record generator (templates, JSON check, bytes), for the TUI's default
// value template and a lab's order template: the part of "produce at R/s" that is per record before the engine.
// Measured 2026-12-07 (busy 2-core machine, 3 passes of 300,000 records, min-max): before the JSON check was made
// once per run for templates no placeholder can break and {{now}}/digits skipped the JSON escape, 2.05-2.45 us
// (default) and 2.65-2.92 us (order); after, 1.02-1.73 and 1.33-1.77, the same bytes. Records here each have their
// own millisecond, so the {{now}} text made once per millisecond is not in these figures (at 1,000 rec/s a tick's
// ~15 records share one).
//
//   npm run bench -- bench/record-generator-cost.ts [--records 300000] [--passes 3]
import { RecordGenerator, type RecordSpec } from '../src/kafka/workload/record-generator.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const RECORDS = arg('--records', 300_000);
const PASSES = arg('--passes', 3);

const specs: Record<string, RecordSpec> = {
  'TUI default': { topic: 't', key: { kind: 'null' }, value: '{"seq": {{seq}}, "at": "{{now}}"}', format: 'json' },
  'lab order': {
    topic: 't',
    key: { kind: 'random', space: 100 },
    value: '{"order":{{seq}},"customer":"customer-{{key}}","amount":42.5,"currency":"EUR","status":"CREATED","at":"{{now}}"}',
    format: 'json',
  },
};

for (const [name, spec] of Object.entries(specs)) {
  const c = RecordGenerator.compile(spec);
  if (!c.ok) throw new Error(c.errors.join('; '));
  const figures: number[] = [];
  for (let pass = 0; pass < PASSES; pass++) {
    const cpu0 = process.cpuUsage();
    let bytes = 0;
    for (let i = 0; i < RECORDS; i++) {
      const g = c.generator.generate(i, 1_765_000_000_000 + i);
      if (g.ok) bytes += g.record.value!.length;
    }
    const cpu = process.cpuUsage(cpu0);
    figures.push((cpu.user + cpu.system) / RECORDS);
    if (bytes === 0) throw new Error('no bytes generated');
  }
  const sorted = [...figures].sort((a, b) => a - b);
  console.log(`${name.padEnd(12)} cpu us/record min/median/max ${sorted.map((f) => f.toFixed(2)).filter((_, i, a) => i === 0 || i === a.length >> 1 || i === a.length - 1).join('/')}`);
}
