// The shape every served API has: a handler over the sandbox state, and the codec of its requests and responses,
// which comes from Kafka's message definitions (wire/protocol.ts) for every version. One file per API under
// apis/, as kfake has one file per API key. Requests and responses use the definitions' field names in
// lowerCamelCase; fields a handler leaves out take the definitions' defaults.
import { encodeResponseBody, encodeResponseHeaderTags, requestCodec } from '../../wire/protocol.js';
import type { Reader } from '../../wire/reader.js';
import type { Writer } from '../../wire/writer.js';
import type { SandboxState } from '../state.js';
import type { RequestLogEntry } from './request-log.js';

/** A handler returns this when the protocol says not to answer (Produce with acks=0). */
export const NO_RESPONSE: unique symbol = Symbol('no-response');

export interface RequestContext {
  state: SandboxState;
  brokerId: number;
  apiKey: number;
  version: number;
  correlationId: number;
  clientId: string | null;
  connectionId: number;
  /** Host and port the client connected to; Metadata advertises brokers the way clients bootstrapped. */
  localHost: string;
}

export type HandlerResult<Res> = Res | typeof NO_RESPONSE;

export interface ApiHandler<Req = any, Res = any> {
  key: number;
  /** The versions served: Kafka 4.x's range plus the older ones kafkajs 2.2.4 and librdkafka 2.0 send. */
  minVersion: number;
  maxVersion: number;
  handle(ctx: RequestContext, req: Req): HandlerResult<Res> | Promise<HandlerResult<Res>>;
  /**
   * For injected faults: the response with `code` in every entry. `res` is null for an error before processing.
   * APIs without it can still have their responses dropped, delayed or their connection cut.
   */
  withError?(req: Req, res: Res | null, code: number): Res;
  /**
   * Adds the response's non-zero error codes to its request log entry (with request-log.ts's noteError). Without it the
   * log walks the whole response for fields named errorCode, field by field: Produce, the API answered most often,
   * lists its own.
   */
  errorCodes?(res: Res, entry: RequestLogEntry): void;
}

export interface ApiDefinition<Req = any, Res = any> extends ApiHandler<Req, Res> {
  /** Decodes a request body (after the request header, tags included). */
  decode(r: Reader, version: number): Req;
  /** Encodes what follows the correlation id: the response header's tags (flexible versions) and the body. */
  encode(w: Writer, version: number, res: Res): void;
}

/** A handler with the schema-driven codec of its API key. */
export function defineApi<Req, Res>(handler: ApiHandler<Req, Res>): ApiDefinition<Req, Res> {
  return {
    ...handler,
    decode: (r, version) => requestCodec(handler.key, version).decode(r),
    encode: (w, version, res) => {
      encodeResponseHeaderTags(w, handler.key, version);
      encodeResponseBody(w, handler.key, version, res as object);
    },
  };
}
