// A broker failure as a workshop attendee meets it, on the built binary in tmux at 120x40 and 80x24: producing at a
// rate, pause a broker from the Cluster screen; the header names the stall (never "ready" while nothing is
// delivered), the Cluster screen shows the cluster's own state (the paused broker leads nothing), and quitting
// leaves within 8 s with one summary whose counts add up and a non-zero exit code when records were abandoned.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, hasTmux, sleep, Terminal, tmux } from '../helpers/tmux-terminal.js';

if (!hasTmux) console.warn('test/e2e/tui-failures.test.ts skipped: tmux is not installed (apt-get install -y tmux)');

beforeAll(() => {
  if (hasTmux && !existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (\`npm test\` does)`);
});

const SUMMARY = /sent ([\d,]+) · acknowledged ([\d,]+) · failed ([\d,]+) · abandoned at quit ([\d,]+)/;
const num = (s: string) => Number(s.replaceAll(',', ''));

for (const [columns, rows] of [[120, 40], [80, 24]] as const) {
  describe.skipIf(!hasTmux)(`a paused broker at ${columns}x${rows}`, () => {
    let t: Terminal;
    beforeAll(() => {
      t = Terminal.start(`kptui-fail-${columns}`, columns, rows, ['--sandbox']);
    });
    afterAll(() => t?.kill());

    it('produces at a rate', async () => {
      await t.waitFor(/connected to built-in cluster/, 15_000);
      for (let i = 0; i < 8; i++) await t.keys('j');
      await t.keys('Enter', 'C-u');
      await t.type('100');
      await t.keys('Enter');
      await t.waitFor(/Key space K +100/);
      await t.keys('k', 'Enter', 'C-u');
      await t.type('400');
      await t.keys('Enter', 'p');
      await t.waitFor(/producing 400 records\/s/);
      await t.waitFor(/│ ready │/);
    });

    it('names the stall in the header once broker 3 is paused, and the Cluster screen shows the new leaders', { timeout: 60_000 }, async () => {
      await t.keys('4');
      await t.waitFor(/Brokers of built-in cluster/);
      await t.keys('j', 'j', 'p');
      await t.waitFor(/broker 3 paused/);
      // Every line of the header is one line: the state is never cut off the bar or wrapped.
      await t.waitFor(/stalled: broker 3 not answering \(request time/, 15_000);
      expect(t.screen().split('\n')[0].length).toBeLessThanOrEqual(columns);
      // The cluster's own state: broker 3 paused and leading nothing, whatever the producer still believes.
      // Leaderships move after replica.lag.time.max.ms (Kafka's default, 30 s, on the built-in cluster).
      await t.waitFor(/ 3 +127\.0\.0\.1:\d+ +PAUSED +0 /, 45_000);
      expect(t.screen()).toMatch(/leaders from the built-in cluster, \d+ s ago/);
    });

    it('quits within 8 s with one summary that adds up, exit code 1 when records were abandoned', async () => {
      const t0 = Date.now();
      await t.keys('q');
      const m = await t.waitFor(/exited with (\d+)/, 8000);
      expect(Date.now() - t0).toBeLessThan(8000 + 500);
      // -J joins the lines the terminal wrapped, as they were printed.
      const screen = tmux('capture-pane', '-p', '-J', '-t', t.name);
      const s = screen.match(SUMMARY);
      expect(s, screen).not.toBeNull();
      const [sent, acked, failed, abandoned] = s!.slice(1, 5).map(num);
      expect(sent).toBeGreaterThan(0);
      expect(acked + failed + abandoned).toBe(sent);
      expect(Number(m[1])).toBe(failed + abandoned > 0 ? 1 : 0);
      await sleep(100);
    });
  });
}
