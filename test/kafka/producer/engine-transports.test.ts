// The producer engine and the live audit's reader behave the same over TCP and over the in-process pipe the app
// uses for its own cluster: records delivered and read once, a paused leader stalls the producer until resumed, a
// crashed leader fails over, a stopped or crashed broker drops its connections and refuses new ones, and a started
// one takes them again.
import { describe, expect, vi } from 'vitest';
import type { DeliveryReport } from '../../../src/kafka/producer/engine-types.js';
import { BrokerConnection } from '../../../src/kafka/producer/sender/broker-connection.js';
import { WireMonitor } from '../../../src/kafka/producer/sender/wire-monitor.js';
import { auditDelivery } from '../../../src/kafka/workload/delivery-audit.js';
import { LiveAudit } from '../../../src/kafka/workload/live-audit.js';
import { Workload } from '../../../src/kafka/workload/workload.js';
import type { Sandbox } from '../../../src/sandbox/sandbox.js';
import { engineTest as it, TRANSPORTS } from '../../helpers/fixtures.js';

function workload(engine: Parameters<typeof Workload.create>[0], topic: string): Workload {
  const created = Workload.create(engine, { topic, key: { kind: 'random', space: 16 }, value: '{"n": {{seq}}}', format: 'json' });
  if (!created.ok) throw new Error(created.errors.join('; '));
  return created.workload;
}

/** Where the open connections to a broker come from (host:port for TCP, in-process:N for the pipe). */
function sources(sandbox: Sandbox, broker: number): string[] {
  return sandbox.servers.get(broker)!.connectionSources();
}

function open(sandbox: Sandbox, broker: number): Promise<BrokerConnection> {
  const b = sandbox.cluster.brokers.get(broker)!;
  return BrokerConnection.open({ host: b.host, port: b.port, clientId: 'transport-test', setupTimeoutMs: 30_000 }, new WireMonitor());
}

describe.each(TRANSPORTS)('over $name', ({ sandboxOptions }) => {
  it.override({ sandboxOptions });
  const inProcess = sandboxOptions.inProcessClients === true;

  it('delivers every record, the live audit reads each once, and the connections are the expected kind', async ({ sandbox, startEngine }) => {
    sandbox.cluster.createTopic('t', 3, 3);
    const engine = await startEngine({ acks: 'all', 'enable.idempotence': true, 'linger.ms': 5 });
    const audit = new LiveAudit({ target: { brokers: sandbox.addresses() }, topic: 't', pollMs: 200, graceMs: 300, settleMs: 3000 });
    try {
      await audit.start();
      await vi.waitFor(() => expect(audit.view().phase).toBe('tailing'), { timeout: 15_000 });
      const w = workload(engine, 't');
      audit.track(w.ledger);
      w.onReport((r, key, seq) => audit.settled(r, key, seq));
      await w.sendN(2000, { ratePerSec: 4000, collect: false });
      expect(w.stats()).toMatchObject({ issued: 2000, acked: 2000, failed: 0 });
      await vi.waitFor(() => expect(audit.view().read).toBe(2000), { timeout: 10_000 });
      expect(audit.view()).toMatchObject({ lost: 0, duplicated: 0, reordered: 0 });
      const all = [1, 2, 3].flatMap((b) => sources(sandbox, b));
      // The producer's and the audit's own connections: in process when the cluster offers it, TCP otherwise.
      expect(all.filter((s) => s.startsWith('in-process:')).length > 0).toBe(inProcess);
    } finally {
      await audit.close();
    }
  }, 30_000);

  it('a paused leader stalls the producer (request.timeout.ms closes its connection); resumed, every record is delivered once', async ({ sandbox, control, startEngine }) => {
    sandbox.cluster.createTopic('p', 1, 3);
    const engine = await startEngine({ acks: 'all', 'enable.idempotence': true, 'linger.ms': 0, 'request.timeout.ms': 800, 'delivery.timeout.ms': 60_000, 'retry.backoff.ms': 50 });
    const w = workload(engine, 'p');
    await w.sendN(20, { collect: false });
    const leader = sandbox.cluster.topics.get('p')!.partitions[0].leader;
    const before = sources(sandbox, leader);
    expect((await control.pause(leader)).ok).toBe(true);
    const reports: DeliveryReport[] = [];
    for (let i = 0; i < 100; i++) engine.produce({ topic: 'p', key: null, value: Buffer.from(`r${i}`), headers: [] }, (r) => reports.push(r));
    // The first request times out and its connection closes: the paused broker sees that connection go.
    await vi.waitFor(() => expect(sources(sandbox, leader).filter((s) => before.includes(s))).toHaveLength(before.length - 1), { timeout: 5000 });
    expect(reports).toEqual([]);
    expect(engine.counters.retries).toBeGreaterThan(0);
    expect((await control.resume(leader)).ok).toBe(true);
    await vi.waitFor(() => expect(reports).toHaveLength(100), { timeout: 10_000 });
    expect(reports.filter((r) => r.error)).toEqual([]);
    const audit = await auditDelivery(w.ledger, { brokers: sandbox.addresses() });
    expect(audit).toMatchObject({ sent: 20, lost: 0, duplicated: 0, reordered: 0 });
    const offsets = reports.map((r) => r.offset);
    expect(new Set(offsets).size).toBe(100);
  }, 30_000);

  it('a crashed leader fails over: every record is delivered, none twice', async ({ sandbox, control, startEngine }) => {
    sandbox.cluster.createTopic('c', 1, 3);
    const engine = await startEngine({ acks: 'all', 'enable.idempotence': true, 'linger.ms': 5, 'retry.backoff.ms': 20 });
    const w = workload(engine, 'c');
    await w.sendN(200, { collect: false });
    expect((await control.crash(sandbox.cluster.topics.get('c')!.partitions[0].leader)).ok).toBe(true);
    await w.sendN(300, { ratePerSec: 2000, collect: false });
    expect(w.stats()).toMatchObject({ issued: 500, acked: 500, failed: 0 });
    const audit = await auditDelivery(w.ledger, { brokers: sandbox.addresses() });
    expect(audit).toMatchObject({ sent: 500, acked: 500, lost: 0, duplicated: 0, reordered: 0, read: 500 });
  });

  it('a stopped broker closes its connections and refuses new ones; started again, it takes them', async ({ sandbox, control }) => {
    const conn = await open(sandbox, 2);
    expect(sources(sandbox, 2).some((s) => s.startsWith('in-process:'))).toBe(inProcess);
    expect((await control.stop(2)).ok).toBe(true);
    await vi.waitFor(() => expect(conn.closed).toBe(true));
    expect(conn.closeReason?.message).toMatch(/closed by the broker/);
    await sandbox.settled();
    await expect(open(sandbox, 2)).rejects.toThrow(/could not connect.*ECONNREFUSED/);
    expect((await control.start(2)).ok).toBe(true);
    await sandbox.settled();
    const again = await open(sandbox, 2);
    expect(again.closed).toBe(false);
    expect(sources(sandbox, 2)).toHaveLength(1);
    again.close();
  });

  it('an idle connection is closed after connections.max.idle.ms, with a log line naming where it came from', async ({ startSandbox }) => {
    const logs: string[] = [];
    const s = await startSandbox({ ...sandboxOptions, connectionsMaxIdleMs: 200, log: (line) => logs.push(line) });
    const conn = await open(s, 1);
    await vi.waitFor(() => expect(conn.closed).toBe(true), { timeout: 3000 });
    expect(conn.closeReason?.message).toMatch(/closed by the broker/);
    expect(logs.join('\n')).toMatch(inProcess ? /from in-process:\d+: idle for 200 ms/ : /from 127\.0\.0\.1:\d+: idle for 200 ms/);
  });

  it('a crashed broker resets its connections (the client sees ECONNRESET) and refuses new ones', async ({ sandbox, control }) => {
    const conn = await open(sandbox, 3);
    expect((await control.crash(3)).ok).toBe(true);
    await vi.waitFor(() => expect(conn.closed).toBe(true));
    expect(conn.closeReason?.message).toMatch(/ECONNRESET/);
    await sandbox.settled();
    await expect(open(sandbox, 3)).rejects.toThrow(/ECONNREFUSED/);
  });
});
