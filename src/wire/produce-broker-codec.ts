// The broker's side of Produce (versions 3-11) coded directly, as produce-codec.ts codes the client's: the built-in
// cluster reads a request and writes an answer per Produce request, and inside the app's process (--sandbox) the
// table-driven interpreter's closures per field, and its default objects made per tagged field to see that they are
// at their default, ran beside the producer's own work. Same decoded shape and the same bytes as the interpreter (a
// test checks every version against it); an answer of a shape it does not expect (a null where a value belongs, node
// endpoints) is left to the interpreter.
import { FIRST_FLEXIBLE, readCount, readNullableString } from './produce-codec.js';
import { type Reader, readTags } from './reader.js';
import type { Writer } from './writer.js';

/** currentLeader (KIP-951) and nodeEndpoints: tagged fields from v10. */
const FIRST_LEADER_HINTS = 10;

export interface ProduceRequestBody {
  transactionalId: string | null;
  acks: number;
  timeoutMs: number;
  topicData: { name: string; partitionData: { index: number; records: Buffer | null }[] }[];
}

interface PartitionAnswerIn {
  index?: number;
  errorCode?: number;
  baseOffset?: number | bigint;
  logAppendTimeMs?: number | bigint;
  logStartOffset?: number | bigint;
  recordErrors?: readonly { batchIndex?: number; batchIndexErrorMessage?: string | null }[] | null;
  errorMessage?: string | null;
  currentLeader?: { leaderId?: number; leaderEpoch?: number } | null;
}

interface ProduceAnswerIn {
  responses?: readonly { name?: string; partitionResponses?: readonly PartitionAnswerIn[] | null }[] | null;
  throttleTimeMs?: number;
  nodeEndpoints?: readonly unknown[] | null;
}

/** A Produce request body (after the request header); `records` are slices of the request's frame. */
export function decodeProduceRequestBody(version: number, r: Reader): ProduceRequestBody {
  const flexible = version >= FIRST_FLEXIBLE;
  const transactionalId = readNullableString(r, flexible);
  const acks = r.int16();
  const timeoutMs = r.int32();
  const topics = readCount(r, flexible);
  const topicData: ProduceRequestBody['topicData'] = new Array(topics);
  for (let t = 0; t < topics; t++) {
    const name = flexible ? r.compactString() : r.string();
    const count = readCount(r, flexible);
    const partitionData: ProduceRequestBody['topicData'][number]['partitionData'] = new Array(count);
    for (let i = 0; i < count; i++) {
      const index = r.int32();
      const n = flexible ? r.uvarint() - 1 : r.int32();
      partitionData[i] = { index, records: n < 0 ? null : r.bytesRaw(n) };
      if (flexible) readTags(r);
    }
    if (flexible) readTags(r);
    topicData[t] = { name, partitionData };
  }
  if (flexible) readTags(r);
  return { transactionalId, acks, timeoutMs, topicData };
}

/** Whether encodeProduceResponseBody writes this answer as the interpreter would (otherwise leave it to that). */
function plainAnswer(body: ProduceAnswerIn): boolean {
  if (body.nodeEndpoints !== undefined && (body.nodeEndpoints === null || body.nodeEndpoints.length > 0)) return false;
  // Indexed loops here and below: for-of makes an iterator object per loop while V8 still runs this unoptimized.
  const responses = body.responses ?? [];
  for (let i = 0; i < responses.length; i++) {
    const t = responses[i];
    if (typeof t.name !== 'string' && t.name !== undefined) return false;
    const parts = t.partitionResponses ?? [];
    for (let j = 0; j < parts.length; j++) {
      const p = parts[j];
      if (p.currentLeader === null) return false;
      const errors = p.recordErrors ?? [];
      for (let k = 0; k < errors.length; k++) if (errors[k] === null) return false;
    }
  }
  return true;
}

function writeString(w: Writer, s: string | null | undefined, flexible: boolean): void {
  if (flexible) w.compactNullableString(s);
  else w.nullableString(s);
}

function writeCount(w: Writer, n: number, flexible: boolean): void {
  if (flexible) w.uvarint(n + 1);
  else w.int32(n);
}

const or = <T>(v: T | undefined, d: T): T => (v === undefined ? d : v);

/**
 * A Produce answer's body (after the response header's tags) as the interpreter writes it, missing fields at their
 * defaults; false, having written nothing, for an answer of another shape.
 */
export function encodeProduceResponseBody(version: number, w: Writer, body: ProduceAnswerIn): boolean {
  if (!plainAnswer(body)) return false;
  const flexible = version >= FIRST_FLEXIBLE;
  const responses = body.responses ?? [];
  writeCount(w, responses.length, flexible);
  for (let i = 0; i < responses.length; i++) {
    const t = responses[i];
    writeString(w, or(t.name, ''), flexible);
    const parts = t.partitionResponses ?? [];
    writeCount(w, parts.length, flexible);
    for (let j = 0; j < parts.length; j++) {
      const p = parts[j];
      w.int32(or(p.index, 0)).int16(or(p.errorCode, 0)).int64(or(p.baseOffset, 0)).int64(or(p.logAppendTimeMs, -1));
      if (version >= 5) w.int64(or(p.logStartOffset, -1));
      if (version >= 8) {
        const errors = p.recordErrors ?? [];
        writeCount(w, errors.length, flexible);
        for (let k = 0; k < errors.length; k++) {
          const e = errors[k];
          w.int32(or(e.batchIndex, 0));
          writeString(w, e.batchIndexErrorMessage, flexible);
          if (flexible) w.uvarint(0);
        }
        writeString(w, p.errorMessage, flexible);
      }
      if (!flexible) continue;
      const leader = p.currentLeader;
      const leaderId = or(leader?.leaderId, -1);
      const leaderEpoch = or(leader?.leaderEpoch, -1);
      // Tagged, so written only when not at its default (KIP-482), as Kafka does.
      if (version >= FIRST_LEADER_HINTS && (leaderId !== -1 || leaderEpoch !== -1)) w.uvarint(1).uvarint(0).uvarint(9).int32(leaderId).int32(leaderEpoch).uvarint(0);
      else w.uvarint(0);
    }
    if (flexible) w.uvarint(0);
  }
  w.int32(or(body.throttleTimeMs, 0));
  if (flexible) w.uvarint(0);
  return true;
}
