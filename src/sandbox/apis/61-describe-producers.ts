// DescribeProducers (key 61), v0 (KIP-664): the idempotent and transactional producers a partition's leader knows,
// with their epoch, last sequence and the start of their open transaction.
import type { Partition } from '../cluster/partition.js';
import { ApiKey } from '../../wire/api-keys.js';
import { ErrorCode } from '../../wire/error-codes.js';
import { defineApi, type ApiDefinition, type RequestContext } from '../server/api.js';

export interface DescribeProducersRequest {
  topics: { name: string; partitionIndexes: number[] }[];
}

interface ProducerState {
  producerId: number;
  producerEpoch: number;
  lastSequence: number;
  lastTimestamp: number;
  coordinatorEpoch: number;
  currentTxnStartOffset: number;
}

interface PartitionResponse {
  partitionIndex: number;
  errorCode: number;
  errorMessage: string | null;
  activeProducers: ProducerState[];
}

export interface DescribeProducersResponse {
  throttleTimeMs: number;
  topics: { name: string; partitions: PartitionResponse[] }[];
}

/** The last batch of each producer in the leader's log: what Kafka's ProducerStateManager keeps per producer. */
function producersOf(p: Partition, brokerId: number): ProducerState[] {
  const last = new Map<number, ProducerState>();
  for (const b of p.logs.get(brokerId)!.batches) {
    if (b.producerId < 0 || b.isControl) continue;
    last.set(b.producerId, {
      producerId: b.producerId,
      producerEpoch: b.producerEpoch,
      lastSequence: b.baseSequence + b.recordCount - 1,
      lastTimestamp: b.maxTimestamp,
      coordinatorEpoch: -1,
      currentTxnStartOffset: p.openTxns.get(b.producerId) ?? -1,
    });
  }
  return [...last.values()];
}

function describe(ctx: RequestContext, topic: string, partitionIndex: number): PartitionResponse {
  const p = ctx.state.cluster.partition(topic, partitionIndex);
  const error = (errorCode: number): PartitionResponse => ({ partitionIndex, errorCode, errorMessage: null, activeProducers: [] });
  if (!p) return error(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  if (p.leader !== ctx.brokerId) return error(ErrorCode.NOT_LEADER_OR_FOLLOWER);
  return { partitionIndex, errorCode: ErrorCode.NONE, errorMessage: null, activeProducers: producersOf(p, ctx.brokerId) };
}

export const describeProducersApi: ApiDefinition<DescribeProducersRequest, DescribeProducersResponse> = defineApi<DescribeProducersRequest, DescribeProducersResponse>({
  key: ApiKey.DescribeProducers,
  minVersion: 0,
  maxVersion: 0,
  handle(ctx, req) {
    const topics = req.topics.map((t) => ({ name: t.name, partitions: t.partitionIndexes.map((i) => describe(ctx, t.name, i)) }));
    return { throttleTimeMs: 0, topics };
  },
  withError(req, res, code) {
    return {
      throttleTimeMs: res?.throttleTimeMs ?? 0,
      topics: req.topics.map((t) => ({
        name: t.name,
        partitions: t.partitionIndexes.map((partitionIndex) => ({ partitionIndex, errorCode: code, errorMessage: null, activeProducers: [] })),
      })),
    };
  },
});
