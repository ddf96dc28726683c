// Builds the zero-dependency bundle: dist/cli.js and the chunks it loads from dist/chunks/. Split per command, so
// `kafka-producer-tui sandbox` loads the sandbox's code alone: in one file it also parsed and held the TUI's, Ink's,
// React's and kafkajs's source, ~23 MB more resident (81 MB idle against 58 MB).
import { build } from 'esbuild';
import { chmodSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';

// Ink 7.1 keeps two module-level caches without a bound (text sizes, wrapped text): a live dashboard would grow
// by hundreds of MB an hour. The bundle uses copies of those two files whose caches are bounded, and of
// output.js, whose per-frame caches become bounded ones kept across frames (see stubs/ink-output.js).
const boundedInkCaches = {
  name: 'bounded-ink-caches',
  setup(b) {
    const swap = { './measure-text.js': 'stubs/ink-measure-text.js', './wrap-text.js': 'stubs/ink-wrap-text.js', './output.js': 'stubs/ink-output.js' };
    b.onResolve({ filter: /^\.\/(measure-text|wrap-text|output)\.js$/ }, (args) =>
      /[\\/]ink[\\/]build[\\/]/.test(args.importer) ? { path: resolve(swap[args.path]) } : undefined,
    );
  },
};

// kafkajs 2.2.4 (its last release) re-arms a 1 ms timer forever on every connection once a request has been
// answered, pending request or not (tulios/kafkajs issues #1556, #1604, #1704; fix proposed in PR #1768's review,
// never merged): a few idle admin and consumer connections cost a thousand wakeups a second. The bundle arms that
// timer only when a request waits (throttled or over max in-flight), as those PRs do.
const kafkajsIdleLoop = {
  name: 'kafkajs-idle-loop',
  setup(b) {
    b.onLoad({ filter: /[\\/]kafkajs[\\/]src[\\/]network[\\/]requestQueue[\\/]index\.js$/ }, (args) => {
      const before = 'scheduleAt = scheduleAt > 0 ? scheduleAt : CHECK_PENDING_REQUESTS_INTERVAL\n      }';
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes(before)) throw new Error(`kafkajs-idle-loop: ${args.path} changed; check whether the idle timer loop is fixed upstream`);
      return { contents: source.replace(before, `${before} else if (scheduleAt <= 0) {\n        return\n      }`), loader: 'js' };
    });
  },
};

rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: ['src/cli.tsx'],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  jsx: 'automatic',
  outdir: 'dist',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  define: { 'process.env.NODE_ENV': '"production"' },
  alias: { 'react-devtools-core': './stubs/react-devtools-core.js' },
  banner: {
    js: "import {createRequire as __cr} from 'node:module'; const require = __cr(import.meta.url);",
  },
  plugins: [boundedInkCaches, kafkajsIdleLoop],
  legalComments: 'eof',
  logLevel: 'warning',
});
chmodSync('dist/cli.js', 0o755);
