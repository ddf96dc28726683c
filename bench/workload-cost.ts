// CPU per record of the workload alone: generating, stamping, issuing and settling records (and the bench's perf
// statistics), against a stand-in engine that only collects records and reports them in batches of 500 a turn later
// (with the engine's own BatchReports). What it measures is the workload's part of the app bench's and the TUI's
// per-record cost, without the engine, the network or the sandbox. Specs: the bench's (null key, 100 B constant
// value) and the TUI's default (key user-1, '{"seq": {{seq}}, "at": "{{now}}"}' JSON).
// Measured 2026-12-07 (2-core machine shared with other helpers' work), 3 interleaved runs of 5 passes each against
// main's build, medians of the passes: before (issue and settle per record, a result object per generated record) bench
// 0.109/0.116/0.125 us, TUI default 0.695/0.697/0.758 us; after (a run of records per issue call, batch reports settled
// in one loop, the generator filling one reused record) 0.077/0.092/0.107 and 0.469/0.550/0.562 us.
//
//   npm run bench -- bench/workload-cost.ts [--records 500000] [--passes 5]
import { BatchReports, type DeliveredRecord } from '../src/kafka/producer/batch-delivery.js';
import type { BatchDelivery, DeliveryReport, OutgoingRecord } from '../src/kafka/producer/engine-types.js';
import { PerfStats } from '../src/kafka/workload/perf-stats.js';
import { Workload, type RecordSpec, type WorkloadEngine } from '../src/kafka/workload/workload.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const RECORDS = arg('--records', 500_000);
const PASSES = arg('--passes', 5);
const BATCH = 500;

/** Collects records; a turn later reports them in batches of BATCH, acknowledged at offsets from 0. */
class BatchingEngine implements WorkloadEngine {
  private held: DeliveredRecord[] = [];
  private cb: ((d: BatchDelivery) => void) | null = null;
  private scheduled = false;
  private offset = 0;
  private id = 0;
  send(): Promise<DeliveryReport> {
    throw new Error('not used');
  }
  totals() {
    return { waitingAppends: 0 };
  }
  waitingForMemory(): number {
    return 0;
  }
  produceBatched(rec: OutgoingRecord, onBatch: (d: BatchDelivery) => void): void {
    this.cb = onBatch;
    this.held.push({ topic: rec.topic, key: rec.key, value: rec.value, headers: rec.headers, id: this.id++, started: performance.now(), source: rec });
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.report());
    }
  }
  private report(): void {
    this.scheduled = false;
    const all = this.held;
    this.held = [];
    const now = performance.now();
    for (let i = 0; i < all.length; i += BATCH) {
      const n = Math.min(BATCH, all.length - i);
      this.cb!(new BatchReports(all.slice(i, i + n), 0, n, 't', 0, this.offset, 1, null, now, Date.now()));
      this.offset += n;
    }
  }
}

const specs: Record<string, RecordSpec> = {
  bench: { topic: 't', key: { kind: 'null' }, value: '', format: 'string', recordSize: 100 },
  'TUI default': { topic: 't', key: { kind: 'fixed', key: 'user-1' }, value: '{"seq": {{seq}}, "at": "{{now}}"}', format: 'json' },
};

async function pass(spec: RecordSpec, base: number): Promise<number> {
  const engine = new BatchingEngine();
  const created = Workload.create(engine, spec, { tickMs: 2 });
  if (!created.ok) throw new Error(created.errors.join('; '));
  const w = created.workload;
  const stats = new PerfStats();
  w.onBatch((d) => {
    for (let i = 0; i < d.count; i++) stats.record(d.latencyMs(i), d.bytes(i));
  });
  const cpu0 = process.cpuUsage();
  await w.sendN(RECORDS, { collect: false });
  const cpu = process.cpuUsage(cpu0);
  stats.destroy();
  if (w.stats().acked !== RECORDS || w.ledger.acked !== RECORDS) throw new Error('counts do not add up');
  return (cpu.user + cpu.system - base) / RECORDS;
}

/** The stand-in engine's own cost: the same records through it with no workload (one reused record). */
async function engineOnly(): Promise<number> {
  const engine = new BatchingEngine();
  const rec: OutgoingRecord = { topic: 't', key: null, value: Buffer.alloc(100, 65), headers: [] };
  const cpu0 = process.cpuUsage();
  await new Promise<void>((resolve) => {
    let done = 0;
    let issued = 0;
    const onBatch = (d: BatchDelivery) => {
      done += d.count;
      if (done === RECORDS) resolve();
      else pump();
    };
    const pump = () => {
      while (issued < RECORDS && issued - done < 10_000) {
        issued++;
        engine.produceBatched(rec, onBatch);
      }
    };
    pump();
  });
  const cpu = process.cpuUsage(cpu0);
  return cpu.user + cpu.system;
}

const results: Record<string, number[]> = {};
for (let p = 0; p < PASSES; p++) {
  const base = await engineOnly();
  for (const [name, spec] of Object.entries(specs)) (results[name] ??= []).push(await pass(spec, base));
}
for (const [name, xs] of Object.entries(results)) {
  const s = [...xs].sort((a, b) => a - b);
  console.log(`${name}: workload cpu us/record beyond the stand-in engine, min/median/max ${s[0].toFixed(3)}/${s[Math.floor(s.length / 2)].toFixed(3)}/${s.at(-1)!.toFixed(3)}  (first pass ${xs[0].toFixed(3)}, cold)`);
}
