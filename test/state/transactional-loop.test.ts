// Setting transactional.id while the producer loop runs stops the loop (and says so) instead of turning every
// record into a failure; committing while it runs inside a transaction stops it with the transaction.
import { afterEach, describe, expect, it } from 'vitest';
import { openCluster, type ClusterHandle } from '../../src/kafka/cluster/open-cluster.js';
import { AppSession } from '../../src/state/app-session.js';
import { DEFAULT_FORM } from '../../src/state/input/produce-form.js';
import { AppStore } from '../../src/state/store/app-store.js';

const snap = (store: AppStore) => (store.publish(), store.getSnapshot());
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let cluster: ClusterHandle | null = null;
let session: AppSession | null = null;

afterEach(async () => {
  if (session) {
    const s = session;
    await new Promise<void>((resolve) => {
      (s as unknown as { opts: { onExit: () => void } }).opts.onExit = () => resolve();
      s.quit(false);
    });
  }
  await cluster?.close();
  cluster = session = null;
});

describe('transactional.id and the producer loop', () => {
  it('stops the loop when transactional.id is set, with no record failing, and says so', async () => {
    const store = new AppStore({ topic: 'playground' });
    session = new AppSession({ store, topic: 'playground', openCluster: async () => (cluster = await openCluster({ sandbox: true, sandboxPort: 0, transactions: true })), flushTimeoutMs: 2000, onExit: () => {} });
    await session.connect();
    const form = { ...DEFAULT_FORM, rate: '300', keySpace: '10' };
    session.toggleRate(form);
    await sleep(1000);
    store.publish();
    expect(snap(store).workload?.running).toBe(true);
    expect(await session.applySetting('transactional.id', 'tx-loop')).toBeNull();
    expect(snap(store).notice?.text).toMatch(/producing stopped: a transactional producer sends only inside a transaction/);
    await sleep(1500);
    store.publish();
    const now = snap(store);
    expect(now.workload?.detail).toMatch(/^stopped/);
    expect(now.totals!.failed).toBe(0);

    // Inside a transaction the loop runs; committing stops it with the transaction, and nothing fails.
    session.transaction('begin');
    const until = Date.now() + 10_000;
    while (snap(store).transaction?.phase !== 'open' && Date.now() < until) await sleep(100);
    session.toggleRate(form);
    await sleep(1000);
    session.transaction('commit');
    await sleep(2500);
    store.publish();
    const after = snap(store);
    expect(after.transaction?.committed).toBe(1);
    expect(after.totals!.failed).toBe(0);
    expect(after.workload?.detail).toMatch(/^stopped/);
    expect(after.notice?.text).toMatch(/producer loop stopped with the transaction/);
  }, 40_000);
});
