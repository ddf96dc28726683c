// The built-in cluster's direct Produce codec reads requests into what the table-driven interpreter reads and writes
// answers byte for byte as the interpreter writes them, for every version it covers: a client cannot tell which
// one answered it.
import { describe, expect, it } from 'vitest';
import { decodeProduceRequestBody, encodeProduceResponseBody } from '../../src/wire/produce-broker-codec.js';
import { encodeProduceRequest, PRODUCE_DIRECT_VERSIONS } from '../../src/wire/produce-codec.js';
import { compileStruct } from '../../src/wire/protocol/compile.js';
import { MESSAGES } from '../../src/wire/protocol/messages.generated.js';
import { decodeRequest, encodeResponse, responseCodec } from '../../src/wire/protocol.js';
import { Reader } from '../../src/wire/reader.js';
import { Writer } from '../../src/wire/writer.js';

const versions = Array.from({ length: PRODUCE_DIRECT_VERSIONS.max - PRODUCE_DIRECT_VERSIONS.min + 1 }, (_, i) => PRODUCE_DIRECT_VERSIONS.min + i);
const spec = MESSAGES.find((m) => m[0] === 0)!;
const interpreter = (part: 4 | 5, version: number) => compileStruct(spec[part], version, version >= 9);

const requests = [
  {
    transactionalId: null,
    acks: -1,
    timeoutMs: 30_000,
    topicData: [{ name: 'orders', partitionData: [{ index: 0, records: Buffer.from('batch-0') }, { index: 5, records: Buffer.alloc(300, 7) }] }],
  },
  { transactionalId: 'tx-ünïcode', acks: 1, timeoutMs: 5, topicData: [{ name: 'a', partitionData: [{ index: 2, records: null }] }, { name: 'empty', partitionData: [] }] },
  { acks: 0, timeoutMs: 1, topicData: [] },
];

const answers = [
  { responses: [{ name: 'orders', partitionResponses: [{ index: 0, errorCode: 0, baseOffset: 2 ** 40 + 3, logAppendTimeMs: -1, logStartOffset: 7 }] }], throttleTimeMs: 0 },
  {
    responses: [
      {
        name: 'bé',
        partitionResponses: [
          { index: 5, errorCode: 87, baseOffset: -1, recordErrors: [{ batchIndex: 3, batchIndexErrorMessage: 'bad' }, { batchIndex: 4, batchIndexErrorMessage: null }], errorMessage: 'INVALID_RECORD', currentLeader: { leaderId: 2, leaderEpoch: 9 } },
          { index: 6, errorCode: 6, currentLeader: { leaderId: -1, leaderEpoch: -1 } },
        ],
      },
      { name: 'none', partitionResponses: [] },
    ],
    throttleTimeMs: 12,
  },
  { responses: [{ partitionResponses: [{}] }] },
  {},
];

/** Shapes left to the interpreter. */
const unusual = [
  { responses: [], nodeEndpoints: [{ nodeId: 2, host: 'broker-2', port: 9092, rack: null }] },
  { responses: [{ name: 't', partitionResponses: [{ index: 0, currentLeader: null }] }] },
];

describe('the built-in cluster\'s direct Produce codec', () => {
  it.each(versions)('v%i requests read as the interpreter reads them', (version) => {
    for (const body of requests) {
      const frame = encodeProduceRequest(version, 7, 'client', body).subarray(4);
      const header = new Reader(frame, 2 + 2 + 4); // after api key, version and correlation id
      header.nullableString();
      if (version >= 9) header.skipTags();
      const at = header.offset;
      const expected = interpreter(4, version).decode(new Reader(frame, at));
      const r = new Reader(frame, at);
      expect(decodeProduceRequestBody(version, r)).toEqual(expected);
      expect(r.remaining()).toBe(0);
      expect(decodeRequest(frame).body).toEqual(expected);
    }
  });

  it.each(versions)('v%i refuses a truncated request instead of reading past it', (version) => {
    const frame = encodeProduceRequest(version, 7, null, requests[0]).subarray(4);
    expect(() => decodeRequest(frame.subarray(0, frame.length - 20))).toThrow();
  });

  it.each(versions)('v%i answers are byte for byte the interpreter\'s; unusual ones are left to it', (version) => {
    for (const body of [...answers, ...unusual]) {
      const expected = new Writer(64);
      interpreter(5, version).encode(expected, body);
      const direct = new Writer(64);
      if (encodeProduceResponseBody(version, direct, body)) expect(direct.toBuffer().equals(expected.toBuffer())).toBe(true);
      else expect(direct.length).toBe(0);
      const frame = encodeResponse(0, version, 3, body).subarray(4);
      const r = new Reader(frame, 4);
      if (version >= 9) r.skipTags();
      expect(responseCodec(0, version).decode(r)).toEqual(interpreter(5, version).decode(new Reader(expected.toBuffer())));
    }
  });
});
