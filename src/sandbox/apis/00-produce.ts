// Produce (key 0), v3-11: validate each partition's record batches, append on the leader, and answer by acks:
// 0 = no response, 1 = after the leader's append, -1 (all) = once the high watermark covers the batch
// (Kafka's ReplicaManager.appendRecords).
import { ApiKey } from '../../wire/api-keys.js';
import { ErrorCode } from '../../wire/error-codes.js';
import { validateRecordSet } from '../../wire/record-batch.js';
import { defineApi, NO_RESPONSE, type ApiDefinition, type RequestContext } from '../server/api.js';
import { noteError } from '../server/request-log.js';

export interface ProduceRequest {
  transactionalId: string | null;
  acks: number;
  timeoutMs: number;
  topicData: { name: string; partitionData: { index: number; records: Buffer | null }[] }[];
}

export interface ProducePartitionResponse {
  index: number;
  errorCode: number;
  baseOffset: number;
  logAppendTimeMs: number;
  logStartOffset: number;
}

export interface ProduceResponse {
  responses: { name: string; partitionResponses: ProducePartitionResponse[] }[];
  throttleTimeMs: number;
}

function errorEntry(index: number, errorCode: number): ProducePartitionResponse {
  return { index, errorCode, baseOffset: -1, logAppendTimeMs: -1, logStartOffset: -1 };
}

/** The place of an entry still waiting for its followers (replaced before the response is sent). */
const PENDING = errorEntry(-1, ErrorCode.UNKNOWN_SERVER_ERROR);

/**
 * One partition's entry: a plain value when it is decided at once (an error, acks 0 or 1, or an acks=all append the
 * high watermark already covers, as it does whenever every in-sync follower copies without delay); a promise only
 * when it waits for followers.
 */
function producePartition(
  ctx: RequestContext,
  req: ProduceRequest,
  topicName: string,
  index: number,
  records: Buffer | null,
): ProducePartitionResponse | Promise<ProducePartitionResponse> {
  const { cluster } = ctx.state;
  // Produce never creates a topic: Kafka auto-creates only through Metadata (allow_auto_topic_creation).
  const p = cluster.partition(topicName, index);
  if (!p) return errorEntry(index, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  if (p.leader !== ctx.brokerId) return errorEntry(index, p.leader < 0 ? ErrorCode.LEADER_NOT_AVAILABLE : ErrorCode.NOT_LEADER_OR_FOLLOWER);
  if (!records || records.length === 0) return errorEntry(index, ErrorCode.CORRUPT_MESSAGE);
  if (records.length > p.config.maxMessageBytes) return errorEntry(index, ErrorCode.MESSAGE_TOO_LARGE);
  const checked = validateRecordSet(records, ctx.version >= 7);
  if (!checked.ok) return errorEntry(index, checked.error);
  // Kafka 3.6+ (KIP-890): a transaction's first batch on a partition must follow AddPartitionsToTxn, else
  // INVALID_TXN_STATE; Kafka 3.0-3.5 appended it unchecked. See transactions/transaction-coordinator.ts.
  const txnError = ctx.state.transactions.verifyProduce(req.transactionalId, topicName, index, p.openTxns, checked.batches);
  if (txnError !== ErrorCode.NONE) return errorEntry(index, txnError);
  const before = p.checkAppend(req.acks);
  if (before !== ErrorCode.NONE) return errorEntry(index, before);
  const appended = p.appendAsLeader(checked.batches);
  if (!appended.ok) return errorEntry(index, appended.error);
  const ok = { index, errorCode: 0, baseOffset: appended.baseOffset, logAppendTimeMs: -1, logStartOffset: p.logStartOffset() };
  // A duplicate waits too: under acks=all Kafka acknowledges it only once the original batch is committed.
  if (req.acks !== -1) return ok;
  const now = p.ackNow(appended.lastOffset);
  if (now !== undefined) return now === ErrorCode.NONE ? ok : errorEntry(index, now);
  return p.waitForHighWatermark(appended.lastOffset, req.timeoutMs).then((waited) => (waited === ErrorCode.NONE ? ok : errorEntry(index, waited)));
}

export const produceApi: ApiDefinition<ProduceRequest, ProduceResponse> = defineApi({
  key: ApiKey.Produce,
  minVersion: 3,
  maxVersion: 11,
  // Answered without a promise unless a partition waits for its followers: then only the waiting entries are awaited.
  handle(ctx, req) {
    if (req.acks !== 0 && req.acks !== 1 && req.acks !== -1) {
      return produceApi.withError!(req, null, ErrorCode.INVALID_REQUIRED_ACKS);
    }
    // Lists of their final length from the start (a push onto an empty list reserves room for 17).
    const responses: ProduceResponse['responses'] = new Array(req.topicData.length);
    let waiting: Promise<void>[] | null = null;
    for (let t = 0; t < req.topicData.length; t++) {
      const { name, partitionData } = req.topicData[t];
      const entries: ProducePartitionResponse[] = new Array(partitionData.length);
      for (let i = 0; i < partitionData.length; i++) {
        const entry = producePartition(ctx, req, name, partitionData[i].index, partitionData[i].records);
        if (entry instanceof Promise) {
          entries[i] = PENDING;
          (waiting ??= []).push(entry.then((e) => void (entries[i] = e)));
        } else entries[i] = entry;
      }
      responses[t] = { name, partitionResponses: entries };
    }
    if (req.acks === 0) return NO_RESPONSE; // acks=0 never waits: nothing above is pending
    const res: ProduceResponse = { responses, throttleTimeMs: 0 };
    return waiting === null ? res : Promise.all(waiting).then(() => res);
  },
  errorCodes(res, entry) {
    for (let t = 0; t < res.responses.length; t++) {
      const entries = res.responses[t].partitionResponses;
      for (let i = 0; i < entries.length; i++) noteError(entry, entries[i].errorCode);
    }
  },
  withError(req, res, code) {
    return {
      responses: req.topicData.map((t) => ({ name: t.name, partitionResponses: t.partitionData.map((p) => errorEntry(p.index, code)) })),
      throttleTimeMs: res?.throttleTimeMs ?? 0,
    };
  },
});
