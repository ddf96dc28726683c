// The Labs screen as a person drives it: the list of every lab with its claim, the guided panel of the selected
// one, a real run in its own built-in cluster to its verdict (steps marked, counts, audit numbers), stopping a
// run, and quitting the app while a lab runs (the lab is stopped and its cluster closed).
import { afterEach, describe, expect, it } from 'vitest';
import { LABS } from '../../src/labs/catalog.js';
import { KEY, renderLab, type LabHarness } from './render-lab.js';

let lab: LabHarness | undefined;
afterEach(async () => {
  await lab?.close();
  lab = undefined;
});

const indexOf = (name: string) => LABS.findIndex((l) => l.name === name);

describe('the Labs screen', () => {
  it('lists every lab with its one-line claim', async () => {
    lab = await renderLab({ columns: 120, rows: 40 });
    await lab.press('6');
    await lab.waitFor('Labs: 15 lessons');
    for (const l of LABS) expect(lab.frame()).toContain(l.name);
    expect(lab.frame()).toContain(LABS[0].claim[0].slice(0, 40));
  });

  it('opens the guided panel of the selected lab and goes back with Esc', async () => {
    lab = await renderLab();
    await lab.press('6', ...new Array<string>(indexOf('keys')).fill('j'), KEY.enter);
    const keys = LABS[indexOf('keys')];
    await lab.waitFor(`keys · ${keys.title}`);
    expect(lab.frame()).toContain(`1 ${keys.steps[0].text.slice(0, 30)}`);
    expect(lab.frame()).toContain('Try this next:');
    expect(lab.frame()).toContain('t runs keys again with partitioner.ignore.keys=true');
    await lab.press(KEY.escape);
    await lab.waitFor('Labs: 15 lessons');
  });

  it('runs too-large to its verdict: steps done, counts, the observed line and the audit', async () => {
    lab = await renderLab({ columns: 100, rows: 30 });
    await lab.press('6', ...new Array<string>(indexOf('too-large')).fill('j'), 'r');
    await lab.waitFor('running', 10_000);
    await lab.waitFor(/PASSED|NOT AS CLAIMED|ERROR/, 45_000);
    const frame = lab.frame();
    expect(frame).toContain('PASSED');
    expect(frame).toMatch(/audit: sent 41 · acked 40 · failed 1 · lost 0 · duplicated 0 · reordered 0/);
    expect(frame).toMatch(/✓ 1 Send 20 records/);
    expect(frame).toMatch(/✓ 3 Send 20 more/);
    expect(frame).toMatch(/sent +41/);
    // Back on the list, the lab carries its verdict.
    await lab.press(KEY.escape);
    await lab.waitFor(/too-large .*PASSED/);
  }, 60_000);

  it('stops a running lab with x', async () => {
    lab = await renderLab({ columns: 100, rows: 30 });
    await lab.press('6', ...new Array<string>(indexOf('backpressure')).fill('j'), 'r');
    await lab.waitFor('running', 10_000);
    await lab.press('x');
    await lab.waitFor('ABORTED', 30_000);
    expect(lab.frame()).toContain('stopped before the verdict');
    // The notice says it once: not "aborted: stopped before the verdict: stopped from the Labs screen".
    await lab.waitFor('lab backpressure: stopped before the verdict: x pressed');
    expect(lab.frame()).not.toMatch(/stopped.*stopped/);
  }, 45_000);

  it('quitting while a lab runs stops the lab before the app exits', async () => {
    lab = await renderLab({ columns: 100, rows: 30 });
    await lab.press('6', ...new Array<string>(indexOf('backpressure')).fill('j'), 'r');
    await lab.waitFor('running', 10_000);
    expect(lab.session.labs.running).toBe('backpressure');
    await lab.press('q');
    await lab.exited;
    expect(lab.session.labs.running).toBeNull();
    expect(lab.store.getSnapshot().labs.runs.backpressure.report?.status).toBe('aborted');
  }, 45_000);
});
