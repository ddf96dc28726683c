// The live audit's record walk: the offset, key and chosen headers of every record of a fetched record set, as
// kafkajs's own batch decoder reads them (the oracle); a batch cut short at the end of a fetch is left for the next
// one; a transaction marker says whether it aborts.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { buildRecordBatch } from '../../src/wire/record-batch-builder.js';
import { buildControlBatch, rewriteForLog } from '../../src/wire/record-batch.js';
import { isAbortMarker, walkRecords, wholeBatches } from '../../src/wire/record-walk.js';

const require = createRequire(import.meta.url);
const Decoder = require('kafkajs/src/protocol/decoder');
const decodeBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder');

const now = 1_765_000_000_000;
const state = { producerId: -1, producerEpoch: -1, baseSequence: -1, transactional: false };
const rec = (key: string | null, headers: { key: string; value: string }[], value = 'v') => ({ topic: 't', partition: 0, key: key === null ? null : Buffer.from(key), value: Buffer.from(value), headers, timestamp: now });

const first = rewriteForLog(
  buildRecordBatch([rec('user-1', [{ key: 'kpt.run', value: 'r1' }, { key: 'kpt.seq', value: '0' }]), rec(null, [{ key: 'kpt.seq', value: '7' }, { key: 'other', value: 'x' }, { key: 'kpt.run', value: 'r1' }]), rec('ключ', [], 'x'.repeat(300))], state),
  100,
  0,
);
const second = rewriteForLog(buildRecordBatch([rec('user-2', [{ key: 'kpt.run', value: 'r1' }, { key: 'kpt.run', value: 'second copy' }, { key: 'kpt.seq', value: '12' }])], state), 103, 0);

function walkAll(recordSet: Buffer) {
  const out: { offset: number; key: string | null; run: string | null; seq: string | null }[] = [];
  for (const b of wholeBatches(recordSet)) {
    walkRecords(b.records, b.header.baseOffset, [Buffer.from('kpt.run'), Buffer.from('kpt.seq')], (offset, key, [run, seq]) => out.push({ offset, key: key?.toString('utf8') ?? null, run, seq }));
  }
  return out;
}

async function kafkajsWalk(recordSet: Buffer) {
  const out: { offset: number; key: string | null; run: string | null; seq: string | null }[] = [];
  const d = new Decoder(recordSet);
  while (d.canReadBytes(61)) {
    const { records } = await decodeBatch(d);
    for (const r of records as { offset: string; key: Buffer | null; headers: Record<string, Buffer | Buffer[]> }[]) {
      const h = (name: string) => {
        const v = r.headers[name];
        return v === undefined ? null : (Array.isArray(v) ? v[0] : v).toString('utf8');
      };
      out.push({ offset: Number(r.offset), key: r.key?.toString('utf8') ?? null, run: h('kpt.run'), seq: h('kpt.seq') });
    }
  }
  return out;
}

describe('record walk', () => {
  it('reads each record’s offset, key and the first of each chosen header, as kafkajs decodes them', async () => {
    const recordSet = Buffer.concat([first, second]);
    const walked = walkAll(recordSet);
    expect(walked).toEqual(await kafkajsWalk(recordSet));
    expect(walked).toEqual([
      { offset: 100, key: 'user-1', run: 'r1', seq: '0' },
      { offset: 101, key: null, run: 'r1', seq: '7' },
      { offset: 102, key: 'ключ', run: null, seq: null },
      { offset: 103, key: 'user-2', run: 'r1', seq: '12' },
    ]);
  });

  it('leaves out a batch cut short at the end of a fetch', () => {
    const cut = Buffer.concat([first, second.subarray(0, second.length - 5)]);
    expect(wholeBatches(cut).map((b) => b.header.baseOffset)).toEqual([100]);
    expect(wholeBatches(first.subarray(0, 40))).toEqual([]);
  });

  it('tells an abort marker from a commit marker', () => {
    const marker = (commit: boolean) => wholeBatches(buildControlBatch({ commit, producerId: 9, producerEpoch: 0, timestamp: now }))[0];
    expect(marker(false).header.isControl).toBe(true);
    expect(isAbortMarker(marker(false).records)).toBe(true);
    expect(isAbortMarker(marker(true).records)).toBe(false);
  });
});
