// Quitting right after a broker is paused, as a presenter does at the end of a demo: the header says at once that
// the app is quitting (it never sits on the old state while the producer and the live audit close), and the summary
// still adds up.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, hasTmux, sleep, Terminal, tmux } from '../helpers/tmux-terminal.js';

beforeAll(() => {
  if (hasTmux && !existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (\`npm test\` does)`);
});

const SUMMARY = /sent ([\d,]+) · acknowledged ([\d,]+) · failed ([\d,]+) · abandoned at quit ([\d,]+)/;
const FLUSHING = /flushing ([\d,]+) unacknowledged records? \(([\d,]+) queued, ([\d,]+) in flight; up to 5 s\)/;
const num = (s: string) => Number(s.replaceAll(',', ''));

describe.skipIf(!hasTmux)('q just after pausing a broker, at 120x40', () => {
  let t: Terminal;
  beforeAll(() => {
    t = Terminal.start('kptui-quit-paused', 120, 40, ['--sandbox']);
  });
  afterAll(() => t?.kill());

  it('says "quitting" in the header at once after q (it took 6 s), then prints a summary that adds up', { timeout: 40_000 }, async () => {
    await t.waitFor(/connected to built-in cluster/, 15_000);
    await t.keys('p');
    await t.waitFor(/producing 100 records\/s/);
    await t.keys('4');
    await t.waitFor(/Brokers of built-in cluster/);
    await t.keys('j', 'j', 'p');
    await t.waitFor(/broker 3 paused/);
    // q while the live audit's fetch from broker 3 is still unanswered: closing that consumer waits on it.
    await sleep(1500);
    await t.keys('q');
    await t.waitFor(/quitting: /, 2500);
    const header = t.screen().split('\n')[0];
    expect(header).toMatch(/quitting: /);
    expect(header).not.toMatch(/stalled/);
    // The flush gets its time and says so: closing the live audit's consumer no longer comes first.
    // It names every record it waits for, queued or on the paused broker's wire, and those add up.
    await t.waitFor(FLUSHING, 2500);
    const f = t.screen().match(FLUSHING)!;
    const [waiting, queued, inFlight] = f.slice(1, 4).map(num);
    expect(queued + inFlight).toBe(waiting);
    expect(inFlight).toBeGreaterThan(0);
    await t.waitFor(/exited with \d+/, 10_000);
    const screen = tmux('capture-pane', '-p', '-J', '-t', t.name);
    const s = screen.match(SUMMARY);
    expect(s, screen).not.toBeNull();
    const [sent, acked, failed, abandoned] = s!.slice(1, 5).map(num);
    expect(acked + failed + abandoned).toBe(sent);
    // Nothing is handed to the producer once quitting starts: what is abandoned was among what the flush waited for.
    expect(abandoned).toBeLessThanOrEqual(waiting);
  });
});
