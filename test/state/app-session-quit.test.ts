// Quitting keeps its promise with a broker that does not answer: the app leaves within the flush time plus a little,
// a second quit leaves at once, and the last lines are one summary whose counts add up (each record once), with
// exit code 0 only when nothing was lost. Real built-in cluster, real producer engine.
import { afterEach, describe, expect, it } from 'vitest';
import { openCluster, type ClusterHandle } from '../../src/kafka/cluster/open-cluster.js';
import { AppSession } from '../../src/state/app-session.js';
import { AppStore } from '../../src/state/store/app-store.js';
import { DEFAULT_FORM } from '../../src/state/input/produce-form.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Summary {
  sent: number;
  acknowledged: number;
  failed: number;
  abandoned: number;
}

function parseSummary(message: string): Summary {
  const last = message.split('\n').find((l) => l.includes('abandoned at quit'));
  const m = last?.match(/sent ([\d,]+) · acknowledged ([\d,]+) · failed ([\d,]+) · abandoned at quit ([\d,]+)/);
  if (!m) throw new Error(`no summary in: ${message}`);
  const num = (s: string) => Number(s.replace(/,/g, ''));
  return { sent: num(m[1]), acknowledged: num(m[2]), failed: num(m[3]), abandoned: num(m[4]) };
}

let cluster: ClusterHandle | null = null;
afterEach(async () => {
  await cluster?.close();
  cluster = null;
});

async function producing(rate: number, flushTimeoutMs = 5000) {
  const store = new AppStore({ topic: 'playground' });
  let onExit!: (s: { code: number; message: string }) => void;
  const exited = new Promise<{ code: number; message: string }>((r) => (onExit = r));
  const session = new AppSession({
    store,
    topic: 'playground',
    openCluster: async () => (cluster = await openCluster({ sandbox: true, sandboxPort: 0 })),
    flushTimeoutMs,
    onExit,
  });
  await session.connect();
  expect(store.getSnapshot().connection.phase).toBe('ready');
  session.toggleRate({ ...DEFAULT_FORM, rate: String(rate), keySpace: '100' });
  await sleep(1500);
  return { store, session, exited };
}

describe('quit with a broker that does not answer', () => {
  it('leaves within 8 s of q with a summary that adds up, exit code 1 when records were abandoned', async () => {
    const { session, exited, store } = await producing(400);
    // Pause the broker that leads partition 0: its requests hang, as a paused JVM's would.
    const leader = (await cluster!.partitionInfo('playground', 0)).leader;
    await session.brokerAction('pause', leader, true);
    await sleep(2500);
    const ackedBefore = store.getSnapshot().totals!.acked;
    const t0 = Date.now();
    session.quit(false);
    const { code, message } = await exited;
    const took = Date.now() - t0;
    expect(took).toBeLessThan(8000);
    const s = parseSummary(message);
    expect(s.sent).toBeGreaterThan(0);
    expect(s.acknowledged + s.failed + s.abandoned).toBe(s.sent);
    expect(s.acknowledged).toBeGreaterThanOrEqual(ackedBefore);
    expect(code).toBe(s.failed + s.abandoned > 0 ? 1 : 0);
    // The summary is the last thing said: its first line is the counts.
    expect(message).toMatch(/^kafka-producer-tui:( |\n)sent /);
  }, 30_000);

  it('a second quit leaves at once, and what was still on its way is counted as abandoned, once', async () => {
    const { session, exited } = await producing(400);
    const leader = (await cluster!.partitionInfo('playground', 0)).leader;
    await session.brokerAction('pause', leader, true);
    await sleep(2000);
    session.quit(false);
    await sleep(200);
    const t0 = Date.now();
    session.quit(true);
    const { code, message } = await exited;
    expect(Date.now() - t0).toBeLessThan(1000);
    const s = parseSummary(message);
    expect(s.abandoned).toBeGreaterThan(0);
    expect(s.acknowledged + s.failed + s.abandoned).toBe(s.sent);
    expect(code).toBe(1);
    expect(message).toMatch(/abandoned: quit at once/);
  }, 30_000);

  it('leaves within 8 s with two brokers crashed, failed counted once (not the dead-letter cap)', async () => {
    const { session, exited } = await producing(800);
    await session.brokerAction('crash', 2, true);
    await session.brokerAction('crash', 3, true);
    await sleep(3000);
    const t0 = Date.now();
    session.quit(false);
    const { code, message } = await exited;
    expect(Date.now() - t0).toBeLessThan(8000);
    const s = parseSummary(message);
    expect(s.acknowledged + s.failed + s.abandoned).toBe(s.sent);
    expect(code).toBe(s.failed + s.abandoned > 0 ? 1 : 0);
    expect(message).not.toMatch(/dead letters/);
  }, 30_000);

  it('exits 0 with everything acknowledged when the cluster is healthy', async () => {
    const { session, exited } = await producing(200);
    session.quit(false);
    const { code, message } = await exited;
    const s = parseSummary(message);
    expect(s).toMatchObject({ failed: 0, abandoned: 0 });
    expect(s.acknowledged).toBe(s.sent);
    expect(code).toBe(0);
  }, 30_000);
});
