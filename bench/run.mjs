// Runs a TypeScript bench (or helper) entry: bundles it with esbuild into a temp .mjs and runs that with this node,
// passing the remaining arguments. Our src uses TS-only syntax (parameter properties), so node's type stripping
// cannot run it directly.
//   npm run bench -- bench/kcat-sandbox-vs-mock.ts [args...]
//   node bench/run.mjs bench/sandbox-child.ts [args...]
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node bench/run.mjs <entry.ts> [args...]');
  process.exit(2);
}

/** Bundles `entry` to a temp file and returns its path and a cleanup function. */
async function bundle(entryPath) {
  // Inside node_modules, so the packages left external (they read files next to their own) resolve from the bundle.
  const cache = resolve('node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, 'kptui-bench-'));
  const outfile = join(dir, basename(entryPath).replace(/\.tsx?$/, '') + '.mjs');
  await build({
    entryPoints: [resolve(entryPath)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    outfile,
    // Bundled CommonJS dependencies (kafkajs) call require(); give the ESM bundle one.
    banner: { js: "import {createRequire as __cr} from 'node:module'; const require = __cr(import.meta.url);" },
    // @platformatic/kafka loads its WASM codecs from beside its own files.
    external: ['esbuild', '@platformatic/kafka'],
    logLevel: 'warning',
  });
  return { outfile, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

const { outfile, cleanup } = await bundle(entry);
const child = spawn(process.execPath, [...process.execArgv, outfile, ...args], { stdio: 'inherit' });
const forward = (sig) => () => child.kill(sig);
process.on('SIGINT', forward('SIGINT'));
process.on('SIGTERM', forward('SIGTERM'));
child.on('exit', (code, signal) => {
  cleanup();
  process.exit(signal ? 1 : code ?? 1);
});
