// The delivery audit end to end on the sandbox: a workload sends through the engine, the audit reads the topic
// back with a kafkajs consumer and counts. A clean run is 0/0/0; a dropped response without idempotence makes
// duplicates; an error on the first of several in-flight requests makes reordering.
import { describe, expect, it } from 'vitest';
import { auditDelivery } from '../../../src/kafka/workload/delivery-audit.js';
import { ProducerEngine } from '../../../src/kafka/producer/producer-engine.js';
import type { ProducerSettings } from '../../../src/kafka/producer/config/settings.js';
import { Workload, type RecordSpec } from '../../../src/kafka/workload/workload.js';
import { RunLedger } from '../../../src/kafka/workload/run-ledger.js';
import { engineTest, type EngineFixtures, type SandboxFixtures } from '../../helpers/fixtures.js';

/** The topic, then an engine on the test's sandbox. */
async function setUp(fx: Pick<SandboxFixtures & EngineFixtures, 'sandbox' | 'startEngine'>, topic: string, partitions: number, settings: Partial<ProducerSettings>) {
  fx.sandbox.cluster.createTopic(topic, partitions, 3);
  return fx.startEngine(settings);
}

function workload(e: ProducerEngine, spec: Partial<RecordSpec> & { topic: string }): Workload {
  const w = Workload.create(e, { key: { kind: 'random', space: 10 }, value: '{"n": {{seq}}}', format: 'json', ...spec });
  if (!w.ok) throw new Error(w.errors.join('; '));
  return w.workload;
}

describe('delivery audit on the sandbox', () => {
  engineTest('reports 0 lost, 0 duplicated, 0 reordered for a clean run, and ignores other runs in the topic', async ({ sandbox, control, startEngine }) => {
    const engine = await setUp({ sandbox, startEngine }, 'clean', 3, { 'linger.ms': 5 });
    const earlier = workload(engine, { topic: 'clean' });
    await earlier.sendN(300);
    const w = workload(engine, { topic: 'clean', key: { kind: 'random', space: 10 } });
    const reports = await w.sendN(3000);
    const nullKeys = workload(engine, { topic: 'clean', key: { kind: 'null' } });
    await nullKeys.sendN(500);
    expect(reports.filter((r) => r.error)).toEqual([]);
    const audit = await auditDelivery(w.ledger, { brokers: sandbox.addresses() });
    expect(audit).toMatchObject({ sent: 3000, acked: 3000, failed: 0, lost: 0, duplicated: 0, reordered: 0, failedButWritten: 0, read: 3000, unknown: 0 });
    expect(Object.keys(audit.perKey)).toHaveLength(10);
    const nullAudit = await auditDelivery(nullKeys.ledger, { brokers: sandbox.addresses() });
    expect(nullAudit).toMatchObject({ sent: 500, lost: 0, duplicated: 0, reordered: 0, read: 500 });
    expect(Object.keys(nullAudit.perKey)).toEqual(['(null)']);
  });

  engineTest('counts the records of a batch whose response was dropped, and retried without idempotence, as duplicated', async ({ sandbox, control, startEngine }) => {
    const engine = await setUp({ sandbox, startEngine }, 'dups', 1, {
      'enable.idempotence': false,
      acks: 'all',
      'request.timeout.ms': 1000,
      'delivery.timeout.ms': 20000,
      'linger.ms': 0,
    });
    const w = workload(engine, { topic: 'dups', key: { kind: 'fixed', key: 'k' } });
    await w.sendN(10); // metadata and connections first, so the fault hits a data request
    expect(control.dropResponse({ api: 'produce', count: 1 }).ok).toBe(true);
    const reports = await w.sendN(50);
    expect(reports.filter((r) => r.error)).toEqual([]);
    const retried = reports.filter((r) => r.attempts > 1).length;
    expect(retried).toBeGreaterThan(0);
    const audit = await auditDelivery(w.ledger, { brokers: sandbox.addresses() });
    expect(audit).toMatchObject({ sent: 60, acked: 60, lost: 0, duplicated: retried });
    expect(audit.examples.duplicated[0]).toMatchObject({ key: 'k', copies: 2 });
  });

  engineTest('finds reordering when the first of several in-flight requests fails and is retried (max.in.flight 5, no idempotence)', async ({ sandbox, control, startEngine }) => {
    const engine = await setUp({ sandbox, startEngine }, 'reorder', 1, {
      'enable.idempotence': false,
      'max.in.flight.requests.per.connection': 5,
      'retry.backoff.ms': 300,
      'linger.ms': 0,
      'batch.size': 512,
    });
    const w = workload(engine, { topic: 'reorder', key: { kind: 'fixed', key: 'k' } });
    await w.sendN(10);
    expect(control.injectError('produce', 'NOT_ENOUGH_REPLICAS', { when: 'before', count: 1 }).ok).toBe(true);
    const reports = await w.sendN(200);
    expect(reports.filter((r) => r.error)).toEqual([]);
    const retriedRecords = reports.filter((r) => r.attempts > 1).length;
    expect(retriedRecords).toBeGreaterThan(0);
    const audit = await auditDelivery(w.ledger, { brokers: sandbox.addresses() });
    // Every record of the refused batch lands after later batches: each is counted once.
    expect(audit).toMatchObject({ sent: 210, lost: 0, duplicated: 0, reordered: retriedRecords });
  });

  engineTest('with idempotence and max.in.flight 5 the same error reorders nothing', async ({ sandbox, control, startEngine }) => {
    const engine = await setUp({ sandbox, startEngine }, 'in-order', 1, { 'retry.backoff.ms': 300, 'linger.ms': 0, 'batch.size': 512 });
    const w = workload(engine, { topic: 'in-order', key: { kind: 'fixed', key: 'k' } });
    await w.sendN(10);
    control.injectError('produce', 'NOT_ENOUGH_REPLICAS', { when: 'before', count: 1 });
    const reports = await w.sendN(200);
    expect(reports.filter((r) => r.attempts > 1).length).toBeGreaterThan(0);
    const audit = await auditDelivery(w.ledger, { brokers: sandbox.addresses() });
    expect(audit).toMatchObject({ sent: 210, lost: 0, duplicated: 0, reordered: 0 });
  });

  it('fails with a clear message when the cluster is unreachable', async () => {
    const ledger = new RunLedger('nowhere', 'r1');
    await expect(auditDelivery(ledger, { brokers: ['127.0.0.1:1'], timeoutMs: 3000, connectionTimeoutMs: 300 })).rejects.toThrow(
      /^cannot audit nowhere: the cluster at 127\.0\.0\.1:1 is unreachable/,
    );
  });
});
