import { describe, expect } from 'vitest';
import { consumeUntil } from '../../helpers/txn.js';
import { engineTest as it } from '../../helpers/fixtures.js';

const rec = (i: number) => ({ topic: 'tx', key: Buffer.from(`k${i}`), value: Buffer.from(`v${i}`), headers: [] });

describe('transactional producer engine', () => {
  it('refuses records outside a transaction, commits what it sends and aborts what it must hide', async ({ sandbox, kafka, startEngine }) => {
    sandbox.cluster.createTopic('tx', 1, 3);
    const engine = await startEngine({ 'transactional.id': 'lab-tx', 'linger.ms': 0 });
    const outside = await engine.send(rec(0));
    expect(outside.error?.message).toMatch(/begin a transaction/);

    expect((await engine.transactions.begin()).ok).toBe(true);
    await Promise.all([1, 2, 3].map((i) => engine.send(rec(i))));
    expect(engine.transactions.view()).toMatchObject({ phase: 'open', records: 3 });
    expect((await engine.transactions.commit()).ok).toBe(true);

    expect((await engine.transactions.begin()).ok).toBe(true);
    await Promise.all([4, 5].map((i) => engine.send(rec(i))));
    const aborted = await engine.transactions.abort();
    expect(aborted).toMatchObject({ ok: true });
    expect(engine.transactions.view()).toMatchObject({ phase: 'none', committed: 1, aborted: 1 });

    // A last committed record marks the end for the readers.
    await engine.transactions.begin();
    await engine.send(rec(6));
    await engine.transactions.commit();
    const committed = await consumeUntil(kafka, 'tx', 'v6');
    expect(committed.map((c) => c.value)).toEqual(['v1', 'v2', 'v3', 'v6']);
    const everything = await consumeUntil(kafka, 'tx', 'v6', { readUncommitted: true });
    expect(everything.map((c) => c.value)).toEqual(['v1', 'v2', 'v3', 'v4', 'v5', 'v6']);
  });

  it('a second producer with the same transactional.id fences the first', async ({ sandbox, startEngine }) => {
    sandbox.cluster.createTopic('tx', 1, 3);
    const settings = { 'transactional.id': 'zombie', 'linger.ms': 0 } as const;
    const zombie = await startEngine(settings);
    expect((await zombie.transactions.begin()).ok).toBe(true);
    expect((await zombie.send(rec(1))).error).toBeNull();

    const successor = await startEngine(settings);
    expect((await successor.transactions.begin()).ok).toBe(true);

    const late = await zombie.send(rec(2));
    const commit = await zombie.transactions.commit();
    expect(late.error !== null || !commit.ok).toBe(true);
    expect(zombie.transactions.view().phase).toBe('fenced');
    expect((await zombie.send(rec(3))).error?.code).toBe('PRODUCER_FENCED');
  });
});
