// librdkafka 2.0.2's transactional producer (through kcat) against the sandbox over TCP: `kcat -P -X
// transactional.id=...` commits at the end of its input, and librdkafka's read_committed
// consumer (its default isolation) reads the committed records but not a transaction kafkajs aborted.
import { describe, expect } from 'vitest';
import type { Sandbox } from '../../src/sandbox/sandbox.js';
import { commandWorks, runChild, type ChildResult } from '../helpers/child.js';
import { fileSandboxTest as it } from '../helpers/fixtures.js';
import { kafkaFor } from '../helpers/sandbox.js';
import { consumeUntil, transactionalProducer } from '../helpers/txn.js';

const hasKcat = commandWorks('kcat', ['-V']);
if (!hasKcat) console.warn('kcat not found: skipping the librdkafka transaction tests (install it with `apt-get install -y kcat`)');

function kcat(sandbox: Sandbox, args: string[], input?: string): Promise<ChildResult> {
  return runChild('kcat', ['-b', sandbox.bootstrap(), ...args], { timeoutMs: 25_000, input });
}

/** Request name -> versions librdkafka sent, from `-d protocol` lines like `Sent EndTxnRequest (v1, ...`. */
function sentVersions(debug: string): Map<string, number[]> {
  const out = new Map<string, Set<number>>();
  for (const m of debug.matchAll(/Sent (\w+)Request \(v(\d+),/g)) {
    if (!out.has(m[1])) out.set(m[1], new Set());
    out.get(m[1])!.add(Number(m[2]));
  }
  return new Map([...out].map(([k, v]) => [k, [...v].sort((a, b) => a - b)]));
}

/** Values of a one-partition topic read to its end by librdkafka's consumer (read_committed unless told). */
async function readAll(sandbox: Sandbox, topic: string, extra: string[] = []): Promise<string[]> {
  const res = await kcat(sandbox, ['-C', '-t', topic, '-o', 'beginning', '-e', '-f', '%o:%s\n', ...extra]);
  expect(res.code, res.stderr).toBe(0);
  return res.stdout.split('\n').filter((l) => l.length > 0);
}

// One sandbox for the file, as before the fixtures: each test uses its own topics and transactional ids.
describe.skipIf(!hasKcat)('kcat transactions (librdkafka 2.0.2) against the sandbox', () => {
  it('-P with transactional.id commits at the end of input; a read_committed consumer reads the records', async ({ sandbox }) => {
    expect(sandbox.cluster.createTopic('kcat-txn', 1, 3).error).toBe(0);
    const put = await kcat(sandbox, ['-P', '-t', 'kcat-txn', '-X', 'transactional.id=kcat-tx-1', '-d', 'protocol'], 'first\nsecond\nthird\n');
    expect(put.code, put.stderr).toBe(0);
    expect(put.stderr).toContain('Transaction successfully committed');
    // librdkafka's transactional request set, at the versions the sandbox advertises.
    const sent = sentVersions(put.stderr);
    expect(sent.get('InitProducerId')).toEqual([4]);
    expect(sent.get('AddPartitionsToTxn')).toEqual([0]);
    expect(sent.get('Produce')).toEqual([7]);
    expect(sent.get('EndTxn')).toEqual([1]);
    expect(sandbox.state.transactions.transaction('kcat-tx-1')).toMatchObject({ state: 'CompleteCommit', producerEpoch: 0 });

    // Records at 0-2, the COMMIT marker at 3: neither consumer shows the marker.
    expect(await readAll(sandbox, 'kcat-txn')).toEqual(['0:first', '1:second', '2:third']);
    expect((await consumeUntil(kafkaFor(sandbox), 'kcat-txn', 'third')).map((r) => `${r.offset}:${r.value}`)).toEqual(['0:first', '1:second', '2:third']);
  });

  it('a transaction kafkajs aborted stays invisible to librdkafka\'s read_committed consumer', async ({ sandbox }) => {
    expect(sandbox.cluster.createTopic('kcat-aborted', 1, 3).error).toBe(0);
    const producer = transactionalProducer(kafkaFor(sandbox), 'kjs-aborter');
    await producer.connect();
    try {
      const txn = await producer.transaction();
      await txn.send({ topic: 'kcat-aborted', messages: [{ value: 'aborted-1' }, { value: 'aborted-2' }] });
      await txn.abort(); // records at 0-1, ABORT marker at 2
    } finally {
      await producer.disconnect();
    }
    const put = await kcat(sandbox, ['-P', '-t', 'kcat-aborted', '-X', 'transactional.id=kcat-tx-2'], 'committed\n');
    expect(put.code, put.stderr).toBe(0);
    expect(put.stderr).toContain('Transaction successfully committed');

    expect(await readAll(sandbox, 'kcat-aborted')).toEqual(['3:committed']);
    expect(await readAll(sandbox, 'kcat-aborted', ['-X', 'isolation.level=read_uncommitted'])).toEqual(['0:aborted-1', '1:aborted-2', '3:committed']);
  });
});
