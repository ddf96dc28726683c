// Runs one request through its handler with any injected fault applied.
import { describeFault, type FaultRule } from './faults.js';
import { NO_RESPONSE, type ApiDefinition, type RequestContext } from './api.js';
import { noteError, type RequestLogEntry } from './request-log.js';

export type Outcome =
  | { kind: 'respond'; response: unknown; holdMs?: number }
  | { kind: 'no-response' }
  | { kind: 'dropped' }
  | { kind: 'close'; reason: string };

const NO_RESPONSE_OUTCOME: Outcome = { kind: 'no-response' };

/**
 * The outcome of one request: a plain value when the handler answered at once (nearly every request: no promise or
 * async frame for it), a promise when the handler waits or a fault is set.
 */
export function runWithFaults(ctx: RequestContext, api: ApiDefinition, req: unknown, entry: RequestLogEntry): Outcome | Promise<Outcome> {
  const fault = ctx.state.faults.take(ctx.brokerId, ctx.apiKey);
  if (!fault) {
    // The path of nearly every request: no fault to describe, apply or check for afterwards.
    const result = api.handle(ctx, req);
    if (result instanceof Promise) return result.then((r) => plainOutcome(api, entry, r));
    return plainOutcome(api, entry, result);
  }
  return runFault(ctx, api, req, entry, fault);
}

function plainOutcome(api: ApiDefinition, entry: RequestLogEntry, result: unknown): Outcome {
  return result === NO_RESPONSE ? NO_RESPONSE_OUTCOME : respond(api, entry, result);
}

async function runFault(ctx: RequestContext, api: ApiDefinition, req: unknown, entry: RequestLogEntry, fault: FaultRule): Promise<Outcome> {
  const { state } = ctx;
  let detail = describeFault(fault);
  // An error fault on an API with no error form cannot be expressed: say so rather than pretend it fired.
  if ((fault.kind === 'error-before' || fault.kind === 'error-after') && !api.withError) detail += ' (ignored: this API has no error form)';
  entry.fault = detail;
  state.cluster.emit({ type: 'fault', at: state.cluster.clock.now(), broker: ctx.brokerId, apiKey: ctx.apiKey, kind: fault.kind, detail });
  if (fault.kind === 'disconnect') return { kind: 'close', reason: 'injected fault: disconnect' };
  if (fault.kind === 'error-before' && api.withError) {
    return respond(api, entry, api.withError(req, null, fault.error));
  }
  const result = await api.handle(ctx, req);
  if (fault.kind === 'drop-response') return { kind: 'dropped' };
  if (result === NO_RESPONSE) return NO_RESPONSE_OUTCOME;
  let response: unknown = result;
  if (fault.kind === 'error-after' && api.withError) response = api.withError(req, result, fault.error);
  // A late success: processed (and appended) at once, only the answer is held. The connection encodes it before
  // holding it: a Fetch response's record batches are views of partition segments, which retention may recycle.
  const outcome = respond(api, entry, response);
  if (fault.kind === 'delay') outcome.holdMs = fault.ms;
  return outcome;
}

function respond(api: ApiDefinition, entry: RequestLogEntry, response: unknown): Outcome & { kind: 'respond' } {
  if (api.errorCodes) api.errorCodes(response, entry);
  else errorCodesIn(response, 0, entry);
  return { kind: 'respond', response };
}

/**
 * Adds to `entry.errors` the distinct non-zero `errorCode` fields of a response (top level and per topic/partition),
 * for the request log. Walks with for-in, allocating nothing on the way (the list only once an error is found): it
 * runs for every response.
 */
function errorCodesIn(v: unknown, depth: number, entry: RequestLogEntry): void {
  if (depth > 4 || v === null || typeof v !== 'object' || Buffer.isBuffer(v)) return;
  if (Array.isArray(v)) {
    for (const item of v) errorCodesIn(item, depth + 1, entry);
    return;
  }
  const o = v as Record<string, unknown>;
  for (const k in o) {
    const x = o[k];
    if (k === 'errorCode') {
      if (typeof x === 'number') noteError(entry, x);
    } else if (typeof x === 'object') errorCodesIn(x, depth + 1, entry);
  }
}
