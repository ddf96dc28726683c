// Runs one request through its handler with any injected fault applied (sandbox-protocol §11).
import { describeFault } from './faults.js';
import { NO_RESPONSE, type ApiDefinition, type RequestContext } from './api.js';
import type { RequestLogEntry } from './request-log.js';

export type Outcome =
  | { kind: 'respond'; response: unknown }
  | { kind: 'no-response' }
  | { kind: 'dropped' }
  | { kind: 'close'; reason: string };

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function runWithFaults(ctx: RequestContext, api: ApiDefinition, req: unknown, entry: RequestLogEntry): Promise<Outcome> {
  const { state } = ctx;
  const fault = state.faults.take(ctx.brokerId, ctx.apiKey);
  if (fault) {
    const detail = describeFault(fault);
    entry.fault = detail;
    state.cluster.emit({ type: 'fault', at: state.cluster.clock.now(), broker: ctx.brokerId, apiKey: ctx.apiKey, kind: fault.kind, detail });
  }
  if (fault?.kind === 'disconnect') return { kind: 'close', reason: 'injected fault: disconnect' };
  if (fault?.kind === 'error-before' && api.withError) {
    return { kind: 'respond', response: api.withError(req, null, fault.error) };
  }
  const result = await api.handle(ctx, req);
  if (fault?.kind === 'drop-response') return { kind: 'dropped' };
  if (result === NO_RESPONSE) return { kind: 'no-response' };
  let response: unknown = result;
  if (fault?.kind === 'error-after' && api.withError) response = api.withError(req, result, fault.error);
  if (fault?.kind === 'delay') await sleep(fault.ms);
  return { kind: 'respond', response };
}
