// Issue 4 acceptance: settings changed in the middle of a stream lose, duplicate and reorder nothing (the delivery
// audit reads the topic back), and the workload's rate starts, changes and stops on a real engine.
import { describe, expect } from 'vitest';
import { auditDelivery } from '../../../src/kafka/workload/delivery-audit.js';
import { ProducerEngine } from '../../../src/kafka/producer/producer-engine.js';
import { Workload } from '../../../src/kafka/workload/workload.js';
import { waitUntil } from '../../helpers/cluster-events.js';
import { engineTest as it } from '../../helpers/fixtures.js';

function workload(e: ProducerEngine, topic: string): Workload {
  const w = Workload.create(e, { topic, key: { kind: 'random', space: 50 }, value: '{"seq": {{seq}}, "at": "{{now}}"}', format: 'json' });
  if (!w.ok) throw new Error(w.errors.join('; '));
  return w.workload;
}

describe('live settings and rates on the sandbox', () => {
  it('switching acks=1 -> all, then idempotence on, in the middle of a 20,000-record stream loses and duplicates nothing', async ({ sandbox, startEngine }) => {
    sandbox.cluster.createTopic('switch', 6, 3);
    const engine = await startEngine({ acks: 1, 'enable.idempotence': false, 'linger.ms': 5 });
    const e = engine;
    const w = workload(e, 'switch');
    const switches: Promise<unknown>[] = [];
    let seen = 0;
    const issuedAtSwitch: number[] = [];
    w.onReport(() => {
      seen++;
      if (seen === 5000) switches.push(e.applySettings({ acks: 'all' }));
      if (seen === 10000) switches.push(e.applySettings({ 'enable.idempotence': true }));
      if (seen === 5000 || seen === 10000) issuedAtSwitch.push(w.stats().issued);
    });
    const reports = await w.sendN(20_000, { ratePerSec: 10_000, collect: false });
    const results = await Promise.all(switches);
    expect(results).toEqual([
      { ok: true, changed: ['acks'], swapped: false },
      { ok: true, changed: ['enable.idempotence'], swapped: true },
    ]);
    expect(e.settings).toMatchObject({ acks: 'all', 'enable.idempotence': true });
    // Records were still being issued after the second switch: the stream went on through both.
    expect(issuedAtSwitch[1]).toBeLessThan(20_000);
    expect(w.stats()).toMatchObject({ issued: 20_000, acked: 20_000, failed: 0 });
    expect(reports).toEqual([]); // collect: false keeps no reports
    const audit = await auditDelivery(w.ledger, { brokers: sandbox.addresses() });
    expect(audit).toMatchObject({ sent: 20_000, acked: 20_000, failed: 0, lost: 0, duplicated: 0, reordered: 0, read: 20_000 });
  });

  it('acks all -> 0 -> all (idempotence off, then on again) keeps sending: the new idempotent producer gets an id', async ({ sandbox, startEngine }) => {
    sandbox.cluster.createTopic('round-trip', 3, 3);
    const e = await startEngine({ 'linger.ms': 1 });
    expect(await e.applySettings({ acks: 0 })).toMatchObject({ ok: true, swapped: true });
    expect((await e.send({ topic: 'round-trip', key: null, value: Buffer.from('at acks=0'), headers: [] })).error).toBeNull();
    expect(await e.applySettings({ acks: 'all' })).toMatchObject({ ok: true, swapped: true });
    const r = await Promise.race([
      e.send({ topic: 'round-trip', key: null, value: Buffer.from('at acks=all again'), headers: [] }),
      new Promise<'stuck'>((resolve) => setTimeout(() => resolve('stuck'), 3000).unref()),
    ]);
    expect(r).toMatchObject({ error: null, attempts: 1 });
  });

  it('produces at a rate, changes it live, stops, and everything it issued arrives once', async ({ sandbox, startEngine }) => {
    sandbox.cluster.createTopic('rate', 3, 3);
    const engine = await startEngine();
    const w = workload(engine, 'rate');
    w.startRate(300);
    await waitUntil(() => w.stats().acked >= 30, 'the first records at 300/s');
    expect(w.stats().ratePerSec).toBe(300);
    w.setRate(3000);
    expect(w.stats().ratePerSec).toBe(3000);
    const atChange = w.stats().acked;
    await waitUntil(() => w.stats().acked >= atChange + 300, 'more records at 3000/s');
    w.stop();
    await w.idle();
    const stopped = w.stats();
    expect(stopped).toMatchObject({ ratePerSec: null, outstanding: 0, failed: 0, behindSchedule: 0 });
    await new Promise((r) => setTimeout(r, 100));
    expect(w.stats().issued).toBe(stopped.issued);
    const audit = await auditDelivery(w.ledger, { brokers: sandbox.addresses() });
    expect(audit).toMatchObject({ sent: stopped.issued, acked: stopped.issued, lost: 0, duplicated: 0, reordered: 0 });
  });
});
