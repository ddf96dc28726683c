// ListTransactions (key 66), v0-1 (KIP-664): the transactional ids this broker coordinates, filtered by state, by
// producer id, and (v1, KIP-994) by how long they have been running. Clients ask every broker and concatenate.
import { ApiKey } from '../../wire/api-keys.js';
import { ErrorCode } from '../../wire/error-codes.js';
import { defineApi, type ApiDefinition } from '../server/api.js';

const STATES = new Set(['Empty', 'Ongoing', 'PrepareCommit', 'PrepareAbort', 'CompleteCommit', 'CompleteAbort', 'Dead', 'PrepareEpochFence']);

export interface ListTransactionsRequest {
  stateFilters: string[];
  producerIdFilters: number[];
  durationFilter: number;
}

export interface ListTransactionsResponse {
  throttleTimeMs: number;
  errorCode: number;
  unknownStateFilters: string[];
  transactionStates: { transactionalId: string; producerId: number; transactionState: string }[];
}

export const listTransactionsApi: ApiDefinition<ListTransactionsRequest, ListTransactionsResponse> = defineApi<ListTransactionsRequest, ListTransactionsResponse>({
  key: ApiKey.ListTransactions,
  minVersion: 0,
  maxVersion: 1,
  handle(ctx, req) {
    const { transactions, cluster } = ctx.state;
    const now = cluster.clock.now();
    const states = new Set(req.stateFilters);
    const producers = new Set(req.producerIdFilters);
    const transactionStates = transactions
      .all()
      .filter((t) => cluster.coordinatorFor(t.transactionalId) === ctx.brokerId)
      .filter((t) => states.size === 0 || states.has(t.state))
      .filter((t) => producers.size === 0 || producers.has(t.producerId))
      .filter((t) => req.durationFilter < 0 || (t.startedAt >= 0 && now - t.startedAt >= req.durationFilter))
      .map((t) => ({ transactionalId: t.transactionalId, producerId: t.producerId, transactionState: t.state }));
    return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, unknownStateFilters: req.stateFilters.filter((s) => !STATES.has(s)), transactionStates };
  },
  withError(_req, res, code) {
    return { throttleTimeMs: res?.throttleTimeMs ?? 0, errorCode: code, unknownStateFilters: [], transactionStates: [] };
  },
});
