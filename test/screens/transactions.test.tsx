// Transactions in the TUI: transactional.id set live on the Settings screen swaps in a transactional producer;
// sends outside a transaction are refused with a hint; b, s, c show the open transaction's records and partitions,
// and the read_committed view (LSO) lags the read_uncommitted one (HW) until the commit moves it.
import { afterEach, describe, expect, it } from 'vitest';
import { SETTING_NAMES } from '../../src/kafka/producer/config/settings.js';
import { KEY, renderLab, type LabHarness } from './render-lab.js';

let lab: LabHarness | undefined;
afterEach(async () => {
  await lab?.close();
  lab = undefined;
});

/** The table row of a partition: partition, LSO, HW, gap. */
const row = (p: number, lso: number, hw: number, gap: number) => new RegExp(`^ +${p} +${lso} +${hw} +${gap} *$`, 'm');

async function setTransactionalId(h: LabHarness, id: string): Promise<void> {
  const index = SETTING_NAMES.indexOf('transactional.id');
  await h.press('3', ...new Array<string>(index).fill('j'), KEY.enter, KEY.ctrlU, ...id, KEY.enter);
  await h.waitFor(`transactional.id = ${id} (a new producer took over`, 10_000);
}

describe('transactions in the TUI', () => {
  it('says where to set transactional.id before it is set', async () => {
    lab = await renderLab();
    await lab.press('7');
    await lab.waitFor('transactional.id is not set');
    await lab.press('b');
    await lab.waitFor('set transactional.id on the Settings screen (3) first');
    expect(lab.frame()).not.toMatch(/\bOPEN\b/);
  });

  it('refuses sends outside a transaction, then begin, send, commit move the counts and the LSO', async () => {
    lab = await renderLab({ columns: 100, rows: 30 });
    await lab.waitFor('Latest delivery reports');
    await setTransactionalId(lab, 'tui-tx');
    await lab.press('1', 's');
    await lab.waitFor('transactional.id is set: begin a transaction (b) first');

    await lab.press('7');
    await lab.waitFor('transactional.id tui-tx');
    await lab.waitFor(row(2, 0, 0, 0));
    await lab.press('b');
    await lab.waitFor('OPEN');
    await lab.press('s');
    await lab.waitFor('open: 1 record on 1 partition: playground-2');
    // The record is in the log (HW 1) but read_committed readers stop before it (LSO 0).
    await lab.waitFor(row(2, 0, 1, 1));
    await lab.press('s');
    await lab.waitFor('open: 2 records on 1 partition');
    await lab.waitFor(row(2, 0, 2, 2));
    await lab.press('c');
    await lab.waitFor('committed 1 · aborted 0 · last: committed 2 records on 1 partition');
    // The commit marker takes an offset too: both readers now see everything.
    await lab.waitFor(row(2, 3, 3, 0));
    expect(lab.frame()).not.toMatch(/\bOPEN\b/);
  }, 30_000);

  it('b s s c typed in one go (a presenter typing fast): each step waits for the one before', async () => {
    lab = await renderLab({ columns: 100, rows: 30 });
    await lab.waitFor('Latest delivery reports');
    await setTransactionalId(lab, 'tui-tx-fast');
    await lab.press('7');
    await lab.waitFor('transactional.id tui-tx-fast');
    await lab.press('bssc');
    await lab.waitFor('committed 1 · aborted 0 · last: committed 2 records on 1 partition', 10_000);
    expect(lab.frame()).not.toMatch(/begin a transaction \(b\) first/);
  }, 30_000);

  it('abort leaves the records hidden from read_committed', async () => {
    lab = await renderLab({ columns: 100, rows: 30 });
    await lab.waitFor('Latest delivery reports');
    await setTransactionalId(lab, 'tui-tx-abort');
    await lab.press('7', 'b');
    await lab.waitFor('OPEN');
    await lab.press('s');
    await lab.waitFor(row(2, 0, 1, 1));
    await lab.press('a');
    await lab.waitFor('aborted 1 · last: aborted 1 record on 1 partition');
    await lab.waitFor(row(2, 2, 2, 0));
    expect(lab.frame()).not.toMatch(/\bOPEN\b/);
  }, 30_000);
});
