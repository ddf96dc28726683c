// DescribeTransactions (key 65), v0 (KIP-664): each transactional id's state, producer id and epoch, timeout and
// the partitions in its current transaction, at its coordinator.
import { ApiKey } from '../../wire/api-keys.js';
import { ErrorCode } from '../../wire/error-codes.js';
import { defineApi, type ApiDefinition, type RequestContext } from '../server/api.js';

export interface DescribeTransactionsRequest {
  transactionalIds: string[];
}

interface TransactionState {
  errorCode: number;
  transactionalId: string;
  transactionState: string;
  transactionTimeoutMs: number;
  transactionStartTimeMs: number;
  producerId: number;
  producerEpoch: number;
  topics: { topic: string; partitions: number[] }[];
}

export interface DescribeTransactionsResponse {
  throttleTimeMs: number;
  transactionStates: TransactionState[];
}

function failed(transactionalId: string, errorCode: number): TransactionState {
  return { errorCode, transactionalId, transactionState: '', transactionTimeoutMs: 0, transactionStartTimeMs: -1, producerId: -1, producerEpoch: -1, topics: [] };
}

function describe(ctx: RequestContext, transactionalId: string): TransactionState {
  const { transactions } = ctx.state;
  const notCoordinator = transactions.coordinatorError(ctx.brokerId, transactionalId);
  if (notCoordinator) return failed(transactionalId, notCoordinator);
  const txn = transactions.transaction(transactionalId);
  if (!txn) return failed(transactionalId, ErrorCode.TRANSACTIONAL_ID_NOT_FOUND);
  return {
    errorCode: ErrorCode.NONE,
    transactionalId,
    transactionState: txn.state,
    transactionTimeoutMs: txn.timeoutMs,
    transactionStartTimeMs: txn.startedAt,
    producerId: txn.producerId,
    producerEpoch: txn.producerEpoch,
    topics: [...txn.partitions].map(([topic, set]) => ({ topic, partitions: [...set].sort((a, b) => a - b) })),
  };
}

export const describeTransactionsApi: ApiDefinition<DescribeTransactionsRequest, DescribeTransactionsResponse> = defineApi<DescribeTransactionsRequest, DescribeTransactionsResponse>({
  key: ApiKey.DescribeTransactions,
  minVersion: 0,
  maxVersion: 0,
  handle(ctx, req) {
    return { throttleTimeMs: 0, transactionStates: req.transactionalIds.map((id) => describe(ctx, id)) };
  },
  withError(req, res, code) {
    return { throttleTimeMs: res?.throttleTimeMs ?? 0, transactionStates: req.transactionalIds.map((id) => failed(id, code)) };
  },
});
