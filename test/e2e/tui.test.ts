// The built binary (dist/cli.js) in a real terminal emulator (tmux) at 80x24 and 120x40, driven one key at a time
// as a person types, its screen read back with capture-pane: start on the built-in cluster, send a keyed record,
// produce at a rate, change linger.ms, stop a broker, quit, and find the terminal restored.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CLI, hasTmux, sleep, Terminal, tmux } from '../helpers/tmux-terminal.js';

if (!hasTmux) console.warn('test/e2e/tui.test.ts skipped: tmux is not installed (apt-get install -y tmux)');

beforeAll(() => {
  if (hasTmux && !existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (\`npm test\` does)`);
});

for (const [columns, rows] of [[80, 24], [120, 40]] as const) {
  describe.skipIf(!hasTmux)(`the TUI at ${columns}x${rows}`, () => {
    let t: Terminal;
    beforeAll(() => {
      t = Terminal.start(`kptui-e2e-${columns}`, columns, rows, ['--sandbox']);
    });
    afterAll(() => t?.kill());

    it('starts on the built-in cluster in the alternate screen, within seconds', async () => {
      await t.waitFor(/built-in(?: cluster)? 127\.0\.0\.1:\d+(-\d+|(,\d+){2})/);
      await t.waitFor(/connected to built-in cluster/);
      expect(t.display('#{alternate_on}')).toBe('1');
      expect(t.screen()).toContain('1 Produce');
    });

    it('sends a keyed record and shows its partition and offset', async () => {
      await t.waitFor(/-> partition 2: murmur2/);
      await t.keys('s');
      await t.waitFor(/delivered to playground partition 2, offset 0/);
      await t.waitFor(/^ +1 +2 +0 +[\d.]+ +1 +user-1/m);
    });

    it('produces at a rate and shows the throughput', async () => {
      // Key space 100 (random keys over every partition), then double the rate to 200 and start.
      for (let i = 0; i < 8; i++) await t.keys('j');
      await t.keys('Enter', 'C-u');
      await t.type('100');
      await t.keys('Enter');
      await t.waitFor(/Key space K +100/);
      await t.keys('+', 'p');
      await t.waitFor(/producing 200 records\/s/);
      await t.keys('2');
      await t.waitForNumber(/Throughput ([\d,]+) rec\/s/, (n) => n >= 100);
    });

    it('changes linger.ms and shows more records per request', async () => {
      const before = await t.waitForNumber(/([\d.]+) records\/request/, (n) => n > 0);
      await t.keys('3');
      await t.waitFor(/Settings · ⏎ edit/);
      for (let i = 0; i < 6; i++) await t.keys('Down');
      await t.waitFor(/› linger\.ms/);
      await t.keys('Enter', 'C-u');
      await t.type('500');
      await t.keys('Enter');
      await t.waitFor(/linger\.ms +500 +user/);
      await t.keys('2');
      await t.waitFor(/linger\.ms 500/);
      const after = await t.waitForNumber(/([\d.]+) records\/request/, (n) => n >= before * 3, 15_000);
      expect(after).toBeGreaterThan(before);
      // The change is marked on the charts.
      await t.waitFor(/▲ \d\d:\d\d:\d\d linger\.ms 5->500/);
    });

    it('stops a broker: shown down, its leaderships moved, the records flow on to the new leaders', async () => {
      await t.keys('3');
      await t.keys('Enter', 'C-u');
      await t.type('20');
      await t.keys('Enter');
      await t.waitFor(/linger\.ms +20 +user/);
      await t.keys('4');
      await t.waitFor(/› +1 +127\.0\.0\.1:\d+ +UP +2 +yes/);
      await t.keys('s');
      await t.waitFor(/› +1 +127\.0\.0\.1:\d+ +STOPPED +0 /);
      // No partition is led by broker 1 any more (the Live table's leader column).
      await t.keys('2');
      await t.waitFor(/part leader isr/);
      await t.waitUntil(() => !/^ +\d +1 {3}/m.test(t.screen()), 'no partition led by broker 1');
      await t.keys('1');
      // As Java's producer: what was in flight when the connection went is retried (only if a request was on the
      // wire then), the rest goes to the new leaders once the metadata names them. Either way acks keep coming.
      const acked = await t.waitForNumber(/acked +([\d,]+)/, (n) => n > 0, 15_000);
      await t.waitForNumber(/acked +([\d,]+)/, (n) => n > acked, 15_000);
      await t.keys('4', 'u');
      await t.waitFor(/› +1 +127\.0\.0\.1:\d+ +UP/);
    });

    it('quits with q, flushing, and leaves the terminal as it was', async () => {
      await t.keys('q');
      await t.waitFor(/exited with 0/, 15_000);
      expect(t.display('#{alternate_on}')).toBe('0');
      expect(t.screen()).not.toContain('1 Produce');
    });
  });
}

describe.skipIf(!hasTmux)('the TUI on every way out', () => {
  it('restores the terminal on SIGTERM', async () => {
    const t = Terminal.start('kptui-e2e-term', 80, 24, ['--sandbox']);
    try {
      await t.waitFor(/connected to built-in cluster/);
      process.kill(t.appPid(), 'SIGTERM');
      await t.waitFor(/exited with 0/);
      expect(t.display('#{alternate_on}')).toBe('0');
    } finally {
      t.kill();
    }
  });

  it('quits on Ctrl+C and honours NO_COLOR', async () => {
    const t = Terminal.start('kptui-e2e-ctrlc', 80, 24, ['--sandbox'], { NO_COLOR: '1' });
    try {
      await t.waitFor(/connected to built-in cluster/);
      const colored = tmux('capture-pane', '-p', '-e', '-t', t.name);
      expect(colored).not.toMatch(/\u001B\[(?:[\d;]*;)?(?:3[0-7]|9[0-7]|38|4[0-7]|48)[;m]/);
      await t.keys('C-c');
      await t.waitFor(/exited with 0/);
      expect(t.display('#{alternate_on}')).toBe('0');
    } finally {
      t.kill();
    }
  });

  it('says when the terminal is too small, and survives a resize', async () => {
    const t = Terminal.start('kptui-e2e-small', 70, 20, ['--sandbox']);
    try {
      await t.waitFor(/The terminal is 70x20: kafka-producer-tui needs at least 80x24/);
      tmux('resize-window', '-t', t.name, '-x', '100', '-y', '30');
      await t.waitFor(/Latest delivery reports/);
      await t.keys('q');
      await t.waitFor(/exited with 0/);
    } finally {
      t.kill();
    }
  });

});

describe('the TUI without a terminal', () => {
  it('is a one-line error and exit code 2 without a terminal', () => {
    const r = spawnSync(process.execPath, [CLI, '--sandbox'], { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('needs an interactive terminal');
  });
});
