// What one published frame of the Produce screen costs the main thread, cold: the store's snapshot, React's
// reconciliation of the App and Ink's render (layout, output, the incremental write), in a fresh process, frame by
// frame, as V8 warms up. The app publishes ~5 frames a second while producing 1,000 records/s, so its first 50
// frames are the TUI bench's first window (3-13 s after p), where frames run unoptimized.
// A fake engine (no cluster, no producer) stands in: 200 delivery reports per frame (1,000/s at 5 frames/s) with
// the fields the real ones have, 6 partitions on 3 brokers, the workload running at 1,000/s. Its own work (the
// reports, the counters) happens outside the measured span; the span is store.frame() (which publishes) up to
// 25 ms later, after Ink's write, measured with process.cpuUsage() (the whole process: V8's compiler threads count).
// Ink's maxFps is 50, so each publish is drawn at once (Ink's throttle leads), as at the app's 5 frames a second.
// The app side (bench/tui-frame-cost-app.tsx) is bundled like dist/ (scripts/bundle-plugins.mjs: React's
// production build, the bounded Ink caches) and runs with --no-flush-bytecode, as the TUI does.
//
//   npm run bench -- bench/tui-frame-cost.ts [--frames 300] [--runs 3] [--cpu-prof DIR]
//
// Prints, per run (a fresh node process each), over frames 1-50, 51-100 and 101-FRAMES: the mean CPU ms per frame
// (all threads: V8 compiles and collects garbage beside the main thread) and the median main-thread wall ms from the
// publish to the frame drawn (React and Ink render in a microtask after the publish; the median drops preemptions).
// A/B: run it in two checkouts in turn, under the bench lock.
//
// Figures, 2026-12-07, shared 2-core machine, 2 rounds of 3 runs, main's src against this branch's, interleaved
// (ms per frame, frames 1-50 / 51-100 / 101-300):
//   main:   CPU 6.4-7.4 / 3.4-4.1 / 2.6-3.0, main thread 2.3-2.9 / 1.8-2.1 / 1.5-2.0, 1,051-1,144 ms CPU per run
//   branch: CPU 3.1-4.5 / 2.4-3.1 / 2.1-2.7, main thread 1.3-1.9 / 1.2-1.6 / 1.0-1.4,   701-879 ms CPU per run
// What it took: the record form one Ink text with nested styled texts, the screen tabs one text (the Produce screen
// went from ~72 Ink nodes to ~25, and Ink walks, lays out and writes every node every frame); Output rows reused when
// written the same as last frame, and plain-text rows (the delivery reports) joined as strings, not cells; charts'
// and box characters measured by length instead of string-width (a sparkline line took ~0.4 ms cold); Ink's
// sanitize check as one regular expression; the status bar, the preview, the divider and headings not re-rendered
// per frame. No single step of these stood out of the noise alone; the profile (--cpu-prof of the app side, frames
// 1-50) moved from React+Ink 243 ms to 198 ms for the nodes and rows, and stringWidth left the top of it.
// In the app (/work/wt/perf-tui.sh, --brokers, 3-13 s after p, one run each): React's work on the root (render,
// commit, Ink's draw) 9.0% of the samples on main, 6.9% on this branch; Ink's renderer 3.6% -> 2.7%, layout 1.0% ->
// 0.6%. tui-terminal-cost.ts's figure did not show it on a loaded machine (interleaved, 3-13 s, --sandbox/--brokers:
// main 16.1/12.4, 12.3/10.4, 14.4/11.2%; branch 15.9/10.3, 15.2/14.3, 16.5/13.9%): the frames are about a tenth of
// the app's CPU, so 40% off them is under a point, well inside runs that differ by 30%.
// Did not help (same harness, interleaved): LineRuns as one Ink text with a nested text per run (frames 1-50: CPU
// 5.0-5.6 against 4.2-5.1 ms, main thread 2.1-2.2 against 1.8-2.2 ms): the counters' whole text then changes every
// frame and is squashed, styled and measured again as one, where before only the runs whose numbers moved were.
// 2026-12-07, third pass (branch frames-cold against main's src, shared 2-core machine, 2 rounds of 3 runs,
// interleaved; ms per frame, frames 1-50 / 51-100 / 101-300):
//   main:   CPU 3.23-3.63 / 2.30-2.74 / 1.94-2.27, main thread 1.21-1.48 / 1.08-1.51 / 0.96-1.22, 685-739 ms CPU per run
//   branch: CPU 2.29-3.30 / 1.61-2.39 / 1.50-1.99, main thread 0.89-1.63 / 0.88-1.35 / 0.81-0.99, 495-663 ms CPU per run
//   after the plain-line fix below, 1 round: main CPU 3.25-3.67 / 2.32-2.52 / 1.95-2.19, main thread 1.30-1.47 /
//   1.12-1.22 / 0.99-1.13, 670-728 ms a run; branch CPU 2.36-2.76 / 1.74-1.83 / 1.63-1.66, main thread 1.05-1.11 /
//   0.96-1.01 / 0.87-0.90, 535-558 ms a run.
// What it took (--cpu-prof DIR and --trace-opt of the app side): rows whose lines are all narrow (│, sparklines,
// ✓ ✗ ·, with or without colours) written from each line's runs of one style instead of a cell per character; the
// tokenizer's styledCharsToString, which TurboFan compiled three times in the first 100 frames (cells of different
// shapes: 6-8 ms of compile each), no longer called; Output.get split in three, as one function TurboFan compiled it
// twice at 20-28 ms each; a text inside its clip not measured line by line; a new snapshot no longer re-runs App's
// key, paste and size hooks (useEffectEvent's per-render effect); runs of lines that did not change not rendered
// again (Ink Text renders per frame 5.5 -> 2.7). TurboFan compile time over frames 1-50 (one traced run each): 71 ms
// on main, 39-45 ms here. Looked at and left: Yoga's getters from renderNodeToOutput (3% of a frame), the store's
// per-delivery work (0.4 us a report). A cache look-up per changed plain line (a Map entry per new delivery report)
// cost more than the regular expression it saved: --cpu-prof of the real app (tui-terminal-cost.ts) showed it
// (Output 44 ms a run against main's 50; 19 without the look-up); here it was within the noise.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
// @ts-expect-error plain JS without types
import { appDefines, boundedInkCaches } from '../scripts/bundle-plugins.mjs';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const FRAMES = arg('frames', 300);
const RUNS = arg('runs', 3);
const profArg = process.argv.indexOf('--cpu-prof');
/** --cpu-prof DIR: a V8 CPU profile of each run's app process into DIR (what a frame spends its time on). */
const PROF_DIR = profArg > 0 ? resolve(process.argv[profArg + 1]) : null;

const cache = resolve('node_modules', '.cache');
mkdirSync(cache, { recursive: true });
const dir = mkdtempSync(join(cache, 'kptui-frames-'));
const outfile = join(dir, 'tui-frame-cost-app.mjs');
await build({
  entryPoints: [resolve('bench/tui-frame-cost-app.tsx')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  jsx: 'automatic',
  outfile,
  ...appDefines,
  banner: { js: "import {createRequire as __cr} from 'node:module'; const require = __cr(import.meta.url);" },
  plugins: [boundedInkCaches],
  logLevel: 'warning',
});

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const ranges: [number, number][] = [
  [0, 50],
  [50, 100],
  [100, FRAMES],
];
const head = ranges.map(([a, b]) => `${a + 1}-${b}`.padStart(8)).join('');
console.log('Produce screen at 120x40, 200 reports a frame, a fresh process per run: per frame, the mean CPU ms (all threads)');
console.log('and the median main-thread ms from publish to drawn (wall time; what the frame itself runs)');
console.log(`run  cpu${head}  main${head}  total cpu ms`);
try {
  for (let i = 0; i < RUNS; i++) {
    const child = spawnSync(process.execPath, ['--no-flush-bytecode', ...(PROF_DIR ? ['--cpu-prof', '--cpu-prof-interval', '100', '--cpu-prof-dir', PROF_DIR] : []), outfile, '--frames', String(FRAMES)], { encoding: 'utf8' });
    const line = child.stdout.trim().split('\n').pop() ?? '';
    if (child.status !== 0 || !line.startsWith('{')) throw new Error(child.stderr || child.stdout);
    const r = JSON.parse(line) as { cpu: number[]; wall: number[]; bytes: number };
    const cpu = ranges.map(([a, b]) => (mean(r.cpu.slice(a, b)) / 1000).toFixed(2).padStart(8)).join('');
    const main = ranges.map(([a, b]) => (median(r.wall.slice(a, b)) / 1000).toFixed(2).padStart(8)).join('');
    console.log(`${String(i + 1).padStart(3)}     ${cpu}      ${main}  ${(r.cpu.reduce((a, b) => a + b, 0) / 1000).toFixed(0).padStart(12)}`);
  }
} finally {
  // The profiles' line numbers point into the bundle: kept beside them.
  if (PROF_DIR) copyFileSync(outfile, join(PROF_DIR, 'tui-frame-cost-app.mjs'));
  rmSync(dir, { recursive: true, force: true });
}
