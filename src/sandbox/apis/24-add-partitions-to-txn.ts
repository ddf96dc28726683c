// AddPartitionsToTxn (key 24), v0-1: a transactional producer registers the partitions it is about to write, at its
// transaction coordinator, before its first Produce to each (sandbox-protocol §7.4). v1 differs only in throttling
// (KIP-219). Every partition gets the same answer, except that unknown partitions get UNKNOWN_TOPIC_OR_PARTITION and
// then the others OPERATION_NOT_ATTEMPTED, as in Kafka.
import { ApiKey } from '../../wire/api-keys.js';
import { ErrorCode } from '../../wire/error-codes.js';
import type { Reader } from '../../wire/reader.js';
import type { Writer } from '../../wire/writer.js';
import type { ApiDefinition } from '../server/api.js';
import { fencedForVersion } from '../transactions/transaction-metadata.js';

export interface AddPartitionsToTxnRequest {
  transactionalId: string;
  producerId: number;
  producerEpoch: number;
  topics: { name: string; partitions: number[] }[];
}

export interface AddPartitionsToTxnResponse {
  throttleTimeMs: number;
  results: { name: string; results: { partitionIndex: number; errorCode: number }[] }[];
}

export function decodeAddPartitionsToTxnRequest(r: Reader, _version: number): AddPartitionsToTxnRequest {
  const transactionalId = r.string();
  const producerId = r.int64();
  const producerEpoch = r.int16();
  const topics = r.array((r) => ({ name: r.string(), partitions: r.array((r) => r.int32()) }));
  return { transactionalId, producerId, producerEpoch, topics };
}

export function encodeAddPartitionsToTxnResponse(w: Writer, _version: number, res: AddPartitionsToTxnResponse): void {
  w.int32(res.throttleTimeMs);
  w.array(res.results, (w, t) => {
    w.string(t.name);
    w.array(t.results, (w, p) => w.int32(p.partitionIndex).int16(p.errorCode));
  });
}

function answer(req: AddPartitionsToTxnRequest, code: (topic: string, partition: number) => number): AddPartitionsToTxnResponse['results'] {
  return req.topics.map((t) => ({ name: t.name, results: t.partitions.map((p) => ({ partitionIndex: p, errorCode: code(t.name, p) })) }));
}

export const addPartitionsToTxnApi: ApiDefinition<AddPartitionsToTxnRequest, AddPartitionsToTxnResponse> = {
  key: ApiKey.AddPartitionsToTxn,
  minVersion: 0,
  maxVersion: 1,
  decode: decodeAddPartitionsToTxnRequest,
  encode: encodeAddPartitionsToTxnResponse,
  handle(ctx, req) {
    const { cluster, transactions } = ctx.state;
    const known = (topic: string, partition: number) => cluster.partition(topic, partition) !== undefined;
    if (req.topics.some((t) => t.partitions.some((p) => !known(t.name, p)))) {
      const results = answer(req, (t, p) => (known(t, p) ? ErrorCode.OPERATION_NOT_ATTEMPTED : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION));
      return { throttleTimeMs: 0, results };
    }
    const partitions = req.topics.flatMap((t) => t.partitions.map((partition) => ({ topic: t.name, partition })));
    const code = transactions.addPartitions(ctx.brokerId, req.transactionalId, req.producerId, req.producerEpoch, partitions);
    // PRODUCER_FENCED is AddPartitionsToTxn v2+ (KIP-588).
    const errorCode = fencedForVersion(code, ctx.version, 2);
    return { throttleTimeMs: 0, results: answer(req, () => errorCode) };
  },
  withError(req, res, code) {
    return { throttleTimeMs: res?.throttleTimeMs ?? 0, results: answer(req, () => code) };
  },
};
