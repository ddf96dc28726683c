// The shape every served API has: a codec (decode the request, encode the response, per version) and a handler
// over the sandbox state. One file per API under apis/, as kfake has one file per API key.
import type { Reader } from '../../wire/reader.js';
import type { Writer } from '../../wire/writer.js';
import type { SandboxState } from '../state.js';

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

export interface ApiDefinition<Req = any, Res = any> {
  key: number;
  minVersion: number;
  maxVersion: number;
  decode(r: Reader, version: number): Req;
  encode(w: Writer, version: number, res: Res): void;
  handle(ctx: RequestContext, req: Req): HandlerResult<Res> | Promise<HandlerResult<Res>>;
  /**
   * For injected faults: the response with `code` in every entry. `res` is null for an error before processing.
   * APIs without it can still have their responses dropped, delayed or their connection cut.
   */
  withError?(req: Req, res: Res | null, code: number): Res;
}
