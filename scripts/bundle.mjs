// Builds the single-file, zero-dependency bundle dist/cli.js (see notes/tui.md §6.3 for the three gotchas).
import { build } from 'esbuild';
import { chmodSync } from 'node:fs';

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
  legalComments: 'eof',
  logLevel: 'warning',
});
chmodSync('dist/cli.js', 0o755);
