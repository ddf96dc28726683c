// The Kafka wire protocol for both sides: whole request and response frames for any API and version Kafka's
// message definitions describe, coded from the generated tables (protocol/messages.generated.ts) by the
// table-driven interpreter (protocol/compile.ts). Body fields are the definitions' names in lowerCamelCase;
// fields a version lacks, or a caller leaves out, take the definitions' defaults.
//
// Produce requests and answers, the producer's hot path, are coded directly (produce-codec.ts).
//
// Headers (Kafka's RequestHeader/ResponseHeader definitions): request header v1 (client id as a non-compact
// nullable string) or v2 (v1 plus a tagged-field section) for flexible versions; response header v0 (the
// correlation id) or v1 (plus tags) for flexible versions, except ApiVersions, whose response always uses v0 so
// a client can read it before it knows which versions the broker speaks (KIP-511).
import { compileStruct, type StructCodec } from './protocol/compile.js';
import { MESSAGES } from './protocol/messages.generated.js';
import { inRange, parseRange, type MessageSpec, type VersionRange } from './protocol/spec.js';
import { decodeProduceRequestBody, encodeProduceResponseBody } from './produce-broker-codec.js';
import { decodeProduceResponse, encodeProduceRequest, isDirectProduce } from './produce-codec.js';
import { ProtocolError, Reader } from './reader.js';
import { Writer } from './writer.js';

const API_VERSIONS = 18;

interface Api {
  spec: MessageSpec;
  valid: VersionRange;
  flexible: VersionRange;
  request: (StructCodec | undefined)[];
  response: (StructCodec | undefined)[];
}

const apis = new Map<number, Api>(
  MESSAGES.map((spec) => [spec[0], { spec, valid: parseRange(spec[2]), flexible: parseRange(spec[3]), request: [], response: [] }]),
);

/** A request for an API or version Kafka's definitions do not describe; the header is known, the body is not. */
export class UnsupportedVersionError extends ProtocolError {
  constructor(readonly apiKey: number, readonly apiVersion: number) {
    super(`unsupported API ${apiKey} v${apiVersion}`);
    this.name = 'UnsupportedVersionError';
  }
}

function api(apiKey: number, version: number): Api {
  const a = apis.get(apiKey);
  if (!a || !inRange(a.valid, version)) throw new UnsupportedVersionError(apiKey, version);
  return a;
}

/** The API's name in Kafka's definitions ("Produce", "FindCoordinator"), or undefined for an unknown key. */
export function apiNameOf(apiKey: number): string | undefined {
  return apis.get(apiKey)?.spec[1];
}

/** The versions Kafka's definitions describe for this API (what the codec can code). */
export function definedVersions(apiKey: number): VersionRange | undefined {
  const a = apis.get(apiKey);
  return a && { ...a.valid };
}

/** Whether this version uses the flexible encoding (KIP-482): compact types, tags, request header v2. */
export function isFlexibleVersion(apiKey: number, version: number): boolean {
  const a = apis.get(apiKey);
  return a !== undefined && inRange(a.flexible, version);
}

/** Response header v1 (with tags) goes with flexible versions, except for ApiVersions (always v0). */
function responseHeaderHasTags(apiKey: number, version: number): boolean {
  return apiKey !== API_VERSIONS && isFlexibleVersion(apiKey, version);
}

export function requestCodec(apiKey: number, version: number): StructCodec {
  const a = api(apiKey, version);
  if (a.request[version]) return a.request[version];
  const codec = compileStruct(a.spec[4], version, inRange(a.flexible, version));
  // The broker side of Produce reads requests directly (produce-broker-codec.ts); it writes none.
  a.request[version] = isDirectProduce(apiKey, version) ? { ...codec, decode: (r) => decodeProduceRequestBody(version, r) } : codec;
  return a.request[version];
}

export function responseCodec(apiKey: number, version: number): StructCodec {
  const a = api(apiKey, version);
  if (a.response[version]) return a.response[version];
  const codec = compileStruct(a.spec[5], version, inRange(a.flexible, version));
  const direct: StructCodec = {
    ...codec,
    encode: (w, body) => {
      if (!encodeProduceResponseBody(version, w, body ?? {})) codec.encode(w, body);
    },
  };
  a.response[version] = isDirectProduce(apiKey, version) ? direct : codec;
  return a.response[version];
}

/** Bytes held in Buffers near the top of a body (records), so a frame is allocated once at about its size. */
function bufferBytes(v: unknown, depth: number): number {
  if (v === null || typeof v !== 'object' || depth > 5) return 0;
  if (Buffer.isBuffer(v)) return v.length;
  let n = 0;
  if (Array.isArray(v)) for (const x of v) n += bufferBytes(x, depth + 1);
  else for (const k in v) {
    const x = (v as Record<string, unknown>)[k];
    if (x !== null && typeof x === 'object') n += bufferBytes(x, depth + 1);
  }
  return n;
}

function frameWriter(body: object): Writer {
  const w = new Writer(256 + bufferBytes(body, 0));
  return w.int32(0); // the size, patched once the frame is written
}

function finishFrame(w: Writer): Buffer {
  const frame = w.toBuffer();
  frame.writeInt32BE(frame.length - 4, 0);
  return frame;
}

/** A whole request frame, the 4-byte size included. */
export function encodeRequest(apiKey: number, apiVersion: number, correlationId: number, clientId: string | null, body: object): Buffer {
  if (isDirectProduce(apiKey, apiVersion)) return encodeProduceRequest(apiVersion, correlationId, clientId, body);
  const codec = requestCodec(apiKey, apiVersion);
  const w = frameWriter(body).int16(apiKey).int16(apiVersion).int32(correlationId).nullableString(clientId);
  if (isFlexibleVersion(apiKey, apiVersion)) w.emptyTags();
  codec.encode(w, body);
  return finishFrame(w);
}

/** A whole response frame, the 4-byte size included. */
export function encodeResponse(apiKey: number, apiVersion: number, correlationId: number, body: object): Buffer {
  const codec = responseCodec(apiKey, apiVersion);
  const w = frameWriter(body).int32(correlationId);
  if (responseHeaderHasTags(apiKey, apiVersion)) w.emptyTags();
  codec.encode(w, body);
  return finishFrame(w);
}

/** A response body after the response header: what a broker writes after the correlation id and header tags. */
export function encodeResponseBody(w: Writer, apiKey: number, apiVersion: number, body: object): void {
  responseCodec(apiKey, apiVersion).encode(w, body);
}

/** The response header's tagged-field section, if this version has one (written after the correlation id). */
export function encodeResponseHeaderTags(w: Writer, apiKey: number, apiVersion: number): void {
  if (responseHeaderHasTags(apiKey, apiVersion)) w.emptyTags();
}

/** Decodes a response frame (after the size) of the request this client sent with (apiKey, apiVersion). */
export function decodeResponse(apiKey: number, apiVersion: number, frame: Buffer): { correlationId: number; body: any } {
  if (isDirectProduce(apiKey, apiVersion)) return decodeProduceResponse(apiVersion, frame);
  const r = new Reader(frame);
  const correlationId = r.int32();
  if (responseHeaderHasTags(apiKey, apiVersion)) r.skipTags();
  return { correlationId, body: responseCodec(apiKey, apiVersion).decode(r) };
}

export interface RequestHeader {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  clientId: string | null;
}

/** Reads a request header; `r` is left at the start of the body. Throws UnsupportedVersionError after the header. */
export function decodeRequestHeader(r: Reader): RequestHeader {
  const apiKey = r.int16();
  const apiVersion = r.int16();
  const correlationId = r.int32();
  const clientId = r.nullableString();
  const a = apis.get(apiKey);
  if (!a || !inRange(a.valid, apiVersion)) throw new UnsupportedVersionError(apiKey, apiVersion);
  if (inRange(a.flexible, apiVersion)) r.skipTags();
  return { apiKey, apiVersion, correlationId, clientId };
}

/** Decodes a whole request frame (after the size). */
export function decodeRequest(frame: Buffer): RequestHeader & { body: any } {
  const r = new Reader(frame);
  const header = decodeRequestHeader(r);
  return { ...header, body: requestCodec(header.apiKey, header.apiVersion).decode(r) };
}
