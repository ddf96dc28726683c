// The esbuild plugins and options every bundle of the app's TUI shares: dist/ (scripts/bundle.mjs) and the frame-cost
// bench (bench/tui-frame-cost.ts), which must draw through the same Ink files as the shipped app.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

// Ink 7.1 keeps two module-level caches without a bound (text sizes, wrapped text): a live dashboard would grow
// by hundreds of MB an hour. The bundle uses copies of those two files whose caches are bounded, and of
// output.js, whose per-frame caches become bounded ones kept across frames (see stubs/ink-output.js); its
// render-node-to-output.js measures texts through the bounded measure-text cache (stubs/ink-widest-line.js).
// sanitize-ansi.js, run on every text twice a frame, looks for control characters with one regular expression
// (stubs/ink-sanitize-ansi.js).
export const boundedInkCaches = {
  name: 'bounded-ink-caches',
  setup(b) {
    const swap = { './measure-text.js': 'stubs/ink-measure-text.js', './wrap-text.js': 'stubs/ink-wrap-text.js', './output.js': 'stubs/ink-output.js', './sanitize-ansi.js': 'stubs/ink-sanitize-ansi.js' };
    b.onResolve({ filter: /^\.\/(measure-text|wrap-text|output|sanitize-ansi)\.js$/ }, (args) =>
      /[\\/]ink[\\/]build[\\/]/.test(args.importer) ? { path: resolve(swap[args.path]) } : undefined,
    );
    // render-node-to-output.js measures every text again per frame with an uncached widest-line.
    b.onResolve({ filter: /^widest-line$/ }, (args) =>
      /[\\/]ink[\\/]build[\\/]render-node-to-output\.js$/.test(args.importer) ? { path: resolve('stubs/ink-widest-line.js') } : undefined,
    );
  },
};

// kafkajs 2.2.4 (its last release) re-arms a 1 ms timer forever on every connection once a request has been
// answered, pending request or not (tulios/kafkajs issues #1556, #1604, #1704; fix proposed in PR #1768's review,
// never merged): a few idle admin and consumer connections cost a thousand wakeups a second. The bundle arms that
// timer only when a request waits (throttled or over max in-flight), as those PRs do.
// The same file also checks every connection's requests for requestTimeout (30 s by default) every 100 ms, for the
// connection's whole life: with the app's dozen admin and consumer connections, about 100 wakeups a second while
// records flow. The bundle checks once a second: a request times out at most a second later than asked.
export const kafkajsIdleLoop = {
  name: 'kafkajs-idle-loop',
  setup(b) {
    b.onLoad({ filter: /[\\/]kafkajs[\\/]src[\\/]network[\\/]requestQueue[\\/]index\.js$/ }, (args) => {
      const before = 'scheduleAt = scheduleAt > 0 ? scheduleAt : CHECK_PENDING_REQUESTS_INTERVAL\n      }';
      const timeoutCheck = '}, Math.min(this.requestTimeout, 100))';
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes(before)) throw new Error(`kafkajs-idle-loop: ${args.path} changed; check whether the idle timer loop is fixed upstream`);
      if (!source.includes(timeoutCheck)) throw new Error(`kafkajs-idle-loop: ${args.path} changed; check how often it looks for timed-out requests`);
      const contents = source
        .replace(before, `${before} else if (scheduleAt <= 0) {\n        return\n      }`)
        .replace(timeoutCheck, '}, Math.min(this.requestTimeout, 1000))');
      return { contents, loader: 'js' };
    });
  },
};

/** React's production build (the development one checks and warns on every render) and no devtools. */
export const appDefines = {
  define: { 'process.env.NODE_ENV': '"production"' },
  alias: { 'react-devtools-core': './stubs/react-devtools-core.js' },
};
