// The direct Produce codec writes the bytes the table-driven interpreter writes, and reads answers into the same
// shape, for every version it covers: a broker (ours, or Kafka) cannot tell which one coded a request.
import { describe, expect, it } from 'vitest';
import { decodeProduceResponse, encodeProduceRequest, PRODUCE_DIRECT_VERSIONS } from '../../src/wire/produce-codec.js';
import { decodeRequest, decodeResponse, encodeResponse, requestCodec, responseCodec } from '../../src/wire/protocol.js';
import { Reader } from '../../src/wire/reader.js';
import { Writer } from '../../src/wire/writer.js';

const versions = Array.from({ length: PRODUCE_DIRECT_VERSIONS.max - PRODUCE_DIRECT_VERSIONS.min + 1 }, (_, i) => PRODUCE_DIRECT_VERSIONS.min + i);

/** The interpreter's request frame (what encodeRequest wrote for Produce before the direct codec). */
function interpreted(version: number, correlationId: number, clientId: string | null, body: object): Buffer {
  const w = new Writer(64).int32(0).int16(0).int16(version).int32(correlationId).nullableString(clientId);
  if (version >= 9) w.emptyTags();
  requestCodec(0, version).encode(w, body);
  const frame = w.toBuffer();
  frame.writeInt32BE(frame.length - 4, 0);
  return frame;
}

const bodies = [
  {
    transactionalId: null,
    acks: -1,
    timeoutMs: 30_000,
    topicData: [{ name: 'orders', partitionData: [{ index: 0, records: Buffer.from('batch-0') }, { index: 5, records: Buffer.alloc(300, 7) }] }],
  },
  {
    transactionalId: 'tx-ünïcode',
    acks: 1,
    timeoutMs: 5,
    topicData: [
      { name: 'a', partitionData: [{ index: 2, records: null }] },
      { name: 'bé', partitionData: [{ index: 1, records: [Buffer.from('part1'), Buffer.from('part2')] }] },
      { name: 'empty', partitionData: [] },
    ],
  },
  { acks: 0, timeoutMs: 1, topicData: [] },
];

describe('direct Produce codec', () => {
  it.each(versions)('v%i requests are byte for byte the interpreter\'s, and the broker side reads them back', (version) => {
    for (const body of bodies) {
      for (const clientId of ['kafka-producer-tui', null, '']) {
        const direct = encodeProduceRequest(version, 42, clientId, body);
        expect(direct.equals(interpreted(version, 42, clientId, body))).toBe(true);
        expect(decodeRequest(direct.subarray(4)).body.acks).toBe(body.acks);
      }
    }
  });

  it.each(versions)('v%i answers decode as the interpreter decodes them, tagged fields and errors included', (version) => {
    const answer = {
      responses: [
        {
          name: 'orders',
          partitionResponses: [
            { index: 0, errorCode: 0, baseOffset: 2 ** 40 + 3, logAppendTimeMs: -1, logStartOffset: 7 },
            {
              index: 5,
              errorCode: 87,
              baseOffset: -1,
              logAppendTimeMs: 1_700_000_000_000,
              recordErrors: [{ batchIndex: 3, batchIndexErrorMessage: 'bad record' }, { batchIndex: 4, batchIndexErrorMessage: null }],
              errorMessage: 'INVALID_RECORD',
              currentLeader: { leaderId: 2, leaderEpoch: 9 },
            },
          ],
        },
        { name: 'bé', partitionResponses: [] },
      ],
      throttleTimeMs: 12,
      nodeEndpoints: [{ nodeId: 2, host: 'broker-2', port: 9092, rack: null }],
    };
    const frame = encodeResponse(0, version, 77, answer).subarray(4);
    const r = new Reader(frame, 4);
    if (version >= 9) r.skipTags();
    const expected = responseCodec(0, version).decode(r);
    const direct = decodeProduceResponse(version, frame);
    expect(direct).toEqual({ correlationId: 77, body: expected });
    expect(decodeResponse(0, version, frame)).toEqual(direct);
  });

  it('refuses a truncated answer instead of reading past it', () => {
    const frame = encodeResponse(0, 9, 1, { responses: [{ name: 't', partitionResponses: [{ index: 0 }] }] }).subarray(4);
    expect(() => decodeProduceResponse(9, frame.subarray(0, frame.length - 6))).toThrow();
  });
});
