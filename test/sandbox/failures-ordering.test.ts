// Issue 3, ordering under retries with kafkajs over TCP: several sends to one partition are in flight, the first
// Produce is refused with a retriable error, and its retry lands after the later ones. kafkajs retries a whole
// send() after a backoff, so "in flight" here is the number of outstanding send() calls to the partition (the
// engine's gate), together with kafkajs's maxInFlightRequests.
import { afterEach, describe, expect } from 'vitest';
import { Partitioners, type Producer } from 'kafkajs';
import { ApiKey } from '../../src/wire/api-keys.js';
import { ErrorCode } from '../../src/wire/error-codes.js';
import type { Sandbox } from '../../src/sandbox/sandbox.js';
import { audit, RunLedger } from '../helpers/audit.js';
import { waitUntil } from '../helpers/cluster-events.js';
import { readBack } from '../helpers/read-back.js';
import { kafkaFor } from '../helpers/sandbox.js';
import { sandboxTest as it } from '../helpers/fixtures.js';

let producer: Producer | undefined;
afterEach(async () => {
  await producer?.disconnect().catch(() => {});
  producer = undefined;
});

/** At most `limit` outstanding send() calls. */
function gate(limit: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return {
    async acquire(): Promise<void> {
      if (active < limit) {
        active++;
        return;
      }
      await new Promise<void>((r) => waiting.push(r));
    },
    release(): void {
      const next = waiting.shift();
      if (next) next();
      else active--;
    },
  };
}

/**
 * Five sequence-numbered records to one partition, one send() each, at most `inFlight` outstanding, with
 * NOT_ENOUGH_REPLICAS injected before the append of the first Produce. Each send is issued once the previous
 * request reached the broker, so the wire order is the call order (kafkajs does not keep call order between
 * concurrent send() calls on its own).
 */
async function run(sandbox: Sandbox, inFlight: number, maxInFlightRequests: number) {
  const kafka = kafkaFor(sandbox);
  const topic = 'ordering';
  sandbox.cluster.createTopic(topic, 1, 3);
  producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, maxInFlightRequests, retry: { retries: 3, initialRetryTime: 300 } });
  await producer.connect();
  await producer.send({ topic, messages: [{ key: 'warm-up', value: 'metadata' }] });
  const leader = sandbox.cluster.partition(topic, 0)!.leader;
  sandbox.state.faults.push({ apiKey: ApiKey.Produce, broker: leader, kind: 'error-before', error: ErrorCode.NOT_ENOUGH_REPLICAS });
  const log = sandbox.state.requestLog;
  const produceCount = () => log.find({ api: 'Produce' }).length;
  const before = produceCount();
  const ledger = new RunLedger();
  const g = gate(inFlight);
  const sends: Promise<void>[] = [];
  for (let i = 0; i < 5; i++) {
    await g.acquire();
    const m = ledger.message('k');
    const requestsSoFar = produceCount();
    sends.push(
      producer
        .send({ topic, messages: [m] })
        .then((res) => ledger.acked([m], res))
        .finally(() => g.release()),
    );
    await waitUntil(() => produceCount() > requestsSoFar, `send ${i} to reach the broker`);
  }
  await Promise.all(sends);
  const produces = log.find({ api: 'Produce' }).slice(before);
  const audited = audit(ledger, await readBack(sandbox, kafka, topic));
  return { ledger, produces, audited };
}

describe('ordering under a retried produce (kafkajs over TCP)', () => {
  it('5 sends in flight without idempotence: the refused first batch is retried after the others and lands last', async ({ sandbox }) => {
    const { ledger, produces, audited } = await run(sandbox, 5, 5);
    expect(produces).toHaveLength(6); // five sends and one retry
    expect(produces[0]).toMatchObject({ fault: expect.stringContaining('NOT_ENOUGH_REPLICAS'), errors: [ErrorCode.NOT_ENOUGH_REPLICAS] });
    expect(audited).toMatchObject({ acked: 5, lost: 0, duplicated: 0, reordered: 1 });
    expect(ledger.records.map((r) => r.offset)).toEqual([5, 1, 2, 3, 4]); // sequence 0 written after 1-4
  });

  it('1 send in flight: the retry happens before the next send, and the records land in order', async ({ sandbox }) => {
    const { ledger, produces, audited } = await run(sandbox, 1, 1);
    expect(produces).toHaveLength(6);
    expect(produces[0]).toMatchObject({ fault: expect.stringContaining('NOT_ENOUGH_REPLICAS'), errors: [ErrorCode.NOT_ENOUGH_REPLICAS] });
    expect(audited).toMatchObject({ acked: 5, lost: 0, duplicated: 0, reordered: 0 });
    expect(ledger.records.map((r) => r.offset)).toEqual([1, 2, 3, 4, 5]);
  });

  it("kafkajs's maxInFlightRequests: 1 alone does not keep order: concurrent sends go out during the retry's backoff", async ({ sandbox }) => {
    const { ledger, audited } = await run(sandbox, 5, 1);
    expect(audited).toMatchObject({ acked: 5, lost: 0, reordered: 1 });
    expect(ledger.records.map((r) => r.offset)).toEqual([5, 1, 2, 3, 4]);
  });
});
