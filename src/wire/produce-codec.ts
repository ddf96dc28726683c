// Produce requests and answers (versions 3-11) coded directly rather than by the table-driven interpreter: a
// producer sends hundreds a second even at a low record rate, and per request the interpreter spent more on
// walking its field tables and building objects field by field than on the bytes. Same bytes and the same decoded
// shape as the interpreter (a test checks every version against it); other versions go to the interpreter.
import { ProtocolError, Reader, readTags } from './reader.js';

export const PRODUCE_API_KEY = 0;
/** The versions coded here: transactional ids (3+) up to topic names (v13 switches to topic ids). */
export const PRODUCE_DIRECT_VERSIONS = { min: 3, max: 11 } as const;
export const FIRST_FLEXIBLE = 9;

interface PartitionData {
  index?: number;
  records?: Buffer | readonly Buffer[] | null;
}
interface TopicData {
  name?: string;
  partitionData?: readonly PartitionData[];
}
interface ProduceBody {
  transactionalId?: string | null;
  acks?: number;
  timeoutMs?: number;
  topicData?: readonly TopicData[];
}

export function isDirectProduce(apiKey: number, version: number): boolean {
  return apiKey === PRODUCE_API_KEY && version >= PRODUCE_DIRECT_VERSIONS.min && version <= PRODUCE_DIRECT_VERSIONS.max;
}

const uvarintSize = (v: number): number => (v < 0x80 ? 1 : v < 0x4000 ? 2 : v < 0x200000 ? 3 : v < 0x10000000 ? 4 : 5);

function writeUvarint(buf: Buffer, at: number, v: number): number {
  let n = v >>> 0;
  while (n >= 0x80) {
    buf[at++] = (n & 0x7f) | 0x80;
    n >>>= 7;
  }
  buf[at++] = n;
  return at;
}

function recordsLength(records: PartitionData['records']): number {
  if (records === null || records === undefined) return -1;
  if (Buffer.isBuffer(records)) return records.length;
  let n = 0;
  for (const b of records as readonly Buffer[]) n += b.length;
  return n;
}

/** A whole Produce request frame, the 4-byte size included (request header v1, or v2 from v9). */
export function encodeProduceRequest(version: number, correlationId: number, clientId: string | null, body: ProduceBody): Buffer {
  const flexible = version >= FIRST_FLEXIBLE;
  const topics = body.topicData ?? [];
  // Sizes first, so the frame is one allocation written in place.
  const strSize = (bytes: number) => (bytes < 0 ? (flexible ? 1 : 2) : (flexible ? uvarintSize(bytes + 1) : 2) + bytes);
  const arrSize = (n: number) => (flexible ? uvarintSize(n + 1) : 4);
  const tags = flexible ? 1 : 0;
  const clientIdBytes = clientId === null ? -1 : Buffer.byteLength(clientId);
  const txn = body.transactionalId ?? null;
  const txnBytes = txn === null ? -1 : Buffer.byteLength(txn);
  let size = 4 + 8 + 2 + Math.max(0, clientIdBytes) + tags + strSize(txnBytes) + 6 + arrSize(topics.length) + tags;
  const nameBytes: number[] = [];
  for (const t of topics) {
    const parts = t.partitionData ?? [];
    const nb = Buffer.byteLength(t.name ?? '');
    nameBytes.push(nb);
    size += strSize(nb) + arrSize(parts.length) + tags;
    for (const p of parts) {
      const n = recordsLength(p.records);
      size += 4 + (n < 0 ? (flexible ? 1 : 4) : (flexible ? uvarintSize(n + 1) : 4) + n) + tags;
    }
  }
  const buf = Buffer.allocUnsafe(size);
  let at = buf.writeInt32BE(size - 4, 0);
  at = buf.writeInt16BE(PRODUCE_API_KEY, at);
  at = buf.writeInt16BE(version, at);
  at = buf.writeInt32BE(correlationId, at);
  // The header's client id is a classic nullable string in every header version.
  at = buf.writeInt16BE(clientIdBytes, at);
  if (clientIdBytes > 0) at += buf.write(clientId!, at, 'utf8');
  if (flexible) buf[at++] = 0;
  const writeString = (s: string | null, bytes: number) => {
    if (flexible) at = writeUvarint(buf, at, bytes + 1);
    else at = buf.writeInt16BE(bytes, at);
    if (bytes > 0) at += buf.write(s!, at, 'utf8');
  };
  const writeCount = (n: number) => {
    at = flexible ? writeUvarint(buf, at, n + 1) : buf.writeInt32BE(n, at);
  };
  writeString(txn, txnBytes);
  at = buf.writeInt16BE(body.acks ?? 0, at);
  at = buf.writeInt32BE(body.timeoutMs ?? 0, at);
  writeCount(topics.length);
  for (let i = 0; i < topics.length; i++) {
    const t = topics[i];
    const parts = t.partitionData ?? [];
    writeString(t.name ?? '', nameBytes[i]);
    writeCount(parts.length);
    for (const p of parts) {
      at = buf.writeInt32BE(p.index ?? 0, at);
      const n = recordsLength(p.records);
      if (n < 0) at = flexible ? writeUvarint(buf, at, 0) : buf.writeInt32BE(-1, at);
      else {
        at = flexible ? writeUvarint(buf, at, n + 1) : buf.writeInt32BE(n, at);
        const records = p.records!;
        if (Buffer.isBuffer(records)) at += records.copy(buf, at);
        else for (const b of records as readonly Buffer[]) at += b.copy(buf, at);
      }
      if (flexible) buf[at++] = 0;
    }
    if (flexible) buf[at++] = 0;
  }
  if (flexible) buf[at++] = 0;
  if (at !== size) throw new Error(`Produce v${version} request: wrote ${at} of ${size} bytes`);
  return buf;
}

export interface ProducePartitionAnswer {
  index: number;
  errorCode: number;
  baseOffset: number;
  logAppendTimeMs: number;
  logStartOffset: number;
  recordErrors: { batchIndex: number; batchIndexErrorMessage: string | null }[];
  errorMessage: string | null;
  currentLeader: { leaderId: number; leaderEpoch: number };
}

export interface ProduceResponseBody {
  responses: { name: string; partitionResponses: ProducePartitionAnswer[] }[];
  throttleTimeMs: number;
  nodeEndpoints: { nodeId: number; host: string; port: number; rack: string | null }[];
}

/** An array's length (compact in flexible versions); a null or impossible one is a protocol error. */
export function readCount(r: Reader, flexible: boolean): number {
  const n = flexible ? r.uvarint() - 1 : r.int32();
  if (n < 0) throw new ProtocolError('null where an array is required');
  if (n > r.remaining()) throw new ProtocolError(`array of ${n} with ${r.remaining()} bytes left`);
  return n;
}

export const readNullableString = (r: Reader, flexible: boolean): string | null => (flexible ? r.compactNullableString() : r.nullableString());

/** A Produce response frame (after the size) of a request sent with `version` (3-11). */
export function decodeProduceResponse(version: number, frame: Buffer): { correlationId: number; body: ProduceResponseBody } {
  const flexible = version >= FIRST_FLEXIBLE;
  const r = new Reader(frame);
  const correlationId = r.int32();
  if (flexible) readTags(r);
  const topics = readCount(r, flexible);
  const responses: ProduceResponseBody['responses'] = new Array(topics);
  for (let t = 0; t < topics; t++) {
    const name = flexible ? r.compactString() : r.string();
    const count = readCount(r, flexible);
    const partitionResponses: ProducePartitionAnswer[] = new Array(count);
    for (let i = 0; i < count; i++) {
      // Shallow literals: one holding another is made by a runtime call each time while this code is cold.
      const recordErrors: ProducePartitionAnswer['recordErrors'] = [];
      const currentLeader = { leaderId: -1, leaderEpoch: -1 };
      const p: ProducePartitionAnswer = {
        index: r.int32(),
        errorCode: r.int16(),
        baseOffset: r.int64(),
        logAppendTimeMs: r.int64(),
        logStartOffset: version >= 5 ? r.int64() : -1,
        recordErrors,
        errorMessage: null,
        currentLeader,
      };
      if (version >= 8) {
        const errors = readCount(r, flexible);
        for (let e = 0; e < errors; e++) {
          p.recordErrors.push({ batchIndex: r.int32(), batchIndexErrorMessage: readNullableString(r, flexible) });
          if (flexible) readTags(r);
        }
        p.errorMessage = readNullableString(r, flexible);
      }
      if (flexible) {
        readTags(r, (tag, body) => {
          if (tag !== 0 || version < 10) return;
          p.currentLeader = { leaderId: body.int32(), leaderEpoch: body.int32() };
          readTags(body);
        });
      }
      partitionResponses[i] = p;
    }
    if (flexible) readTags(r);
    responses[t] = { name, partitionResponses };
  }
  const body: ProduceResponseBody = { responses, throttleTimeMs: r.int32(), nodeEndpoints: [] };
  if (flexible) {
    readTags(r, (tag, b) => {
      if (tag !== 0 || version < 10) return;
      const n = readCount(b, true);
      for (let i = 0; i < n; i++) {
        body.nodeEndpoints.push({ nodeId: b.int32(), host: b.compactString(), port: b.int32(), rack: b.compactNullableString() });
        readTags(b);
      }
    });
  }
  return { correlationId, body };
}
