// Java's rule, seen from the broker: with idempotence and max.in.flight.requests.per.connection=5, up to 5 Produce
// requests of one producer are in flight per broker at once (kafkajs allowed one), and the records keep their order.
import { describe, expect } from 'vitest';
import { auditDelivery } from '../../../src/kafka/workload/delivery-audit.js';
import { Workload } from '../../../src/kafka/workload/workload.js';
import type { RequestLogEntry } from '../../../src/sandbox/server/request-log.js';
import { engineTest as it } from '../../helpers/fixtures.js';

/** The most Produce requests a broker held at once (read off the socket, not yet answered), per broker. */
function maxConcurrent(entries: readonly RequestLogEntry[]): Map<number, number> {
  const events: { broker: number; at: number; d: number }[] = [];
  for (const e of entries) {
    if (e.api !== 'Produce' || e.respondedAt === undefined) continue;
    events.push({ broker: e.broker, at: e.arrivedAt ?? e.receivedAt, d: 1 }, { broker: e.broker, at: e.respondedAt, d: -1 });
  }
  // Answers before arrivals at the same millisecond: a request answered then is no longer in flight.
  events.sort((a, b) => a.at - b.at || a.d - b.d);
  const now = new Map<number, number>();
  const max = new Map<number, number>();
  for (const e of events) {
    const n = (now.get(e.broker) ?? 0) + e.d;
    now.set(e.broker, n);
    max.set(e.broker, Math.max(max.get(e.broker) ?? 0, n));
  }
  return max;
}

describe('requests in flight per broker, from the sandbox request log', () => {
  it('idempotent with max.in.flight=5: up to 5 Produce requests per broker at once, never more, and order kept', async ({ sandbox, control, startEngine }) => {
    sandbox.cluster.createTopic('five', 3, 3);
    // Followers copy 40 ms late: every acks=all answer waits, so requests pile up to the limit.
    for (const id of [1, 2, 3]) expect(control.setReplicationDelay(id, 40).ok).toBe(true);
    const engine = await startEngine({ acks: 'all', 'enable.idempotence': true, 'max.in.flight.requests.per.connection': 5, 'linger.ms': 0, 'batch.size': 1024 });
    const created = Workload.create(engine, { topic: 'five', key: { kind: 'random', space: 30 }, value: '{"seq": {{seq}}}', format: 'json', recordSize: 100 });
    if (!created.ok) throw new Error(created.errors.join('; '));
    sandbox.state.requestLog.clear();
    await created.workload.sendN(1500, { collect: false });
    const max = maxConcurrent(sandbox.state.requestLog.all());
    expect([...max.values()].length).toBe(3);
    expect(Math.max(...max.values())).toBe(5);
    const audit = await auditDelivery(created.workload.ledger, { brokers: sandbox.addresses() });
    expect(audit).toMatchObject({ sent: 1500, acked: 1500, lost: 0, duplicated: 0, reordered: 0 });
  });
});
