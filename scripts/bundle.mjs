// Builds the single-file, zero-dependency bundle dist/cli.js.
import { build } from 'esbuild';
import { chmodSync } from 'node:fs';
import { resolve } from 'node:path';

// Ink 7.1 keeps two module-level caches without a bound (text sizes, wrapped text): a live dashboard would grow
// by hundreds of MB an hour. The bundle uses copies of those two files whose caches are bounded.
const boundedInkCaches = {
  name: 'bounded-ink-caches',
  setup(b) {
    const swap = { './measure-text.js': 'stubs/ink-measure-text.js', './wrap-text.js': 'stubs/ink-wrap-text.js' };
    b.onResolve({ filter: /^\.\/(measure|wrap)-text\.js$/ }, (args) =>
      /[\\/]ink[\\/]build[\\/]/.test(args.importer) ? { path: resolve(swap[args.path]) } : undefined,
    );
  },
};

await build({
  entryPoints: ['src/cli.tsx'],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  jsx: 'automatic',
  outfile: 'dist/cli.js',
  define: { 'process.env.NODE_ENV': '"production"' },
  alias: { 'react-devtools-core': './stubs/react-devtools-core.js' },
  banner: {
    js: "import {createRequire as __cr} from 'node:module'; const require = __cr(import.meta.url);",
  },
  plugins: [boundedInkCaches],
  legalComments: 'eof',
  logLevel: 'warning',
});
chmodSync('dist/cli.js', 0o755);
