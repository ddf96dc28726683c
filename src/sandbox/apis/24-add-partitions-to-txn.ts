// AddPartitionsToTxn (key 24), v0-5: a transactional producer registers the partitions it is about to write, at its
// transaction coordinator, before its first Produce to each. Every partition gets the same answer, except that
// unknown partitions get UNKNOWN_TOPIC_OR_PARTITION and then the others OPERATION_NOT_ATTEMPTED, as in Kafka.
// v4+ (KIP-890) batch several transactions: that is the brokers' own path, answered per transaction the same way.
import { ApiKey } from '../../wire/api-keys.js';
import { ErrorCode } from '../../wire/error-codes.js';
import { defineApi, type ApiDefinition, type RequestContext } from '../server/api.js';
import { fencedForVersion } from '../transactions/transaction-metadata.js';

interface TxnTopic {
  name: string;
  partitions: number[];
}

interface Transaction {
  transactionalId: string;
  producerId: number;
  producerEpoch: number;
  topics: TxnTopic[];
}

export interface AddPartitionsToTxnRequest {
  /** v4+. */
  transactions: Transaction[];
  /** v0-3. */
  v3AndBelowTransactionalId: string;
  v3AndBelowProducerId: number;
  v3AndBelowProducerEpoch: number;
  v3AndBelowTopics: TxnTopic[];
}

type TopicResult = { name: string; resultsByPartition: { partitionIndex: number; partitionErrorCode: number }[] };

export interface AddPartitionsToTxnResponse {
  throttleTimeMs: number;
  /** v4+. */
  errorCode: number;
  resultsByTransaction: { transactionalId: string; topicResults: TopicResult[] }[];
  /** v0-3. */
  resultsByTopicV3AndBelow: TopicResult[];
}

function answer(topics: TxnTopic[], code: (topic: string, partition: number) => number): TopicResult[] {
  return topics.map((t) => ({
    name: t.name,
    resultsByPartition: t.partitions.map((p) => ({ partitionIndex: p, partitionErrorCode: code(t.name, p) })),
  }));
}

function addOne(ctx: RequestContext, txn: Transaction): TopicResult[] {
  const { cluster, transactions } = ctx.state;
  const known = (topic: string, partition: number) => cluster.partition(topic, partition) !== undefined;
  if (txn.topics.some((t) => t.partitions.some((p) => !known(t.name, p)))) {
    return answer(txn.topics, (t, p) => (known(t, p) ? ErrorCode.OPERATION_NOT_ATTEMPTED : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION));
  }
  const partitions = txn.topics.flatMap((t) => t.partitions.map((partition) => ({ topic: t.name, partition })));
  const code = transactions.addPartitions(ctx.brokerId, txn.transactionalId, txn.producerId, txn.producerEpoch, partitions);
  // PRODUCER_FENCED is AddPartitionsToTxn v2+ (KIP-588).
  const errorCode = fencedForVersion(code, ctx.version, 2);
  return answer(txn.topics, () => errorCode);
}

function v3Transaction(req: AddPartitionsToTxnRequest): Transaction {
  return {
    transactionalId: req.v3AndBelowTransactionalId,
    producerId: req.v3AndBelowProducerId,
    producerEpoch: req.v3AndBelowProducerEpoch,
    topics: req.v3AndBelowTopics,
  };
}

export const addPartitionsToTxnApi: ApiDefinition<AddPartitionsToTxnRequest, AddPartitionsToTxnResponse> = defineApi<AddPartitionsToTxnRequest, AddPartitionsToTxnResponse>({
  key: ApiKey.AddPartitionsToTxn,
  minVersion: 0,
  maxVersion: 5,
  handle(ctx, req) {
    if (ctx.version >= 4) {
      const resultsByTransaction = req.transactions.map((t) => ({ transactionalId: t.transactionalId, topicResults: addOne(ctx, t) }));
      return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, resultsByTransaction, resultsByTopicV3AndBelow: [] };
    }
    return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, resultsByTransaction: [], resultsByTopicV3AndBelow: addOne(ctx, v3Transaction(req)) };
  },
  withError(req, res, code) {
    return {
      throttleTimeMs: res?.throttleTimeMs ?? 0,
      errorCode: code,
      resultsByTransaction: req.transactions.map((t) => ({ transactionalId: t.transactionalId, topicResults: answer(t.topics, () => code) })),
      resultsByTopicV3AndBelow: answer(req.v3AndBelowTopics, () => code),
    };
  },
});
