// The live audit in the app, driven by keys on the built-in cluster: a leader crash with acks=1 while followers lag
// loses acknowledged records, and the Live screen's count equals the headless audit's (the acks1 lab's method);
// the Records screen lists them under their definitions.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openCluster, type ClusterHandle } from '../../src/kafka/cluster/open-cluster.js';
import { auditDelivery } from '../../src/kafka/workload/delivery-audit.js';
import { SETTING_NAMES } from '../../src/kafka/producer/config/settings.js';
import { KEY, renderLab, type LabHarness } from './render-lab.js';

let lab: LabHarness | undefined;
afterEach(async () => {
  await lab?.close();
  lab = undefined;
});

describe('live audit in the app', () => {
  it('counts the records a crashed acks=1 leader took with it, as the acks1 lab audits them', async () => {
    let cluster!: ClusterHandle;
    lab = await renderLab({ columns: 120, rows: 40, openCluster: async () => (cluster = await openCluster({ sandbox: true, sandboxPort: 0 })) });
    await lab.waitFor('Latest delivery reports');
    // enable.idempotence off first (it needs acks=all), then acks=1.
    await lab.press('3', 'j', KEY.right);
    await lab.waitFor(/enable\.idempotence = false/);
    await lab.press('k', KEY.enter, KEY.ctrlU, '1', KEY.enter);
    await lab.waitFor(/acks = 1/);
    await lab.press('1', 'p');
    await lab.waitFor('producing 100 records/s');
    await lab.press('2');
    await vi.waitFor(() => expect(lab!.store.getSnapshot().audit?.view.read).toBeGreaterThan(50), { timeout: 10_000 });
    const sandbox = cluster.sandbox!;
    const leader = sandbox.partition('playground', 2)!.leader;
    for (const b of [1, 2, 3]) if (b !== leader) sandbox.setReplicationDelay(b, 1500);
    await new Promise((r) => setTimeout(r, 1000));
    await lab.press('4', ...Array.from({ length: leader - 1 }, () => 'j'), 'c');
    // Taking a broker below min.insync.replicas asks first; answer when it does.
    await vi.waitFor(() => expect(lab!.ui.getSnapshot().confirm !== null || /crashed/.test(lab!.frame())).toBe(true), { timeout: 10_000 });
    if (lab.ui.getSnapshot().confirm) await lab.press('y');
    await lab.waitFor(`broker ${leader} crashed`, 10_000);
    await lab.press('2');
    await lab.waitFor(/lost [1-9]\d* · duplicated/, 15_000);
    await lab.press('1', 'p');
    await lab.waitFor('producing stopped');
    const headless = await auditDelivery(lab.session.runLedger()!, { brokers: cluster.brokers, settleMs: 2000 });
    expect(headless.lost).toBeGreaterThan(0);
    await vi.waitFor(() => expect(lab!.store.getSnapshot().audit?.view.lost).toBe(headless.lost), { timeout: 10_000 });
    await lab.press('5', 'h');
    await lab.waitFor(`Live audit: lost ${headless.lost}`);
    await lab.waitFor(/lost +key user-1 seq \d+, partition 2: acked at offset \d+/);
    await lab.waitFor('lost: acked (or sent with acks=0), absent once the high watermark passed it');
  }, 60_000);

  it('reads as applications do once the producer is transactional: read_committed', async () => {
    lab = await renderLab({ columns: 100, rows: 30 });
    await vi.waitFor(() => expect(lab!.store.getSnapshot().audit?.view.isolation).toBe('read_uncommitted'), { timeout: 10_000 });
    const index = SETTING_NAMES.indexOf('transactional.id');
    await lab.press('3', ...new Array<string>(index).fill('j'), KEY.enter, KEY.ctrlU, ...'audited', KEY.enter);
    await lab.waitFor('transactional.id = audited (a new producer took over', 10_000);
    await vi.waitFor(() => expect(lab!.store.getSnapshot().audit?.view.isolation).toBe('read_committed'), { timeout: 10_000 });
    await lab.press('5', 'h');
    await lab.waitFor('read_committed');
    // An aborted transaction's records are never read committed, and they are not lost; a committed one's are read.
    await lab.press('1', 'b');
    await lab.waitFor('s sends into it', 10_000);
    await lab.press('n');
    await lab.waitFor(/send 100 done/, 15_000);
    await lab.press('a');
    await lab.waitFor(/aborted 100 record/, 15_000);
    await lab.press('b');
    await lab.waitFor('s sends into it', 10_000);
    await lab.press('n');
    await lab.waitFor(/send 100 done/, 15_000);
    await lab.press('c');
    await lab.waitFor(/committed 100 record/, 15_000);
    await vi.waitFor(() => expect(lab!.store.getSnapshot().audit?.view.read).toBe(100), { timeout: 10_000 });
    await new Promise((r) => setTimeout(r, 2500));
    expect(lab.store.getSnapshot().audit?.view).toMatchObject({ lost: 0, duplicated: 0, reordered: 0, unseen: 0 });
  }, 60_000);

  it("shows the idempotent producer's sequences on the Pipeline screen with the broker's window of its last 5 batches", async () => {
    lab = await renderLab({ columns: 120, rows: 40 });
    await lab.waitFor('Latest delivery reports');
    for (let i = 0; i < 7; i++) {
      await lab.press('s');
      await lab.waitFor(`offset ${i},`);
    }
    await lab.press('8');
    // Seven single-record batches: sequences 0..6; the broker keeps the last five.
    await lab.waitFor(/p2 next 7 acked 6 · broker keeps 2 3 4 5 6/, 5000);
    await lab.waitFor(/idempotence on · producer id \d+ · epoch 0/);
  }, 30_000);
});
