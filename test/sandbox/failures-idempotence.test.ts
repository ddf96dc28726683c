// Issue 3, a lost acknowledgement with kafkajs over TCP: the produce is appended but its response never reaches the
// client (dropped, or later than kafkajs's requestTimeout). Without idempotence the retry writes the records again;
// with it the broker recognises the batch and answers with the original offset.
import { afterEach, describe, expect } from 'vitest';
import { Partitioners, type Producer } from 'kafkajs';
import { ApiKey } from '../../src/wire/api-keys.js';
import type { FaultKind } from '../../src/sandbox/server/faults.js';
import type { Sandbox } from '../../src/sandbox/sandbox.js';
import { audit, RunLedger } from '../helpers/audit.js';
import { EventRecorder } from '../helpers/cluster-events.js';
import { readBack } from '../helpers/read-back.js';
import { kafkaFor } from '../helpers/sandbox.js';
import { sandboxTest as it } from '../helpers/fixtures.js';

let producer: Producer | undefined;
afterEach(async () => {
  await producer?.disconnect().catch(() => {});
  producer = undefined;
});

const REQUEST_TIMEOUT_MS = 500;
const faults: Record<string, FaultKind> = {
  'drop-response': { kind: 'drop-response' },
  'delay longer than requestTimeout': { kind: 'delay', ms: REQUEST_TIMEOUT_MS * 3 },
};

async function setUp(sandbox: Sandbox, idempotent: boolean, fault: FaultKind) {
  const kafka = kafkaFor(sandbox, { requestTimeout: REQUEST_TIMEOUT_MS });
  const topic = idempotent ? 'ack-lost-idempotent' : 'ack-lost-plain';
  sandbox.cluster.createTopic(topic, 1, 3);
  producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent, retry: { retries: 3, initialRetryTime: 50 } });
  await producer.connect();
  const ledger = new RunLedger();
  // Three records acknowledged normally first, so the faulted batch's offset (3) is not the trivial 0.
  const warm = [ledger.message('k'), ledger.message('k'), ledger.message('k')];
  ledger.acked(warm, await producer.send({ topic, messages: warm }));
  const p = sandbox.cluster.partition(topic, 0)!;
  const events = new EventRecorder(sandbox);
  sandbox.state.faults.push({ apiKey: ApiKey.Produce, broker: p.leader, ...fault });
  const before = sandbox.state.requestLog.find({ api: 'Produce' }).length;
  const messages = [ledger.message('k'), ledger.message('k')];
  const result = await producer.send({ topic, messages });
  ledger.acked(messages, result);
  const produces = sandbox.state.requestLog.find({ api: 'Produce' }).slice(before);
  return { kafka, topic, p, ledger, result, produces, events };
}

describe('a produce acknowledgement lost after the append (kafkajs over TCP)', () => {
  for (const [name, fault] of Object.entries(faults)) {
    it(`without idempotence, ${name}: kafkajs retries and the records are written twice`, async ({ sandbox }) => {
      const { kafka, topic, p, ledger, result, produces, events } = await setUp(sandbox, false, fault);
      // The faulted request and kafkajs's retry; a held response also holds the requests behind it on that
      // connection (Kafka answers in order), so a retry can time out as well: every attempt appends a copy.
      const attempts = produces.length;
      expect(attempts).toBeGreaterThanOrEqual(2);
      expect(produces[0].fault).toBeDefined();
      expect(produces[0].outcome).toBe(fault.kind === 'drop-response' ? 'dropped' : 'answered');
      expect(events.of('fault', (e) => e.apiKey === ApiKey.Produce && e.kind === fault.kind)).toHaveLength(1);
      expect(result[0].baseOffset).toBe(String(3 + 2 * (attempts - 1))); // the last copy: the first sits at 3-4
      expect(p.logEndOffset()).toBe(3 + 2 * attempts);
      const audited = audit(ledger, await readBack(sandbox, kafka, topic));
      expect(audited).toMatchObject({ acked: 5, lost: 0, duplicated: 2 * (attempts - 1), read: 3 + 2 * attempts });
      expect(audited.duplicatedRecords.map((d) => d.offsets[0])).toEqual([3, 4]);
    });

    it(`with idempotence, ${name}: the retry is recognised as a duplicate and answered with the original offset`, async ({ sandbox }) => {
      const { kafka, topic, p, ledger, result, produces, events } = await setUp(sandbox, true, fault);
      expect(produces.length).toBeGreaterThanOrEqual(2);
      expect(produces[0].fault).toBeDefined();
      expect(events.of('fault', (e) => e.apiKey === ApiKey.Produce && e.kind === fault.kind)).toHaveLength(1);
      expect(result[0]).toMatchObject({ errorCode: 0, baseOffset: '3' }); // the original offset
      expect(p.logEndOffset()).toBe(5);
      const audited = audit(ledger, await readBack(sandbox, kafka, topic));
      expect(audited).toMatchObject({ acked: 5, lost: 0, duplicated: 0, reordered: 0, read: 5 });
    });
  }
});
