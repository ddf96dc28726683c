// The built binary in tmux at 80x24 and 120x40, driven by keys: labs run from the Labs screen to their verdict
// (too-large, idempotence, txn-commit-abort), and a transaction driven by hand (transactional.id set live, a send
// refused outside a transaction, b, s, c) with the LSO catching up with the HW on the Transactions screen.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LABS } from '../../src/labs/catalog.js';
import { SETTING_NAMES } from '../../src/kafka/producer/config/settings.js';

import { CLI, hasTmux, Terminal } from '../helpers/tmux-terminal.js';

/** From anywhere on the Labs screen: back to the list, to the top, down to `name`, and run it. */
async function runLab(t: Terminal, name: string): Promise<void> {
  await t.keys('6', 'Escape');
  await t.waitFor(/Labs: 15 lessons/);
  await t.keys(...new Array<string>(LABS.length).fill('k'), ...new Array<string>(LABS.findIndex((l) => l.name === name)).fill('j'), 'r');
  await t.waitFor(new RegExp(`${name} · `));
}

beforeAll(() => {
  if (hasTmux && !existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (\`npm test\` does)`);
});

for (const [columns, rows] of [[80, 24], [120, 40]] as const) {
  describe.skipIf(!hasTmux)(`labs and transactions in the TUI at ${columns}x${rows}`, () => {
    let t: Terminal;
    beforeAll(async () => {
      t = Terminal.start(`kptui-labs-${columns}`, columns, rows, ['--sandbox']);
      await t.waitFor(/connected to built-in cluster/, 15_000);
    });
    afterAll(() => t?.kill());

    it('runs too-large from the Labs screen to PASSED with its audit', async () => {
      await runLab(t, 'too-large');
      const screen = (await t.waitFor(/PASSED|NOT AS CLAIMED|ERROR/, 45_000)).input!;
      expect(screen).toMatch(/║ +PASSED +║/);
      expect(screen).toMatch(/audit: sent 41 · acked 40 · failed 1 · lost 0 · duplicated 0/);
    }, 60_000);

    it('runs idempotence to PASSED, then "try this next" without it as the CONTRAST, both audits side by side', async () => {
      await runLab(t, 'idempotence');
      let screen = (await t.waitFor(/║ +(PASSED|NOT AS CLAIMED|ERROR) +║/, 45_000)).input!;
      expect(screen).toMatch(/║ +PASSED +║/);
      expect(screen).toMatch(/duplicated 0/);
      await t.keys('t');
      await t.waitFor(/● running/);
      screen = (await t.waitFor(/║ +(PASSED|NOT AS CLAIMED|CONTRAST|ERROR) +║/, 45_000)).input!;
      // The counter-claim is the lesson's other half, not a failure: no red NOT AS CLAIMED.
      expect(screen).toMatch(/║ +CONTRAST +║/);
      expect(screen).toMatch(/the claim \(as written\)\s+[\d,]+\s+[\d,]+\s+\d+\s+\d+\s+0\s+\d+/);
      expect(screen).toMatch(/with enable\.idempotence=false\s+[\d,]+\s+[\d,]+\s+\d+\s+\d+\s+[1-9]\d*\s+\d+/);
    }, 100_000);

    it('runs txn-commit-abort to its verdict', async () => {
      await runLab(t, 'txn-commit-abort');
      const screen = (await t.waitFor(/║ +(PASSED|NOT AS CLAIMED|ERROR) +║/, 50_000)).input!;
      expect(screen).toMatch(/║ +PASSED +║/);
    }, 60_000);

    it('drives a transaction by hand: refused outside one, then b, s, c and the LSO catches up', async () => {
      const index = SETTING_NAMES.indexOf('transactional.id');
      await t.keys('3', ...new Array<string>(SETTING_NAMES.length).fill('k'), ...new Array<string>(index).fill('j'), 'Enter', 'C-u', ...'e2e-tx', 'Enter');
      await t.waitFor(/transactional\.id = e2e-tx/, 15_000);
      await t.keys('1', 's');
      await t.waitFor(/begin a transaction \(b\) first/);
      await t.keys('7', 'b');
      await t.waitFor(/OPEN/);
      await t.keys('s', 's');
      await t.waitFor(/open: 2 records on 1 partition: playground-2/);
      // Partition 2: LSO 0 while the HW is 2.
      await t.waitFor(/^ +2 +0 +2 +2 *$/m);
      await t.keys('c');
      await t.waitFor(/committed 1 · aborted 0/);
      await t.waitFor(/^ +2 +3 +3 +0 *$/m);
    }, 60_000);

    it('quits with q while a lab runs, stopping it', async () => {
      await runLab(t, 'backpressure');
      await t.waitFor(/● running/);
      await t.keys('q');
      await t.waitFor(/exited with 0/, 20_000);
    }, 40_000);
  });
}
