// The schema-driven codec: every version of every API in Kafka's definitions round-trips, headers follow the
// flexible/non-flexible rules, and the generated tables are what the generator makes of Kafka's definitions.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  decodeRequest,
  decodeResponse,
  encodeRequest,
  encodeResponse,
  requestCodec,
  responseCodec,
} from '../../src/wire/protocol.js';
import { MESSAGES } from '../../src/wire/protocol/messages.generated.js';
import { parseRange } from '../../src/wire/protocol/spec.js';
import { sampleBody } from '../helpers/sample-bodies.js';

const root = join(import.meta.dirname, '..', '..');
const definitions = [join(root, '..', 'shared'), join(root, '..', '..', 'shared')]
  .map((d) => join(d, 'kafka-protocol', 'messages'))
  .find((d) => existsSync(d));

describe('generated message tables', () => {
  it.skipIf(!definitions)('match what scripts/gen-protocol.mjs makes of Kafka\'s definitions', () => {
    const fresh = execFileSync(process.execPath, [join(root, 'scripts', 'gen-protocol.mjs'), definitions!, '--check'], { encoding: 'utf8' });
    expect(fresh).toBe(readFileSync(join(root, 'src', 'wire', 'protocol', 'messages.generated.ts'), 'utf8'));
  });
  if (!definitions) it.skip('regeneration check skipped: ../shared/kafka-protocol/messages is not on this machine', () => {});
});

describe('every API version round-trips through the codec', () => {
  for (const [apiKey, name, valid, , requestFields, responseFields] of MESSAGES) {
    const { min, max } = parseRange(valid);
    it(`${name} (${apiKey}) v${min}-${max}`, () => {
      for (let version = min; version <= max; version++) {
        for (let seed = 1; seed <= 4; seed++) {
          const req = sampleBody(requestFields, version, seed * 1000 + version);
          const frame = encodeRequest(apiKey, version, 77 + seed, seed === 1 ? null : 'client-é', req);
          expect(frame.readInt32BE(0)).toBe(frame.length - 4);
          const back = decodeRequest(frame.subarray(4));
          expect(back).toMatchObject({ apiKey, apiVersion: version, correlationId: 77 + seed, clientId: seed === 1 ? null : 'client-é' });
          expect(back.body).toMatchObject(req);
          expect(Object.keys(back.body).sort()).toEqual(Object.keys(requestCodec(apiKey, version).make()).sort());
          expect(encodeRequest(apiKey, version, 77 + seed, seed === 1 ? null : 'client-é', back.body)).toEqual(frame);

          const res = sampleBody(responseFields, version, seed * 7000 + version);
          const rframe = encodeResponse(apiKey, version, 9, res);
          const rback = decodeResponse(apiKey, version, rframe.subarray(4));
          expect(rback.correlationId).toBe(9);
          expect(rback.body).toMatchObject(res);
          expect(encodeResponse(apiKey, version, 9, rback.body)).toEqual(rframe);
        }
      }
    });
  }
});

describe('headers and defaults', () => {
  it('uses request header v2 and response header v1 for flexible versions, but v0 for ApiVersions responses', () => {
    const flexible = encodeRequest(3, 12, 5, 'c', { topics: null });
    const old = encodeRequest(3, 8, 5, 'c', { topics: null });
    // v1 header: key, version, correlation, client id "c"; v2 adds an empty tag section (one 0 byte).
    expect(flexible.subarray(4, 4 + 11 + 1).at(-1)).toBe(0);
    expect(old.readInt32BE(4 + 8 + 3)).toBe(-1); // v8 topics: a null array right after the v1 header
    expect(encodeResponse(3, 12, 5, {}).readUInt8(8)).toBe(0); // header tags
    const av = encodeResponse(18, 3, 5, { errorCode: 35 });
    expect(av.readInt16BE(8)).toBe(35); // no header tags: the error code follows the correlation id
  });

  it('fills in the schema defaults for fields a caller leaves out or a version lacks', () => {
    const { body } = decodeRequest(encodeRequest(3, 3, 1, null, { topics: [{ name: 't' }] }).subarray(4));
    expect(body.allowAutoTopicCreation).toBe(true); // v4+ field, default true
    const fetch = decodeRequest(encodeRequest(1, 4, 1, null, { topics: [] }).subarray(4)).body;
    expect(fetch.replicaId).toBe(-1);
    expect(fetch.sessionEpoch).toBe(-1);
    expect(fetch.maxBytes).toBe(0x7fffffff);
    expect(responseCodec(0, 11).make().responses).toEqual([]);
  });

  it('keeps unknown tagged fields from breaking a decode', () => {
    // ApiVersions v3 request with an extra tag 7 in the body's tag section.
    const frame = encodeRequest(18, 3, 1, 'c', { clientSoftwareName: 'x', clientSoftwareVersion: '1' });
    const withTag = Buffer.concat([frame.subarray(0, -1), Buffer.from([1, 7, 2, 0xaa, 0xbb])]);
    expect(decodeRequest(withTag.subarray(4)).body).toMatchObject({ clientSoftwareName: 'x', clientSoftwareVersion: '1' });
  });

  it('refuses a count larger than the bytes that follow instead of allocating it', () => {
    const frame = encodeRequest(3, 1, 1, null, { topics: [] });
    frame.writeInt32BE(0x7fffffff, frame.length - 4);
    expect(() => decodeRequest(frame.subarray(4))).toThrow(/array/);
  });
});
