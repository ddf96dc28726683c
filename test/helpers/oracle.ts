// kafkajs's own protocol encoders and decoders as the oracle for the sandbox codec :
// our decoder must read what kafkajs encodes, and kafkajs must decode what we encode.
import { createRequire } from 'node:module';
import { Reader } from '../../src/wire/reader.js';
import { Writer } from '../../src/wire/writer.js';
import { requestCodec } from '../../src/wire/protocol.js';
import type { ApiDefinition } from '../../src/sandbox/server/api.js';

const require = createRequire(import.meta.url);

/** `api` is kafkajs's folder name under src/protocol/requests, e.g. 'produce', 'listOffsets'. */
export async function kafkajsRequestBody(api: string, version: number, args: Record<string, unknown>): Promise<Buffer> {
  const build = require(`kafkajs/src/protocol/requests/${api}/v${version}/request`);
  const request = build(args);
  const encoder = await request.encode();
  return Buffer.from(encoder.buffer);
}

/** Decodes and parses a response body (everything after the correlation id) the way kafkajs does. */
export async function kafkajsDecodeResponse(api: string, version: number, body: Buffer): Promise<any> {
  const response = require(`kafkajs/src/protocol/requests/${api}/v${version}/response`);
  const decoded = await response.decode(body);
  return response.parse ? response.parse(decoded) : decoded;
}

/** Same as kafkajsDecodeResponse but without `parse`, which throws on error codes. */
export async function kafkajsDecodeOnly(api: string, version: number, body: Buffer): Promise<any> {
  const response = require(`kafkajs/src/protocol/requests/${api}/v${version}/response`);
  return response.decode(body);
}

/**
 * Decodes a request body with our codec, checks that every byte was consumed, and that our encoder writes the very
 * same bytes back: the schema-derived codec and kafkajs's hand-written encoder agree byte for byte.
 */
export function decodeOurs<Req>(def: ApiDefinition<Req, unknown>, version: number, body: Buffer): Req {
  const r = new Reader(body);
  const req = def.decode(r, version);
  if (r.remaining() !== 0) throw new Error(`${r.remaining()} bytes left after decoding v${version}`);
  const w = new Writer();
  requestCodec(def.key, version).encode(w, req as object);
  if (!w.toBuffer().equals(body)) throw new Error(`re-encoding ${def.key} v${version} differs from kafkajs's bytes`);
  return req;
}

/** Encodes a response body with our codec; fields left out take the schema's defaults, as in a handler. */
export function encodeOurs(def: ApiDefinition<any, any>, version: number, res: object): Buffer {
  const w = new Writer();
  def.encode(w, version, res);
  return w.toBuffer();
}
