// The fault runs that lost data with kafkajs's idempotent producer (it rolled its sequence back after giving up on a
// batch, so a later batch of the same size was taken for a duplicate and never written): with the engine's own
// Sender, idempotent at acks=all with 5 requests in flight, nothing is lost, duplicated or reordered (the delivery
// audit reads the topic back), and no partition stays stuck after a fault. Over TCP and over the in-process pipe the
// app uses for its own cluster alike.
import { describe, expect, vi } from 'vitest';
import { auditDelivery } from '../../../src/kafka/workload/delivery-audit.js';
import type { DeliveryReport } from '../../../src/kafka/producer/engine-types.js';
import { Workload } from '../../../src/kafka/workload/workload.js';
import type { FaultKind } from '../../../src/sandbox/server/faults.js';
import { engineTest as it, TRANSPORTS, type EngineFixtures, type SandboxFixtures } from '../../helpers/fixtures.js';

const NOT_LEADER_OR_FOLLOWER = 6;

async function faultRun({ sandbox, startEngine }: Pick<SandboxFixtures & EngineFixtures, 'sandbox' | 'startEngine'>, topic: string, fault: FaultKind): Promise<{ audit: Awaited<ReturnType<typeof auditDelivery>>; stats: ReturnType<Workload['stats']>; retries: number }> {
  sandbox.cluster.createTopic(topic, 6, 3);
  const engine = await startEngine({ acks: 'all', 'enable.idempotence': true, 'max.in.flight.requests.per.connection': 5, 'request.timeout.ms': 1500, 'linger.ms': 5, 'batch.size': 2048, 'retry.backoff.ms': 20 });
  const created = Workload.create(engine, { topic, key: { kind: 'random', space: 60 }, value: '{"seq": {{seq}}}', format: 'json' });
  if (!created.ok) throw new Error(created.errors.join('; '));
  const w = created.workload;
  let seen = 0;
  w.onReport(() => {
    seen++;
    // `fault ... x3`, twice during the run.
    if (seen === 1500 || seen === 4500) sandbox.state.faults.push({ ...fault, apiKey: 0 }, 3);
  });
  await w.sendN(8000, { ratePerSec: 4000, collect: false });
  const audit = await auditDelivery(w.ledger, { brokers: sandbox.addresses() });
  return { audit, stats: w.stats(), retries: engine.counters.retries };
}

describe.each(TRANSPORTS)('over $name', ({ sandboxOptions }) => {
  it.override({ sandboxOptions });

  describe('fault runs that lost data with kafkajs (idempotent, acks=all, max.in.flight 5)', () => {
    it('fault drop produce x3, twice: nothing lost or duplicated', async ({ sandbox, startEngine }) => {
      const r = await faultRun({ sandbox, startEngine }, 'drop', { kind: 'drop-response' });
      expect(r.stats).toMatchObject({ issued: 8000, acked: 8000, failed: 0 });
      expect(r.audit).toMatchObject({ sent: 8000, acked: 8000, failed: 0, lost: 0, duplicated: 0, reordered: 0, read: 8000 });
      expect(r.retries).toBeGreaterThan(0);
    });

    it('fault error produce NOT_LEADER_OR_FOLLOWER after x3, twice: the appended batches are not written twice', async ({ sandbox, startEngine }) => {
      const r = await faultRun({ sandbox, startEngine }, 'notleader', { kind: 'error-after', error: NOT_LEADER_OR_FOLLOWER });
      expect(r.stats).toMatchObject({ issued: 8000, acked: 8000, failed: 0 });
      expect(r.audit).toMatchObject({ sent: 8000, acked: 8000, failed: 0, lost: 0, duplicated: 0, reordered: 0, read: 8000 });
      expect(r.retries).toBeGreaterThan(0);
    });

    it('fault disconnect produce x3, twice: no partition stays stuck, every record is acknowledged once', async ({ sandbox, startEngine }) => {
      const r = await faultRun({ sandbox, startEngine }, 'disconnect', { kind: 'disconnect' });
      expect(r.stats).toMatchObject({ issued: 8000, acked: 8000, failed: 0 });
      expect(r.audit).toMatchObject({ sent: 8000, acked: 8000, failed: 0, lost: 0, duplicated: 0, reordered: 0, read: 8000 });
    });
  });

  describe('a sequence that cannot be resolved (KIP-360)', () => {
    it('bumps the epoch after a batch times out for good, and the records after it are written, none swallowed as duplicates', async ({ sandbox, startEngine }) => {
      sandbox.cluster.createTopic('bump', 1, 3);
      const engine = await startEngine({ acks: 'all', 'enable.idempotence': true, 'request.timeout.ms': 300, 'delivery.timeout.ms': 800, 'linger.ms': 0, 'retry.backoff.ms': 10 });
      const created = Workload.create(engine, { topic: 'bump', key: { kind: 'fixed', key: 'k' }, value: '{"seq": {{seq}}}', format: 'json' });
      if (!created.ok) throw new Error(created.errors.join('; '));
      const w = created.workload;
      await w.sendN(10, { collect: false });
      const epochBefore = engine.status.producerEpoch;
      // Every answer is lost until the first batches have used up delivery.timeout.ms (the broker did append them).
      sandbox.state.faults.push({ kind: 'drop-response', apiKey: 0 }, 3);
      await w.sendN(5, { collect: false });
      expect(w.stats().failed).toBeGreaterThan(0);
      // The records failed at delivery.timeout.ms while in flight; the bump waits for their requests' outcome.
      await vi.waitFor(() => expect(engine.status.producerEpoch).toBe((epochBefore ?? 0) + 1), { timeout: 3000 });
      // The Sender's own view says the same: one bump, timeouts as the retries' cause, sequences from 0 again.
      const view = engine.senderView();
      expect(view).toMatchObject({ producerEpoch: (epochBefore ?? 0) + 1, epochBumps: 1 });
      expect(view.retriesByCause.REQUEST_TIMED_OUT).toBeGreaterThan(0);
      expect(view.sequences).toMatchObject([{ topicPartition: 'bump-0', nextSequence: 0, lastAckedSequence: -1, unacked: 0 }]);
      // kafkajs rolled its sequence back here, and the next batch of the same size was answered as a duplicate.
      await w.sendN(200, { collect: false });
      const audit = await auditDelivery(w.ledger, { brokers: sandbox.addresses() });
      expect(audit).toMatchObject({ sent: 215, lost: 0, duplicated: 0, reordered: 0 });
      expect(audit.acked + audit.failed).toBe(215);
      expect(audit.acked).toBeGreaterThanOrEqual(205);
    });
  });

  describe('a record that timed out in a batch created before it (issue 12, defect 6)', () => {
    it('reports its own wait as latency and in its error, not only the batch age', async ({ sandbox, control, startEngine }) => {
      sandbox.cluster.createTopic('alone', 1, 1);
      const engine = await startEngine({ acks: 1, 'enable.idempotence': false, 'linger.ms': 0, 'request.timeout.ms': 500, 'delivery.timeout.ms': 1200 });
      await engine.send({ topic: 'alone', key: null, value: Buffer.from('first'), headers: [] });
      const leader = sandbox.cluster.topics.get('alone')!.partitions[0].leader;
      expect((await control.stop(leader)).ok).toBe(true);
      await new Promise((r) => setTimeout(r, 1500)); // the producer learns the partition has no leader
      const early = engine.send({ topic: 'alone', key: null, value: Buffer.from('early'), headers: [] });
      await new Promise((r) => setTimeout(r, 500));
      const late = engine.send({ topic: 'alone', key: null, value: Buffer.from('late'), headers: [] });
      const [a, b] = await Promise.all([early, late]);
      expect(a.error?.code).toBe('DELIVERY_TIMEOUT');
      expect(b.error?.code).toBe('DELIVERY_TIMEOUT');
      expect(b.latencyMs).toBeLessThan(a.latencyMs - 300);
      const waited = Number(/this record waited (\d+) ms/.exec(b.error!.message)?.[1]);
      expect(Math.abs(waited - b.latencyMs)).toBeLessThan(5);
    });
  });

  describe('close with a paused leader (issue 12: quit keeps its promise)', () => {
    it('returns within its timeout, and every record not acknowledged is reported failed once, as closed', async ({ sandbox, control, startEngine }) => {
      sandbox.cluster.createTopic('quit', 1, 3);
      const engine = await startEngine({ acks: 'all', 'linger.ms': 0 });
      await engine.send({ topic: 'quit', key: null, value: Buffer.from('warm'), headers: [] });
      const leader = sandbox.cluster.topics.get('quit')!.partitions[0].leader;
      expect((await control.pause(leader)).ok).toBe(true);
      const reports: DeliveryReport[] = [];
      for (let i = 0; i < 50; i++) engine.produce({ topic: 'quit', key: null, value: Buffer.from(`r${i}`), headers: [] }, (r) => reports.push(r));
      await new Promise((r) => setTimeout(r, 200)); // on the wire, unanswered
      const began = Date.now();
      const { unsent } = await engine.close(1500);
      expect(Date.now() - began).toBeLessThan(2500);
      await new Promise((r) => setImmediate(r));
      expect(reports).toHaveLength(50);
      expect(unsent).toBe(50);
      expect(new Set(reports.map((r) => r.error?.code))).toEqual(new Set(['PRODUCER_CLOSED']));
    });
  });
});
