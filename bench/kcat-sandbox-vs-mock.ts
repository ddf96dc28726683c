// kcat (librdkafka 2.0.2) writing 1,000,000 records with acks=all and enable.idempotence=true into the sandbox, beside
// the same load into librdkafka's own mock cluster, measured in the same run, at 100 B and 1 KB records. Each cluster
// runs in its own process so its CPU time and peak RSS are its own. Targets (median ratio of the rounds): the
// sandbox's rate >= 1.0x the mock's at 100 B and >= 0.7x at 1 KB; its peak RSS <= 2.5x the mock's.
//
//   npm run bench -- bench/kcat-sandbox-vs-mock.ts [--records 1000000] [--record-size 100,1000] [--partitions 4]
//                                                  [--retention-bytes 5242880] [--rounds 3] [--profile DIR] [--variant VAR=VALUE]
// Memory compares like for like: the mock keeps at most 5 MiB per partition (rdkafka_mock.c `max_size`), so the
// sandbox's topics get retention.bytes=5 MiB too unless --retention-bytes says otherwise (the sandbox default is 64 MiB).
// --profile DIR runs the sandbox under `node --cpu-prof` and leaves the .cpuprofile in DIR. --variant VAR=VALUE also
// measures, in each round, a sandbox child with that environment variable set (an A/B of a switch in the code).
//
// Why kcat itself uses more CPU against the sandbox (measured with perf on kcat, librdkafka 2.0.2): its idempotent
// producer sends each partition's next request only once the previous one is answered (rdkafka_broker.c compares
// the partition's in-flight *message* count with the 5-request limit), and meanwhile the broker thread busy-polls
// (poll() with a 0 ms timeout) as soon as the next batch is ready (rd_kafka_msgq_allow_wakeup_at). Every millisecond a
// cluster takes to answer is then a broker thread spinning, one per broker that leads a partition: 3 here (leaders
// spread like Kafka's), often 2 in the mock (its random layout, e.g. 2,1,1,2, leaves a broker idle). Each 1 MB
// request goes out in one sendmsg() (socket buffers take it whole), so nothing on the sandbox's sockets can make kcat
// wait instead of spin; on 2 cores those threads take CPU from the sandbox's one event-loop thread, so each ms of
// sandbox CPU per request costs about 2-3 ms of wall time. A CRC worker thread made it worse (each hand-off waits for
// a CPU slot). The 'kcat CPU s' column shows it: 2-4x the CPU against the sandbox at 1 KB.
// Where a 1 KB run's sandbox CPU goes (perf on node 22, 1M records, with requests read straight into their frames,
// see below; reading 64 KiB chunks adds their gathering, ~7%): the CRC-32C check 37% (its WASM loop 28.5%, the
// copy into WASM memory 8%), the kernel's socket copy 12%, counting records 4%, writing answers 4%; the rest is spread thin, mostly per-request JS still in V8's baseline
// tier (~1,000 requests a run stay below TurboFan's threshold). Nothing waits on a timer between the append and the
// acks=all answer (followers copy in a microtask of the same turn): timed per Produce request, frame complete ->
// answer written was 0.7 ms median for ~1 MB, and kcat took a median 2.2 ms (90th percentile 14 ms) between an
// answer and the next request on that connection.
// Tried for the rate (A/B in the same locked run with --variant; other helpers' builds ran meanwhile):
//   Reading a request's rest straight into its frame buffer (an accepted socket's handle re-opened as a net.Socket with
//     `onread`): 2 reads per 1 MB frame instead of 16 chunks of 64 KiB each allocated and copied over. Tried and taken
//     out again (2026-12-07): first measured sandbox CPU 20-30% lower in
//     every one of 5 rounds (median 0.29 s against 0.37 s per 200k x 1 KB), rate 0.47x the mock's against 0.38x.
//     At 100 B no difference above the noise (5 rounds of 1M: 0.83x against 0.87x, sandbox CPU 0.21-0.27 s against
//     0.25-0.29): there the rate is kcat's own main thread, and the sandbox's ~0.25 s is small beside kcat's ~0.8.
//     Its cost, measured later (quiet machine, 3 rounds of 1M x 1 KB, the old 'data' path as the variant): peak RSS
//     99-102 MB against 89-92 (+10 MB, every round), sandbox CPU 0.99-1.07 s against 1.03-1.18, rate 0.53x against
//     0.47x. Where the extra resident memory comes from is not yet known; with a CPU gain within the noise of the
//     rate, 10 MB more peak RSS, and Node internals (_handle, the undocumented `handle` option) to rely on, not kept.
//   Checking the first batch's CRC piece by piece while the frame's 64 KiB chunks arrived: not kept. Its 16 chunks took
//     0.93 ms median from first to last instead of 0.44 ms: they are already there (the 0.44 ms was our own reading,
//     not kcat still sending), so the CRC moved instead of overlapping; sandbox CPU 0.55-0.62 s against 0.52-0.54.
//   TurboFan sooner (--invocation-count-for-turbofan=300, set at run time): sandbox CPU 0.33-0.41 s against 0.26-0.27
//     per 200k x 1 KB: compiling cost more than the faster code saved in a run this short.
//   A CPU's CRC instruction (@node-rs/crc32, a native addon already in node_modules through @platformatic/kafka):
//     5.9 GB/s against our WASM's 2.5 GB/s on 1 MB, about 0.23 ms less per 1 MB request. Not used: the CLI ships as a
//     zero-dependency bundle, which cannot carry a platform's native binary.
//   Not tried: lending request frames out of one fixed-size WebAssembly memory (the buffer pool as an arena there),
//     so the CRC reads a batch in place instead of copying it in (the 8% above).
// Why 0.7x at 1 KB looks out of reach on 2 cores: 0.7x of the mock's ~1 GB/s allows 1.43 ms of wall per MB. kcat
// itself needs ~1.5 CPU ms per MB even against the mock and the sandbox now ~1.1 (of which the CRC and the kernel's
// copy, ~0.6, are the floor with WASM), so even a perfect overlap with kcat never spinning takes ~1.3 ms; but kcat's
// broker threads spin for as long as the sandbox works on their request (kcat CPU 1.8-3.8 s per 1M x 1 KB against
// 1.4-1.6 with the mock), which eats the margin. Measured at the end (3 rounds, 1M records, load average 2-3 from
// other helpers' work):
// 1 KB 0.44x median (0.40-0.44; sandbox CPU 1.04-1.16 s against 1.3 s before), 100 B 0.93x (0.43-1.02); peak RSS at
// 1 KB 92-101 MB in that run (88-92 before; 88-98 in the A/B runs).
//
// Peak RSS is each cluster process's VmHWM (/proc/PID/status), read after the load; sampled every 25 ms it rises to a
// plateau within a second and stays there (no transient: no read of many MB in flight, no GC lag). The 'file MB'
// column is the process's file-backed share at the end of the load (RssFile). Where the sandbox's ~88-91 MB go (1M x
// 1 KB and 1M x 100 B, smaps and /proc/PID/pagemap at the peak): ~48 MB file-backed, all of it the node binary's own
// pages (text 25 MB, .rodata 12 MB, .dynsym/.dynstr 7.4 MB: a bare `node -e` already has 37 MB of them, 43.7 MB RSS
// in all, more than the whole mock; kcat's are ~5 MB); ~26-31 MB of pooled buffers (the 20 MiB the topic's retention
// keeps, 4 partitions x 5 x 1 MB batches, as the mock keeps; up to a 6th batch per partition until followers copy
// it; the requests in flight, ~1 MB each; idle pool buffers left from an earlier peak of those); the V8 heap ~10 MB
// (7.5 MB live: code, bytecode, feedback, the runtime's own objects; nothing of the sandbox's data); ~3 MB of malloc.
// The mock: 20 MB of kept batches plus ~5 MB anonymous, ~5 MB file-backed. So the sandbox's floor with V8's JIT on is
// about 48 + 24 + 10 + 3 = 85 MB, 2.6x the mock's 32 MB, and node with no JIT at all peaks at 78 MB (--jitless
// or --lite-mode: 77-78 MB, at a tenth of the rate). Measured and not kept (sandbox alone, 1M records, 1-3 runs each,
// run-to-run spread +-2 MB; other helpers' builds ran meanwhile):
//   --max-opt=2 (no TurboFan; can be set at run time): this bench, 3 rounds, peak 83-86 MB (2.7x) against 87-92
//     (2.8-2.9x; TurboFan's code pages and compile memory), but the rate at 100 B 0.69x the mock's against 0.91x
//     (sandbox CPU 0.24-0.29 s against 0.20-0.22 s).
//   --single-threaded, --v8-pool-size=1, --no-concurrent-recompilation, MALLOC_ARENA_MAX=1: 0-2 MB, inside the spread
//     (each needs the process started with it). Setting --single-threaded-gc at run time crashed V8 (cppgc check).
//   --optimize-for-size, --max-lazy: no change. MALLOC_MMAP_THRESHOLD_ with a 0-1 MiB pool: 80 MB once loaded but
//     peaks of 84-87, and half the rate at 1 KB (a fresh mmap per request frame).
//   The buffer pool: bounds of 0, 1, 2 MiB (against 8) peaked the same; one 1 MiB class for all 64 KiB-1 MiB buffers
//     left partly filled copy segments between frames kept whole (the pool's peak rose to 35 MiB at 100 B); freeing
//     the idle smaller-class buffers when a larger one must be allocated: pool peak 25.5-27.7 MiB against 27.4-32.1
//     at 100 B, nothing at 1 KB, RSS inside the spread.
//   Node built-in modules the sandbox loads (net, crypto, zlib, ...): under 2 MB in all.
// The `kafka-producer-tui sandbox` command idles at 55.8 MB against this bench's sandbox child's 52.5 (its control
// socket, stdin reader and status line); it read its flags with meow until it was 59.7 MB.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { runBench, spawnSandboxChild } from './sandbox-child.js';


interface Options {
  records: number;
  recordSizes: number[];
  brokers: number;
  partitions: number;
  rounds: number;
  retentionBytes: number;
  profileDir: string | null;
  /** Environment of a second sandbox measured beside the first (--variant), or null. */
  variant: Record<string, string> | null;
}

interface Cluster {
  name: string;
  bootstrap: string;
  pid: number;
  stop(): Promise<void>;
}

interface Result {
  name: string;
  seconds: number;
  recordsPerSec: number;
  mbPerSec: number;
  cpuSeconds: number;
  /** CPU seconds of the measured kcat -P itself (it spins while a partition's request is unanswered). */
  kcatCpuSeconds: number;
  peakRssMb: number;
  /** File-backed resident MB at the end of the load (for the sandbox, node's own binary). */
  fileRssMb: number;
  landed: number;
}

function parseOptions(argv: string[]): Options {
  const opts: Options = { records: 1_000_000, recordSizes: [100, 1000], brokers: 3, partitions: 4, rounds: 3, retentionBytes: 5 * 1024 * 1024, profileDir: null, variant: null };
  for (let i = 0; i < argv.length; i++) {
    const [flag, value] = [argv[i], argv[i + 1]];
    const int = () => {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} needs a positive integer, got "${value}"`);
      i++;
      return n;
    };
    if (flag === '--records') opts.records = int();
    else if (flag === '--record-size') {
      opts.recordSizes = (value ?? '').split(',').map(Number);
      if (opts.recordSizes.some((n) => !Number.isInteger(n) || n < 20)) throw new Error(`--record-size needs sizes >= 20 bytes, got "${value}"`);
      i++;
    }
    else if (flag === '--partitions') opts.partitions = int();
    else if (flag === '--rounds') opts.rounds = int();
    else if (flag === '--retention-bytes') opts.retentionBytes = int();
    else if (flag === '--profile') (opts.profileDir = value, i++);
    else if (flag === '--variant') {
      const eq = (value ?? '').indexOf('=');
      const [k, v] = [value!.slice(0, eq), value!.slice(eq + 1)];
      if (eq < 1) throw new Error(`--variant needs VAR=VALUE, got "${value}"`);
      opts.variant = { [k]: v };
      i++;
    }
    else throw new Error(`unknown option ${flag}`);
  }
  return opts;
}

/** One value per line, each exactly `size` bytes, generated once and reused by later runs. */
async function recordsFile(count: number, size: number): Promise<string> {
  const path = join(tmpdir(), `kptui-kcat-bench-${count}x${size}.txt`);
  if (existsSync(path) && statSync(path).size === count * (size + 1)) return path;
  const out = createWriteStream(path);
  const filler = 'x'.repeat(size);
  let chunk = '';
  for (let i = 0; i < count; i++) {
    const id = `record-${i}-`;
    chunk += id + filler.slice(id.length) + '\n';
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
  return path;
}

const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** User + system CPU seconds a process has used (/proc/PID/stat fields 14 and 15). */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

/**
 * CPU seconds of this process's children that have exited and been reaped (/proc/self/stat fields 16 and 17,
 * cutime + cstime): around one kcat run, that kcat's CPU (the clusters are reaped only when stopped).
 */
function reapedChildrenCpuSeconds(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) / CLK_TCK;
}

/** A memory figure of /proc/PID/status in MB: VmHWM is the peak resident set size, RssFile its file-backed part now. */
function statusMb(pid: number, field: 'VmHWM' | 'RssFile'): number {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

function waitForLine(child: ChildProcess, stream: 'stdout' | 'stderr', pattern: RegExp, what: string): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`${what} did not start: ${seen.slice(-500)}`)), 15_000);
    child[stream]!.on('data', (d) => {
      seen += d;
      const m = pattern.exec(seen);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    });
    child.on('exit', (code) => reject(new Error(`${what} exited with ${code}: ${seen.slice(-500)}`)));
  });
}

/** Cluster processes still running: killed if the bench itself is interrupted or fails. */
const running = new Set<ChildProcess>();

async function stopChild(child: ChildProcess): Promise<void> {
  running.delete(child);
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  await once(child, 'exit');
}

async function startSandbox(opts: Options, env: Record<string, string> = {}): Promise<Cluster> {
  const nodeArgs = opts.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.profileDir}`] : [];
  const { child, brokers, replicationDelayMs } = await spawnSandboxChild({ brokers: opts.brokers, partitions: opts.partitions, retentionBytes: opts.retentionBytes, nodeArgs, env });
  running.add(child);
  if (replicationDelayMs !== 0) throw new Error(`the sandbox's followers copy with a ${replicationDelayMs} ms delay: acks=all would wait that long`);
  const name = Object.keys(env).length > 0 ? Object.entries(env).map(([k, v]) => `${k}=${v}`).join(' ').slice(0, 16) : 'sandbox';
  return { name, bootstrap: brokers.join(','), pid: child.pid!, stop: () => stopChild(child) };
}

/** librdkafka's mock cluster lives inside a kcat process; a consumer of a dummy topic keeps it running. */
async function startMock(opts: Options): Promise<Cluster> {
  const child = spawn(
    'kcat',
    ['-b', 'localhost:1', '-X', `test.mock.num.brokers=${opts.brokers}`, '-X', 'allow.auto.create.topics=true', '-C', '-t', '__host', '-q'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  running.add(child);
  const m = await waitForLine(child, 'stderr', /replaced with (\S+)/, 'librdkafka mock');
  return { name: 'librdkafka mock', bootstrap: m[1], pid: child.pid!, stop: () => stopChild(child) };
}

function kcat(args: string[]): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('kcat', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const PRODUCER_SETTINGS = ['-X', 'acks=all', '-X', 'enable.idempotence=true'];

/** Records in a topic: the sum of every partition's end offset, asked with ListOffsets through kcat -Q. */
async function landed(bootstrap: string, topic: string): Promise<number> {
  const meta = await kcat(['-b', bootstrap, '-L', '-t', topic]);
  const partitions = Number(/with (\d+) partitions/.exec(meta.stdout)?.[1] ?? NaN);
  const queries = Array.from({ length: partitions }, (_, p) => ['-t', `${topic}:${p}:-1`]).flat();
  const q = await kcat(['-b', bootstrap, '-Q', ...queries]);
  return [...q.stdout.matchAll(/offset (\d+)/g)].reduce((n, m) => n + Number(m[1]), 0);
}

async function measure(cluster: Cluster, files: { warm: string; load: string }, opts: Options, recordSize: number, round: number): Promise<Result> {
  // Warm-up: connections, the JIT, and the measured topic itself, so its auto-creation is not timed (the sandbox
  // answers a new topic's first Metadata with LEADER_NOT_AVAILABLE, as Kafka does, and clients retry after a backoff;
  // librdkafka's mock creates topics at once). Its records are counted out of the landed total.
  const topic = `bench-${round}`;
  const warm = await kcat(['-b', cluster.bootstrap, '-P', '-t', topic, ...PRODUCER_SETTINGS, '-l', files.warm]);
  if (warm.code !== 0) throw new Error(`${cluster.name}: warm-up failed: ${warm.stderr.slice(-1000)}`);
  const warmRecords = await landed(cluster.bootstrap, topic);
  const cpuBefore = cpuSeconds(cluster.pid);
  const kcatCpuBefore = reapedChildrenCpuSeconds();
  const t0 = performance.now();
  const run = await kcat(['-b', cluster.bootstrap, '-P', '-t', topic, ...PRODUCER_SETTINGS, '-l', files.load]);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = cpuSeconds(cluster.pid) - cpuBefore;
  const kcatCpu = reapedChildrenCpuSeconds() - kcatCpuBefore;
  if (run.code !== 0) throw new Error(`${cluster.name}: kcat -P exited ${run.code}: ${run.stderr.slice(-2000)}`);
  const count = (await landed(cluster.bootstrap, topic)) - warmRecords;
  return {
    name: cluster.name,
    seconds,
    recordsPerSec: opts.records / seconds,
    mbPerSec: (opts.records * recordSize) / seconds / 1e6,
    cpuSeconds: cpu,
    kcatCpuSeconds: kcatCpu,
    peakRssMb: statusMb(cluster.pid, 'VmHWM'),
    fileRssMb: statusMb(cluster.pid, 'RssFile'),
    landed: count,
  };
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function printResult(r: Result): void {
  console.log(
    `${r.name.padEnd(16)} ${fmt(r.recordsPerSec).padStart(11)} ${fmt(r.mbPerSec, 1).padStart(7)} ${fmt(r.seconds, 2).padStart(7)} ` +
      `${fmt(r.cpuSeconds, 2).padStart(12)} ${fmt(r.kcatCpuSeconds, 2).padStart(10)} ${fmt(r.peakRssMb, 0).padStart(12)} ${fmt(r.fileRssMb, 0).padStart(8)} ${fmt(r.landed).padStart(11)}`,
  );
}

async function main(): Promise<void> {
  process.on('exit', () => {
    for (const c of running) c.kill('SIGKILL');
  });
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => process.exit(1));
  const opts = parseOptions(process.argv.slice(2));
  if (spawnSync('kcat', ['-V']).status !== 0) {
    console.error('kcat is not installed (apt-get install -y kcat): nothing to measure');
    process.exit(2);
  }
  if (opts.profileDir) mkdirSync(opts.profileDir, { recursive: true });
  let allMet = true;
  for (const recordSize of opts.recordSizes) allMet = (await compareAt(recordSize, opts)) && allMet;
  if (opts.profileDir) console.log(`sandbox CPU profile(s) in ${opts.profileDir}`);
  console.log(allMet ? 'all targets met' : 'some targets NOT met');
}

/** The rate target for a record size: 1.0x at 100 B and below, 0.7x from 1 KB (interpolated between). */
function rateTarget(recordSize: number): number {
  if (recordSize <= 100) return 1.0;
  if (recordSize >= 1000) return 0.7;
  return 1.0 - ((recordSize - 100) / 900) * 0.3;
}

async function compareAt(recordSize: number, opts: Options): Promise<boolean> {
  const file = await recordsFile(opts.records, recordSize);
  const warmFile = await recordsFile(1000, recordSize);
  console.log(
    `\nkcat -P: ${fmt(opts.records)} records x ${recordSize} B, acks=all, enable.idempotence=true; ` +
      `${opts.brokers} brokers, auto-created topic (sandbox: ${opts.partitions} partitions, RF 3, ` +
      `retention.bytes ${fmt(opts.retentionBytes)}, sandbox.replication.delay.ms 0: followers copy a batch in the turn ` +
      `the leader appends it; mock: its defaults, 5 MiB kept per partition)`,
  );
  console.log(`${'target'.padEnd(16)} ${'records/s'.padStart(11)} ${'MB/s'.padStart(7)} ${'wall s'.padStart(7)} ${'broker CPU s'.padStart(12)} ${'kcat CPU s'.padStart(10)} ${'peak RSS MB'.padStart(12)} ${'file MB'.padStart(8)} ${'landed'.padStart(11)}`);
  const starters = [() => startSandbox(opts), () => startMock(opts)];
  const variant = opts.variant;
  if (variant) starters.splice(1, 0, () => startSandbox(opts, variant));
  const results: Result[][] = starters.map(() => []);
  for (let round = 0; round < opts.rounds; round++) {
    for (const [i, start] of starters.entries()) {
      const cluster = await start();
      try {
        const r = await measure(cluster, { warm: warmFile, load: file }, opts, recordSize, round);
        results[i].push(r);
        printResult(r);
      } finally {
        await cluster.stop();
      }
    }
  }
  // Each round measures both back to back, so its ratio shares that moment's machine load; the median ratio is the figure.
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const mock = results.at(-1)!;
  const ratioOf = (of: Result[], f: (r: Result) => number) => median(of.map((sb, i) => f(sb) / f(mock[i])));
  const ratio = (f: (r: Result) => number) => ratioOf(results[0], f);
  if (variant) {
    const r = (f: (r: Result) => number) => ratioOf(results[1], f).toFixed(2);
    console.log(`variant ${results[1][0].name} / mock: rate ${r((x) => x.recordsPerSec)}, broker CPU ${r((x) => x.cpuSeconds)}x, kcat CPU ${r((x) => x.kcatCpuSeconds)}x`);
  }
  const rate = ratio((r) => r.recordsPerSec);
  const rss = ratio((r) => r.peakRssMb);
  const target = rateTarget(recordSize);
  console.log(
    `sandbox / mock at ${recordSize} B (median of ${opts.rounds} round(s)): rate ${rate.toFixed(2)} (target >= ${target.toFixed(2)}: ${rate >= target ? 'met' : 'NOT met'}), ` +
      `peak RSS ${rss.toFixed(1)}x (target <= 2.5: ${rss <= 2.5 ? 'met' : 'NOT met'}), broker CPU ${ratio((r) => r.cpuSeconds).toFixed(1)}x, kcat CPU ${ratio((r) => r.kcatCpuSeconds).toFixed(1)}x`,
  );
  for (const r of results.flat()) if (r.landed !== opts.records) console.log(`WARNING: ${r.name} holds ${r.landed} records, expected ${opts.records}`);
  return rate >= target && rss <= 2.5;
}

await runBench(main);
