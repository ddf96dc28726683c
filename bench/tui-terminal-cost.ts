// What the TUI costs a terminal: bytes written per second and the app's CPU while producing 1,000 records per
// second on the Produce screen at 120x40 (targets: at most 20 KB/s and 10% of one core), and the time from start
// to the first frame. The built binary runs in a real pseudo-terminal (util-linux `script`), driven by keys.
// Figures are printed, never asserted. Beside the CPU share: its user/system split and the app's wakeups per
// second (voluntary context switches of all its threads: timers, socket reads, worker hand-offs), the fixed
// costs that do not show in a JavaScript profile.
//
//   npm run build && npm run bench -- bench/tui-terminal-cost.ts [--seconds 10] [--rate 1000] [--fps 10]
//     [--rounds 3] [--only sandbox|brokers] [--cpu-prof DIR] [--cli path/to/cli.js] [--steady-after 60]
//
// Two runs per round: with the built-in cluster in the app's own process (--sandbox, what a workshop attendee
// runs), and against the same cluster in a separate process (--brokers), which leaves only the TUI and the
// producer in the app's CPU figure. --cpu-prof writes a V8 CPU profile of each app run into DIR.
//
// Two CPU windows per run: the first SECONDS from 3 s after producing starts (what the figure has always been), and
// the same length from --steady-after seconds after it starts (0: not measured). They differ because of V8's tiering:
// TurboFan optimizes a function after about 3,000 calls (V8 12's --invocation-count-for-turbofan), so code called once
// a frame or once a request runs unoptimized for tens of seconds at 1,000 records/s. Measured by hand (10 s windows,
// --brokers, one core = 100%): 14.8, 10.5, 8.8, 7.6, 8.6, 8.3, 7.2, 8.0, 8.1%; --sandbox: 19.8, 14.9, 12.9, 10.5,
// 10.3, 10.1, 9.0, 8.3, 10.7%. --maglev, or TurboFan after 300 calls, did not shorten it (156 112 98 79 91 and
// 179 97 84 80 74 CPU ticks per window against 148 105 88 76 86).
// Keeping bytecode (--no-flush-bytecode, which the TUI sets at start) lowered the later windows by about 18%. With it,
// 3 rounds: 3-13 s after p 14.3/15.5/15.6% (--sandbox) and 11.1/11.2/11.9% (--brokers); 60-70 s after p 8.7/9.8/10.6%
// and 6.6/8.0/8.2%.
// Where it goes (--sandbox; `perf record -g` of the app started with --perf-basic-prof: V8's --cpu-prof counts only
// 2-5% of wall time as busy where /proc says 9-15%, it misses the native side). First window: main thread 82% of the
// samples, V8's TurboFan and GC workers 17% (0.5% of a core once steady); the main thread is mostly unoptimized
// (Sparkplug) code of the producer and the sender (~31% of the samples), the in-process cluster (~21%), the
// workload (~15%), socket streams (~20%), and Ink/React (~9-14%). A frame of the Produce screen costs 4-10 ms of CPU
// for its first 50 draws, ~2 ms up to 100 and 0.3-0.6 ms optimized, so the frame rate weighs most in the first window
// (--fps 2 gave 11.9%). Helped: a cluster poll answering the same as last time no longer draws a frame of its own
// (5.3 -> 4.3 frames a second while producing); the Produce screen's counters and delivery reports as one Ink text per
// run of lines of one colour (0.6 -> 0.35 ms a frame optimized, no change while unoptimized); the built-in cluster's
// request log dropping old entries in one copy per 5,000 requests, not a 5,000-entry splice per request (13-24 us
// each, 5% of the steady samples). Same run, --sandbox, 3 interleaved runs each, 60-70 s: before 10.0/10.7/10.8%,
// after 7.8/8.6/9.8%; 3-13 s: before 13.1/15.0/18.4%, after 16.5/16.7/17.6% (no gain: warm-up). One run each, no
// gain: --always-sparkplug, --no-lazy-feedback-allocation, --no-liftoff, --min-semi-space-size=16 (9.7, 10.8, 10.8,
// 14.5% against 9.4 and 14.8% for the same build; runs of one build differ by up to 50% on this shared machine).
// With those, 3 rounds: 3-13 s after p 12.7/14.7/15.1% (--sandbox) and 10.2/11.7/13.9% (--brokers); 60-70 s after p
// 7.9/9.6/10.3% and 7.7/7.9/8.0%.
// Main on 2026-12-07 after the frame, per-record and per-request changes, quiet machine, 3 rounds: 3-13 s after p
// 12.8/13.7/16.8% (--sandbox) and 9.7/12.7/12.9% (--brokers); 60-70 s after p 7.8/8.4/9.9% and 6.9/7.6/9.8%.
// 2026-12-07, second session: less JavaScript per request (producer: one answer handler per sender, one plain write
// for a turn's single frame, no timer list per request; built-in cluster: a direct Produce codec, one timeout timer
// for acks=all waits, one end-of-turn copy to followers, reads of the shown topic only) and per frame (about 25 Ink
// nodes instead of 72 on the Produce screen, rows reused when unchanged). Quiet machine, 3 interleaved pairs against
// the session's starting build (--cli), 3-13 s after p: --sandbox 10.5/14.3/16.9% against 13.8/13.8/14.8%, --brokers
// 10.2/11.5/12.3% against 13.2/14.3/14.4%; 60-70 s after p: 7.2/7.8/7.9% against 7.1/8.0/8.1% and 7.0/7.2/7.4%
// against 7.0/7.3/8.5%. Runs of one build still differ by up to 60% in the first window.
// 2026-12-07, less workload per record (a run of records per issue call, batch reports settled in one loop, the
// generator filling one reused record, the live audit counting read records from their parts): 3 interleaved pairs
// against main's build, --only brokers --steady-after 0, 3-13 s after p: 9.3/9.7/9.0% against 9.6/9.2/8.5% (no change
// beyond the noise: the workload's own part is a few percent of the app's samples, and its per-record loops are
// optimized within seconds; what stays cold runs once per tick, batch or fetch).
// 2026-12-07, in-process pipe: with --sandbox the app's own producer and live-audit connections reach the cluster in
// its process through an in-memory pipe, not loopback TCP (perf: socket reads and writes under the app's connections
// gone, syscalls 8% -> 4% of samples). 6 interleaved pairs against main's 07:02 build (--cli), --only sandbox
// --steady-after 0, 3-13 s after p, shared machine: 8.2/8.4/8.6/9.7/9.8/9.8% (median 9.2; system 0.3-0.6%) against
// 8.8/9.1/9.8/10.6/10.8/11.0% (median 10.2; system 0.6-0.9%); lower in 5 of the 6 pairs.
// 2026-12-07, cheaper cold frames (rows of box-drawing and chart characters joined from runs of one style instead
// of cells, Output's loop split so TurboFan compiles it once, unchanged runs of lines and App's input hooks not
// rendered per frame; bench/tui-frame-cost.ts: 20-30% less CPU per frame over frames 1-50): 6 interleaved pairs
// against main's build, --only brokers --steady-after 0, 3-13 s after p, shared machine (other helpers' runs between):
// before the last fix 8.4/8.8/10.2/8.0/8.5/8.2% against 8.5/9.2/8.1/7.6/7.8/8.1%; with it 9.9/9.1/9.4% against
// 9.0/9.4/10.8% (min/median/max 9.1/9.4/9.9% against 9.0/9.4/10.8%). No change beyond the noise: the frames are
// about a tenth of the app's CPU in this window. The last fix came from --cpu-prof of the app here: a cache look-up
// per changed plain line (the delivery reports) made Output cost 44 ms per run against main's 50; without it, 19.
// 2026-12-07, all of the second session's changes together (workload, in-process pipe, cold frames, deliveries per
// batch to the engine's listeners), quiet machine, 8 interleaved pairs against the session's starting build 4219cc8
// (--cli), --steady-after 0, 3-13 s after p: --sandbox 7.6/9.0/10.2% against 8.7/10.8/12.6% (lower in 7 of 8 pairs),
// --brokers 7.7/8.4/10.1% against 7.3/9.1/11.6% (lower in 6 of 8). The same starting build measured 11.0-14.2% that
// morning on the same machine: compare builds only within one interleaved run.
// 2026-12-07, TurboFan and deoptimization in the first window: the built app driven as here, with V8's --trace-opt
// --trace-deopt --trace-deopt-verbose, 20 s after p, one run per build and mode. TurboFan compiles 65-96 functions 3-13
// s after p (140-215 ms of compile-thread time, 1.4-2.2% of a core), nearly all once: no function is optimized,
// deoptimized and optimized again in a loop. Main's only deopts after p (both modes, every run): 10,000 records in (9
// s), the first 5-digit sequence reached a comparison decimalDigits' chain of ifs had never run, and V8 threw away the
// batch builder's measure and writeRecords, recordSizeUpperBound, headersSize and admit (recompiled at 12-13 s); at 2 s
// the audit's walkRecords (wrong map: the inlined wanted.map() made its array with another hidden class than the
// unoptimized code had seen; recompiled at 4 s). Fixed (a loop over powers of ten; the array filled by push): 0 deopts
// in the first 15 s after p (later, rarer paths still deopt once), the window's compile jobs --sandbox 95 and 96 -> 90
// and 89 (176 and 215 -> 145 and 158 ms), --brokers 74 -> 65 (156 -> 139 ms). The rest is ~90 different functions of
// 0.3-9 ms each (Node's timers, async_hooks and Buffer, React's commit, the producer's and the cluster's per-request
// code): nothing type-unstable to fix. The figure did not move beyond the noise: interleaved pairs against main's build
// (--cli), --steady-after 0, shared machine, 3-13 s after p: --brokers 8 pairs 7.9/9.5/11.9% against 8.0/10.0/11.3%
// (min/median/max; lower in 5 of 8); --sandbox 13 pairs 8.3/10.7/14.1% against 8.2/10.3/12.8% (higher in 9 of 13, by
// -2.1..+2.3 points per pair while the same build ranged 8.2-12.8%). Also seen, not changed: 8 s after the major GC at
// p, V8's memory reducer runs two more (at about 8 s, in the window) and shrinks the young generation, so scavenges
// come every 0.3-0.6 s instead of 2.4 s (--trace-gc); --no-memory-reducer removes that, but only as a node flag (the
// reducer is made at heap setup, v8.setFlagsFromString cannot), and 3 pairs with it measured within the noise
// (10.2/11.7/9.4% against 11.3/9.3/10.0%). Node's queueMicrotask wraps each callback in an AsyncResource (~75 a second
// here, from the cluster's follower fetches and React): a few tenths of a percent at most, left alone.
// 2026-12-07, lead, third session, all of its changes merged but the batch builder's last one (audit stamp in one
// header, the built-in cluster's same-turn acks=all answer, the deopt fixes above, short wire strings without a
// Buffer): 6 interleaved pairs per mode against the session's starting build (a6d35ca, --cli), --steady-after 0,
// quiet machine, 3-13 s after p: --sandbox 8.2/10.3/11.0% against 8.7/10.8/11.6% (lower in 3 of 6, one tie),
// --brokers 8.4/9.3/12.1% against 8.0/10.5/11.3% (lower in 4 of 6). This machine read the starting build 8.0-12.8%
// over the day: the first window stays at the 10% line, below it in the median of --brokers only.
// 2026-12-07, fourth session: java-parser (Java config import) loaded on the first Java file instead of at start. Its
// grammar was built at start (Chevrotain's self-analysis, ~150 ms of CPU) and kept: the live heap after the major GC
// at p fell from 36.5 to 22.5 MB (--trace-gc), so every major GC in the window marks less. Start to first frame
// 457-642 ms -> 246-353 ms. 5 interleaved pairs per mode against the session's starting build (7b0418e, --cli),
// --steady-after 0, 3-13 s after p, in a slow hour of this machine: --sandbox 10.3/12.1/12.8% against
// 12.5/12.9/13.3% (lower in all 5), --brokers 9.1/11.5/11.7% against 11.3/11.4/12.8% (lower in 3 of 5). The same
// starting build read --sandbox 10.1-11.6% and --brokers 7.9-10.7% two hours earlier: the target is met or missed by
// the hour. --single-threaded-gc set at start (v8.setFlagsFromString) crashed the app while producing: not used.
// The session's last build, 5 more pairs right after: --sandbox 11.0/11.9/12.3% against 12.0/12.6/12.9% (lower in 4 of
// 5), --brokers 7.3/9.7/11.8% against 9.7/10.7/12.1% (lower in 3 of 5, one tie). 5 more pairs 20 minutes later, a
// quieter spell: --sandbox 9.1/10.2/12.0% against 11.1/11.4/12.6% (lower in 4 of 5), --brokers 7.7/11.4/12.1% against
// 10.5/12.3/13.5% (lower in 5 of 5). Over the 15 pairs per mode: lower in 13 (--sandbox) and 11 (--brokers).
// 2026-12-07, fifth session: the rate's tick 15 -> 25 ms (workload.ts: the simulated app hands its records over in
// bursts 25 ms apart, one record per tick below 40/s), so 40 bursts, Produce requests, linger wakeups and answers a
// second at 1,000 rec/s instead of 64 (25 records a request instead of 16). The per-request path was about half of
// the first window's samples. 4 interleaved runs, --only sandbox --steady-after 0, 3-13 s after p: tick 15 (main)
// 10.6/11.4/11.9%, tick 20 9.0/9.9/10.2%, tick 25 8.2/8.9/9.4%. With 25 ms, 5 interleaved pairs per mode against
// the session's starting build (9fe08fb, --cli): --sandbox 8.6/8.9/9.1% against 10.0/10.7/11.6%, --brokers
// 6.7/7.4/8.4% against 8.6/9.7/11.4% (lower in every pair). --rounds 3: 3-13 s after p --sandbox 8.2/8.5/9.1%,
// --brokers 8.5/8.8/9.5%; 60-70 s after p 5.0/5.6/5.9% and 5.1/6.1/6.5%. At --rate 10 (--brokers, one run each):
// 139 -> 78 wakeups a second, 4.9 -> 4.2% of a core. 35 minutes later, with the producer's metadata refreshed every
// metadata.max.age.ms instead of every second: --rounds 3 --steady-after 0, --sandbox 8.4/8.5/9.7%, --brokers
// 8.3/8.6/9.0%; 3 more --sandbox pairs 9.1, 9.9, 8.4% against 11.8, 9.7, 11.2%. 25 minutes later, the session's last
// build: --sandbox 8.1, 7.8, 9.1% against 9.6, 10.6, 12.1%; --brokers 8.0, 7.9, 8.4% against 11.6, 10.4, 10.5%. Over
// the session, 17 --sandbox and 14 --brokers runs of the 25 ms builds: all at or under 10% (max 9.9 and 9.5%).
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const cliArg = process.argv.indexOf('--cli');
/** --cli PATH: another build of the app (e.g. main's, to compare in the same run). */
const CLI = resolve(cliArg > 0 ? process.argv[cliArg + 1] : 'dist/cli.js');
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const SECONDS = arg('seconds', 10);
const RATE = arg('rate', 1000);
const FPS = arg('fps', 10);
const ROUNDS = arg('rounds', 1);
const flag = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const ONLY = flag('only');
const PROFILE_DIR = flag('cpu-prof');
const STEADY_AFTER = arg('steady-after', 60);
const COLS = 120;
const ROWS = 40;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** User and system CPU seconds a process has used so far, and its threads' voluntary context switches (Linux /proc). */
function usage(pid: number): { user: number; system: number; wakeups: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  let wakeups = 0;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      wakeups += Number(/voluntary_ctxt_switches:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/task/${task}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      // the thread ended meanwhile
    }
  }
  return { user: Number(fields[11]) / CLK_TCK, system: Number(fields[12]) / CLK_TCK, wakeups };
}

/**
 * CPU seconds so far per thread: the main thread (JavaScript, Ink, the in-process cluster) apart from the others by
 * name (V8's compiler and GC workers share the binary's name, libuv's pool is "libuv-worker").
 */
function threadUsage(pid: number): Map<string, number> {
  const byName = new Map<string, number>();
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${task}/stat`, 'utf8');
      const name = task === String(pid) ? 'main' : stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) || '?';
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      byName.set(name, (byName.get(name) ?? 0) + (Number(fields[11]) + Number(fields[12])) / CLK_TCK);
    } catch {
      // the thread ended meanwhile
    }
  }
  return byName;
}

/** Per-thread-name CPU % of one core between two threadUsage readings, largest first. */
function threadShares(a: Map<string, number>, b: Map<string, number>, wall: number): string {
  return [...b].map(([name, s]) => [name, ((s - (a.get(name) ?? 0)) / wall) * 100] as const)
    .filter(([, pct]) => pct >= 0.05).sort((x, y) => y[1] - x[1]).map(([name, pct]) => `${name} ${pct.toFixed(1)}%`).join(', ');
}

interface Figures {
  firstOutputMs: number;
  firstFrameMs: number;
  connectedMs: number;
  idleBytesPerSec: number;
  bytesPerSec: number;
  cpuPercent: number;
  /** The same measure in the window from STEADY_AFTER s after producing starts (NaN when not measured). */
  steadyCpuPercent: number;
  userPercent: number;
  systemPercent: number;
  wakeupsPerSec: number;
  shownRate: string;
  /** Per-thread CPU in the first and the steady window. */
  threads: string;
  steadyThreads: string;
}

async function measure(args: string[]): Promise<Figures> {
  const t0 = performance.now();
  // `stty` sizes the pseudo-terminal before the app starts; `exec` makes the app the terminal's process.
  const child = spawn('script', ['-q', '-e', '-c', `stty cols ${COLS} rows ${ROWS}; exec '${process.execPath}' ${PROFILE_DIR ? `--cpu-prof --cpu-prof-dir '${resolve(PROFILE_DIR)}' ` : ''}'${CLI}' ${args.join(' ')} --fps ${FPS}`, '/dev/null'], {
    env: { ...process.env, CI: '', TERM: 'xterm-256color' },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let bytes = 0;
  let text = '';
  let firstOutputMs = NaN;
  let firstFrameMs = NaN;
  let connectedMs = NaN;
  child.stdout!.on('data', (d: Buffer) => {
    const now = performance.now() - t0;
    if (bytes === 0) firstOutputMs = now;
    bytes += d.length;
    text = (text + d.toString('utf8')).slice(-20_000);
    if (Number.isNaN(firstFrameMs) && text.includes('1 Produce')) firstFrameMs = now;
    if (Number.isNaN(connectedMs) && text.includes('connected to')) connectedMs = now;
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const keys = async (...ks: string[]) => {
    for (const k of ks) {
      child.stdin!.write(k);
      await sleep(80);
    }
  };
  try {
    while (Number.isNaN(connectedMs)) {
      if (performance.now() - t0 > 20_000) throw new Error(`the app did not connect within 20 s; last output:\n${text.slice(-2000)}`);
      await sleep(20);
    }
    const pid = Number(execFileSync('pgrep', ['-P', String(child.pid)], { encoding: 'utf8' }).trim().split('\n')[0]);
    await sleep(2000);
    const idleStart = bytes;
    await sleep(3000);
    const idleBytesPerSec = (bytes - idleStart) / 3;

    // Rate field (8th below Key), the rate, Enter, then p starts producing.
    await keys(...'jjjjjjj', '\r', '\u0015', ...String(RATE), '\r', 'p');
    await sleep(3000);
    const b0 = bytes;
    const u0 = usage(pid);
    const t0s = threadUsage(pid);
    const w0 = performance.now();
    await sleep(SECONDS * 1000);
    const wall = (performance.now() - w0) / 1000;
    const u1 = usage(pid);
    const threads = threadShares(t0s, threadUsage(pid), wall);
    const figures = {
      firstOutputMs,
      firstFrameMs,
      connectedMs,
      idleBytesPerSec,
      bytesPerSec: (bytes - b0) / wall,
      cpuPercent: ((u1.user + u1.system - u0.user - u0.system) / wall) * 100,
      userPercent: ((u1.user - u0.user) / wall) * 100,
      systemPercent: ((u1.system - u0.system) / wall) * 100,
      wakeupsPerSec: (u1.wakeups - u0.wakeups) / wall,
      shownRate: [...text.matchAll(/([\d,]+) rec\/s/g)].pop()?.[1] ?? '?',
      steadyCpuPercent: NaN,
      threads,
      steadyThreads: '',
    };
    if (STEADY_AFTER > 3 + SECONDS) {
      await sleep((STEADY_AFTER - 3 - SECONDS) * 1000);
      const s0 = usage(pid);
      const st0 = threadUsage(pid);
      const t1 = performance.now();
      await sleep(SECONDS * 1000);
      const s1 = usage(pid);
      const steadyWall = (performance.now() - t1) / 1000;
      figures.steadyThreads = threadShares(st0, threadUsage(pid), steadyWall);
      figures.steadyCpuPercent = ((s1.user + s1.system - s0.user - s0.system) / steadyWall) * 100;
    }
    await keys('q');
    await Promise.race([exited, sleep(10_000)]);
    return figures;
  } finally {
    child.kill('SIGKILL');
  }
}

async function externalSandbox(): Promise<{ bootstrap: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [CLI, 'sandbox', '--port', '0'], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  return new Promise((resolveStart, reject) => {
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /bootstrap servers: (\S+)/.exec(out);
      if (m) resolveStart({ bootstrap: m[1], child });
    });
    child.once('exit', () => reject(new Error(`the sandbox exited: ${out}`)));
  });
}

function report(name: string, f: Figures): void {
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB/s`;
  console.log(`\n${name}`);
  console.log(`  start to first output        ${f.firstOutputMs.toFixed(0)} ms`);
  console.log(`  start to first frame         ${f.firstFrameMs.toFixed(0)} ms`);
  console.log(`  start to connected           ${f.connectedMs.toFixed(0)} ms`);
  console.log(`  terminal bytes, idle         ${kb(f.idleBytesPerSec)}`);
  console.log(`  terminal bytes, producing    ${kb(f.bytesPerSec)}   (target <= 20 KB/s)`);
  console.log(`  app CPU, producing           ${f.cpuPercent.toFixed(1)}% of one core   (target <= 10%)`);
  console.log(`    user / system              ${f.userPercent.toFixed(1)}% / ${f.systemPercent.toFixed(1)}%`);
  console.log(`    wakeups (context switches) ${f.wakeupsPerSec.toFixed(0)}/s`);
  console.log(`    by thread                  ${f.threads}`);
  if (!Number.isNaN(f.steadyCpuPercent)) {
    console.log(`  app CPU, ${STEADY_AFTER}-${STEADY_AFTER + SECONDS} s after start   ${f.steadyCpuPercent.toFixed(1)}% of one core   (steady: V8 has optimized the hot code)`);
    console.log(`    by thread                  ${f.steadyThreads}`);
  }
  console.log(`  rate shown in the status bar ${f.shownRate} rec/s (asked: ${RATE})`);
}

const spread = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return `min ${s[0].toFixed(1)} / median ${s[Math.floor(s.length / 2)].toFixed(1)} / max ${s[s.length - 1].toFixed(1)}`;
};

if (!existsSync(CLI)) {
  console.error(`${CLI} is missing: run npm run build first`);
  process.exit(2);
}
if (spawnSync('script', ['--version']).status !== 0) {
  console.error('this bench needs util-linux `script` for a pseudo-terminal');
  process.exit(2);
}
console.log(`TUI terminal cost: ${CLI}, ${COLS}x${ROWS}, Produce screen, ${RATE} records/s for ${SECONDS} s, --fps ${FPS}, ${ROUNDS} round(s), node ${process.version}`);
const cpu: Record<'sandbox' | 'brokers', number[]> = { sandbox: [], brokers: [] };
const steady: Record<'sandbox' | 'brokers', number[]> = { sandbox: [], brokers: [] };
for (let round = 1; round <= ROUNDS; round++) {
  const tag = ROUNDS > 1 ? ` [round ${round}]` : '';
  if (ONLY !== 'brokers') {
    const f = await measure(['--sandbox']);
    cpu.sandbox.push(f.cpuPercent);
    steady.sandbox.push(f.steadyCpuPercent);
    report(`built-in cluster in the app process (--sandbox)${tag}`, f);
  }
  if (ONLY !== 'sandbox') {
    const sandbox = await externalSandbox();
    try {
      const f = await measure(['--brokers', sandbox.bootstrap]);
      cpu.brokers.push(f.cpuPercent);
      steady.brokers.push(f.steadyCpuPercent);
      report(`built-in cluster in another process (--brokers ${sandbox.bootstrap})${tag}`, f);
    } finally {
      sandbox.child.kill('SIGTERM');
    }
  }
}
if (ROUNDS > 1) {
  console.log('\napp CPU % of one core, producing');
  if (cpu.sandbox.length) console.log(`  --sandbox  ${spread(cpu.sandbox)}`);
  if (cpu.brokers.length) console.log(`  --brokers  ${spread(cpu.brokers)}`);
  if (STEADY_AFTER > 3 + SECONDS) {
    console.log(`app CPU % of one core, ${STEADY_AFTER}-${STEADY_AFTER + SECONDS} s after producing starts`);
    if (steady.sandbox.length) console.log(`  --sandbox  ${spread(steady.sandbox)}`);
    if (steady.brokers.length) console.log(`  --brokers  ${spread(steady.brokers)}`);
  }
}
