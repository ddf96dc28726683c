// One request frame read into what its handler needs (Kafka's request header, then the body with the API's codec),
// and the start of a response frame. Anything malformed is a reason for the connection to close, not an exception.
import { ApiKey, isFlexibleRequest } from '../../wire/api-keys.js';
import { ErrorCode } from '../../wire/error-codes.js';
import { ProtocolError, Reader } from '../../wire/reader.js';
import { Writer } from '../../wire/writer.js';
import type { SandboxState } from '../state.js';
import type { ApiDefinition, RequestContext } from './api.js';

/** A request ready for its handler: the context the handler sees, with its API and decoded body (one object). */
export interface DecodedRequest extends RequestContext {
  api: ApiDefinition;
  req: unknown;
}

/** Where a request arrived: the broker and connection that read it. */
export interface RequestOrigin {
  state: SandboxState;
  brokerId: number;
  connectionId: number;
  localHost: string;
  apis: ReadonlyMap<number, ApiDefinition>;
}

/**
 * The request in `frame`; or a response ready to send (ApiVersions at a version we do not serve); or, as a string,
 * why the connection must close.
 */
export function decodeRequest(frame: Buffer, at: RequestOrigin): DecodedRequest | Writer | string {
  const r = new Reader(frame);
  let apiKey: number;
  let version: number;
  let correlationId: number;
  let clientId: string | null;
  try {
    apiKey = r.int16();
    version = r.int16();
    correlationId = r.int32();
    clientId = r.nullableString();
  } catch (e) {
    return `malformed request header: ${(e as Error).message}`;
  }
  const api = at.apis.get(apiKey);
  if (!api || version < api.minVersion || version > api.maxVersion) {
    if (apiKey === ApiKey.ApiVersions) return unsupportedApiVersions(correlationId, at.apis);
    return `unsupported API ${apiKey} v${version} (correlation ${correlationId})`;
  }
  let req: unknown;
  try {
    if (isFlexibleRequest(apiKey, version)) r.skipTags();
    req = api.decode(r, version);
  } catch (e) {
    const msg = e instanceof ProtocolError || e instanceof RangeError ? e.message : String(e);
    return `malformed ${apiKey} v${version} request: ${msg}`;
  }
  const { state, brokerId, connectionId, localHost } = at;
  return { state, brokerId, apiKey, version, correlationId, clientId, connectionId, localHost, api, req };
}

/**
 * A writer for one response: its size (filled in by the connection once complete) and correlation id first, so the
 * body is encoded after them rather than copied behind them. The header's tags (response header v1, flexible
 * versions) come with the encoded body.
 */
export function responseWriter(correlationId: number): Writer {
  return new Writer(256).int32(0).int32(correlationId);
}

/** ApiVersions at a version we do not serve: a v0-layout reply with UNSUPPORTED_VERSION and our ranges (KIP-511). */
function unsupportedApiVersions(correlationId: number, apis: ReadonlyMap<number, ApiDefinition>): Writer {
  const w = responseWriter(correlationId);
  w.int16(ErrorCode.UNSUPPORTED_VERSION);
  const list = [...apis.values()].sort((a, b) => a.key - b.key);
  w.array(list, (w, a) => w.int16(a.key).int16(a.minVersion).int16(a.maxVersion));
  return w;
}
