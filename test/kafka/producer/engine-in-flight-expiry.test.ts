// delivery.timeout.ms for a batch still in flight (Java's Sender.getExpiredInflightBatches): its records fail at the
// deadline with "... ms has passed since batch creation", not when its request times out; the partition waits for
// the request's outcome before anything of it is sent again, and the sequence is resolved by that outcome: written
// (no epoch bump) or not known (KIP-360 bump), never rolled back. Nothing later is lost, duplicated or reordered.
// A retry that expires while queued leaves its sequence unresolved too (Java's markSequenceUnresolved).
import { describe, expect } from 'vitest';
import { auditDelivery } from '../../../src/kafka/workload/delivery-audit.js';
import type { EngineEvent } from '../../../src/kafka/producer/engine-types.js';
import type { FaultKind } from '../../../src/sandbox/server/faults.js';
import { Workload } from '../../../src/kafka/workload/workload.js';
import { engineTest as it, type EngineFixtures, type SandboxFixtures } from '../../helpers/fixtures.js';

const DELIVERY_TIMEOUT_MS = 2000;

/**
 * Two records to one partition, one request in flight at a time: the first batch's answer comes 1200 ms late, so the
 * second batch, created 100 ms after it, is only sent then; `second` is what happens to its request. It expires in flight
 * at 2000 ms, before its own request.timeout.ms (1500 ms after it was sent) is up.
 */
async function expiryRun({ sandbox, startEngine }: Pick<SandboxFixtures & EngineFixtures, 'sandbox' | 'startEngine'>, topic: string, second: FaultKind) {
  sandbox.cluster.createTopic(topic, 1, 3);
  const engine = await startEngine({
    acks: 'all',
    'enable.idempotence': true,
    'max.in.flight.requests.per.connection': 1,
    'linger.ms': 0,
    'request.timeout.ms': 1500,
    'delivery.timeout.ms': DELIVERY_TIMEOUT_MS,
  });
  const events: EngineEvent[] = [];
  engine.on((e) => events.push(e));
  const created = Workload.create(engine, { topic, key: { kind: 'fixed', key: 'k' }, value: '{"seq": {{seq}}}', format: 'json' });
  if (!created.ok) throw new Error(created.errors.join('; '));
  const w = created.workload;
  sandbox.state.faults.push({ kind: 'delay', ms: 1200, apiKey: 0 });
  sandbox.state.faults.push({ ...second, apiKey: 0 });
  const firstSent = w.sendN(1);
  // The second record comes once the first batch is on the wire, so it starts a batch of its own.
  await new Promise((resolve) => setTimeout(resolve, 100));
  const [expired] = await w.sendN(1);
  const [first] = await firstSent;
  return { engine, events, w, first, expired };
}

describe('a batch in flight at delivery.timeout.ms', () => {
  it('fails at the deadline; the late answer says it was written, so no epoch bump, and later records follow it once each', async ({ sandbox, startEngine }) => {
    const r = await expiryRun({ sandbox, startEngine }, 'late-answer', { kind: 'delay', ms: 1200 });
    expect(r.first.error).toBeNull();
    expect(r.expired.error).toMatchObject({ code: 'DELIVERY_TIMEOUT' });
    expect(r.expired.error!.message).toMatch(/ms has passed since batch creation/);
    expect(r.expired.latencyMs).toBeGreaterThanOrEqual(DELIVERY_TIMEOUT_MS - 50);
    // The send failed before the broker answered (Java tells TimeoutException first, logs the late answer).
    await expect.poll(() => r.events.some((e) => e.t === 'log' && /(was|were) written after all/.test(e.message))).toBe(true);
    const reportAt = r.events.findIndex((e) => e.t === 'delivered' && Array.from({ length: e.batch.count }, (_, i) => e.batch.report(i).id).includes(r.expired.id));
    const lateAt = r.events.findIndex((e) => e.t === 'log' && /(was|were) written after all/.test(e.message));
    expect(reportAt).toBeLessThan(lateAt);
    // A subsequent send succeeds, under the same epoch: the answer resolved the sequence.
    const after = await r.w.sendN(20);
    expect(after.filter((x) => x.error)).toEqual([]);
    expect(r.engine.senderView().epochBumps).toBe(0);
    const audit = await auditDelivery(r.w.ledger, { brokers: sandbox.addresses() });
    expect(audit).toMatchObject({ sent: 22, acked: 21, failed: 1, failedButWritten: 1, lost: 0, duplicated: 0, reordered: 0, read: 22 });
  });

  it('fails at the deadline; with no answer at all the epoch is bumped, and later records are written once each, in order', async ({ sandbox, startEngine }) => {
    const r = await expiryRun({ sandbox, startEngine }, 'no-answer', { kind: 'drop-response' });
    const epoch = r.engine.status.producerEpoch!;
    expect(r.expired.error).toMatchObject({ code: 'DELIVERY_TIMEOUT' });
    expect(r.expired.latencyMs).toBeGreaterThanOrEqual(DELIVERY_TIMEOUT_MS - 50);
    // Its request times out later; only then does the Sender know the sequence cannot be resolved.
    expect(r.events.some((e) => e.t === 'epoch-bump')).toBe(false);
    const after = await r.w.sendN(20);
    expect(after.filter((x) => x.error)).toEqual([]);
    expect(r.events.find((e) => e.t === 'epoch-bump')).toMatchObject({ from: epoch, to: epoch + 1 });
    const audit = await auditDelivery(r.w.ledger, { brokers: sandbox.addresses() });
    // The dropped answer's batch was appended by the broker: failed but written, and never written twice.
    expect(audit).toMatchObject({ sent: 22, acked: 21, failed: 1, failedButWritten: 1, lost: 0, duplicated: 0, reordered: 0, read: 22 });
  });

  it('a retried batch that expires while it waits out its backoff: its sequence is resolved (epoch bump), and the next send succeeds', async ({ sandbox, startEngine }) => {
    sandbox.cluster.createTopic('expired-retry', 1, 3);
    const engine = await startEngine({ 'enable.idempotence': true, 'linger.ms': 0, 'request.timeout.ms': 1000, 'delivery.timeout.ms': 1000, 'retry.backoff.ms': 2000, 'retry.backoff.max.ms': 2000 });
    const epoch = engine.status.producerEpoch!;
    const send = (v: string) => engine.send({ topic: 'expired-retry', key: null, value: Buffer.from(v), headers: [] });
    expect((await send('first')).error).toBeNull();
    // NOT_ENOUGH_REPLICAS before the append: retriable, and the retry's backoff outlasts delivery.timeout.ms.
    sandbox.state.faults.push({ kind: 'error-before', error: 19, apiKey: 0 });
    expect((await send('expires')).error).toMatchObject({ code: 'DELIVERY_TIMEOUT' });
    // The broker never got sequence 1: the next batch cannot follow on from it, so the epoch is bumped first.
    expect((await send('next')).error).toBeNull();
    expect(engine.status.producerEpoch).toBe(epoch + 1);
    expect(engine.partitionSequences('expired-retry')).toMatchObject([{ nextSequence: 1, lastAckedSequence: 0, unacked: 0 }]);
  });

  it('an expired batch whose request never answers, followed by a batch the broker acknowledges: resolved without an epoch bump', async ({ sandbox, startEngine }) => {
    sandbox.cluster.createTopic('resolved', 1, 3);
    const engine = await startEngine({ 'enable.idempotence': true, 'linger.ms': 0, 'request.timeout.ms': 1500, 'delivery.timeout.ms': 2000, 'retry.backoff.ms': 100 });
    const created = Workload.create(engine, { topic: 'resolved', key: { kind: 'fixed', key: 'k' }, value: '{"seq": {{seq}}}', format: 'json' });
    if (!created.ok) throw new Error(created.errors.join('; '));
    const w = created.workload;
    // Both tries of the first batch are appended but never answered: it expires on the wire, its outcome unknown.
    sandbox.state.faults.push({ kind: 'drop-response', apiKey: 0 }, 2);
    const [expired] = await w.sendN(1);
    expect(expired.error).toMatchObject({ code: 'DELIVERY_TIMEOUT' });
    // The next batch follows on from its sequence and is acknowledged: the broker has the expired one too.
    const [next] = await w.sendN(1);
    expect(next.error).toBeNull();
    await expect.poll(() => engine.senderView().sequences[0]?.unacked, { timeout: 3000 }).toBe(0);
    const after = await w.sendN(10);
    expect(after.filter((x) => x.error)).toEqual([]);
    expect(engine.senderView().epochBumps).toBe(0);
    const audit = await auditDelivery(w.ledger, { brokers: sandbox.addresses() });
    expect(audit).toMatchObject({ sent: 12, acked: 11, failed: 1, failedButWritten: 1, lost: 0, duplicated: 0, reordered: 0 });
  });
});
