// The producer's requests and responses on the wire, in one place: encodeRequest / decodeResponse with the Kafka
// JSON schemas' field names (lowerCamelCase), for the non-flexible versions the Sender asks for (CLIENT_VERSIONS).
// This is the shape of the shared codec being built in wire/protocol.ts; once it lands, this file re-exports it.
import { Reader } from '../../../wire/reader.js';
import { Writer } from '../../../wire/writer.js';

export const Api = {
  Produce: 0,
  Metadata: 3,
  FindCoordinator: 10,
  SaslHandshake: 17,
  ApiVersions: 18,
  InitProducerId: 22,
  AddPartitionsToTxn: 24,
  AddOffsetsToTxn: 25,
  EndTxn: 26,
  TxnOffsetCommit: 28,
  SaslAuthenticate: 36,
} as const;

/** The versions this client speaks, per API: the highest both sides know is used (ApiVersions negotiation). */
export const CLIENT_VERSIONS: Readonly<Record<number, readonly [number, number]>> = {
  [Api.Produce]: [3, 7],
  [Api.Metadata]: [1, 8],
  [Api.FindCoordinator]: [1, 2],
  [Api.SaslHandshake]: [1, 1],
  [Api.ApiVersions]: [0, 0],
  [Api.InitProducerId]: [0, 1],
  [Api.AddPartitionsToTxn]: [0, 2],
  [Api.AddOffsetsToTxn]: [0, 2],
  [Api.EndTxn]: [0, 2],
  [Api.TxnOffsetCommit]: [0, 2],
  [Api.SaslAuthenticate]: [0, 1],
};

export interface ProduceRequestBody {
  transactionalId: string | null;
  acks: number;
  timeoutMs: number;
  topicData: { name: string; partitionData: { index: number; records: Buffer }[] }[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = any;
type Encoder = (w: Writer, v: number, b: Body) => void;
type Decoder = (r: Reader, v: number) => Body;

const encoders: Record<number, Encoder> = {
  [Api.Metadata]: (w, v, b) => {
    w.nullableArray(b.topics as { name: string }[] | null, (w, t) => w.string(t.name));
    if (v >= 4) w.boolean(b.allowAutoTopicCreation ?? true);
    if (v >= 8) w.boolean(false).boolean(false);
  },
  [Api.FindCoordinator]: (w, _v, b) => w.string(b.key).int8(b.keyType ?? 0),
  [Api.SaslHandshake]: (w, _v, b) => w.string(b.mechanism),
  [Api.ApiVersions]: () => {},
  [Api.InitProducerId]: (w, _v, b) => w.nullableString(b.transactionalId).int32(b.transactionTimeoutMs),
  [Api.AddPartitionsToTxn]: (w, _v, b) =>
    w
      .string(b.v3AndBelowTransactionalId)
      .int64(b.v3AndBelowProducerId)
      .int16(b.v3AndBelowProducerEpoch)
      .array(b.v3AndBelowTopics as { name: string; partitions: number[] }[], (w, t) => w.string(t.name).array(t.partitions, (w, p) => w.int32(p))),
  [Api.AddOffsetsToTxn]: (w, _v, b) => w.string(b.transactionalId).int64(b.producerId).int16(b.producerEpoch).string(b.groupId),
  [Api.EndTxn]: (w, _v, b) => w.string(b.transactionalId).int64(b.producerId).int16(b.producerEpoch).boolean(b.committed),
  [Api.TxnOffsetCommit]: (w, v, b) =>
    w
      .string(b.transactionalId)
      .string(b.groupId)
      .int64(b.producerId)
      .int16(b.producerEpoch)
      .array(b.topics as { name: string; partitions: { partitionIndex: number; committedOffset: number; committedMetadata?: string | null }[] }[], (w, t) =>
        w.string(t.name).array(t.partitions, (w, p) => {
          w.int32(p.partitionIndex).int64(p.committedOffset);
          if (v >= 2) w.int32(-1);
          w.nullableString(p.committedMetadata ?? null);
        }),
      ),
  [Api.SaslAuthenticate]: (w, _v, b) => w.bytes(b.authBytes),
};

const decoders: Record<number, Decoder> = {
  [Api.Produce]: (r, v) => ({
    responses: r.array((r) => ({
      name: r.string(),
      partitionResponses: r.array((r) => ({
        index: r.int32(),
        errorCode: r.int16(),
        baseOffset: r.int64(),
        logAppendTimeMs: r.int64(),
        logStartOffset: v >= 5 ? r.int64() : -1,
      })),
    })),
    throttleTimeMs: r.int32(),
  }),
  [Api.Metadata]: (r, v) => {
    const throttleTimeMs = v >= 3 ? r.int32() : 0;
    const brokers = r.array((r) => ({ nodeId: r.int32(), host: r.string(), port: r.int32(), rack: r.nullableString() }));
    const clusterId = v >= 2 ? r.nullableString() : null;
    const controllerId = r.int32();
    const topics = r.array((r) => {
      const t = {
        errorCode: r.int16(),
        name: r.string(),
        isInternal: r.boolean(),
        partitions: r.array((r) => ({
          errorCode: r.int16(),
          partitionIndex: r.int32(),
          leaderId: r.int32(),
          leaderEpoch: v >= 7 ? r.int32() : -1,
          replicaNodes: r.array((r) => r.int32()),
          isrNodes: r.array((r) => r.int32()),
          offlineReplicas: v >= 5 ? r.array((r) => r.int32()) : [],
        })),
      };
      if (v >= 8) r.int32();
      return t;
    });
    if (v >= 8) r.int32();
    return { throttleTimeMs, brokers, clusterId, controllerId, topics };
  },
  [Api.FindCoordinator]: (r) => ({ throttleTimeMs: r.int32(), errorCode: r.int16(), errorMessage: r.nullableString(), nodeId: r.int32(), host: r.string(), port: r.int32() }),
  [Api.SaslHandshake]: (r) => ({ errorCode: r.int16(), mechanisms: r.array((r) => r.string()) }),
  [Api.ApiVersions]: (r) => ({ errorCode: r.int16(), apiKeys: r.array((r) => ({ apiKey: r.int16(), minVersion: r.int16(), maxVersion: r.int16() })) }),
  [Api.InitProducerId]: (r) => ({ throttleTimeMs: r.int32(), errorCode: r.int16(), producerId: r.int64(), producerEpoch: r.int16() }),
  [Api.AddPartitionsToTxn]: (r) => ({
    throttleTimeMs: r.int32(),
    resultsByTopicV3AndBelow: r.array((r) => ({ name: r.string(), resultsByPartition: r.array((r) => ({ partitionIndex: r.int32(), partitionErrorCode: r.int16() })) })),
  }),
  [Api.AddOffsetsToTxn]: (r) => ({ throttleTimeMs: r.int32(), errorCode: r.int16() }),
  [Api.EndTxn]: (r) => ({ throttleTimeMs: r.int32(), errorCode: r.int16() }),
  [Api.TxnOffsetCommit]: (r) => ({
    throttleTimeMs: r.int32(),
    topics: r.array((r) => ({ name: r.string(), partitions: r.array((r) => ({ partitionIndex: r.int32(), errorCode: r.int16() })) })),
  }),
  [Api.SaslAuthenticate]: (r, v) => ({ errorCode: r.int16(), errorMessage: r.nullableString(), authBytes: r.bytes(), sessionLifetimeMs: v >= 1 ? r.int64() : 0 }),
};

function header(w: Writer, apiKey: number, apiVersion: number, correlationId: number, clientId: string | null): void {
  w.int32(0).int16(apiKey).int16(apiVersion).int32(correlationId).nullableString(clientId);
}

/**
 * Produce is the one request on the hot path: measured first, then written into one buffer of its exact size
 * (record batches copied once, no growing writer).
 */
function encodeProduce(apiVersion: number, correlationId: number, clientId: string | null, b: ProduceRequestBody): Buffer {
  const client = clientId === null ? 0 : Buffer.byteLength(clientId);
  const txn = b.transactionalId === null ? 0 : Buffer.byteLength(b.transactionalId);
  let size = 4 + 2 + 2 + 4 + 2 + client + 2 + txn + 2 + 4 + 4;
  for (const t of b.topicData) {
    size += 2 + Buffer.byteLength(t.name) + 4;
    for (const p of t.partitionData) size += 4 + 4 + p.records.length;
  }
  const buf = Buffer.allocUnsafe(size);
  let at = 0;
  buf.writeInt32BE(size - 4, at);
  buf.writeInt16BE(Api.Produce, 4);
  buf.writeInt16BE(apiVersion, 6);
  buf.writeInt32BE(correlationId, 8);
  at = 12;
  const str = (s: string | null): void => {
    if (s === null) {
      buf.writeInt16BE(-1, at);
      at += 2;
      return;
    }
    const n = buf.write(s, at + 2, 'utf8');
    buf.writeInt16BE(n, at);
    at += 2 + n;
  };
  str(clientId);
  str(b.transactionalId);
  buf.writeInt16BE(b.acks, at);
  buf.writeInt32BE(b.timeoutMs, at + 2);
  buf.writeInt32BE(b.topicData.length, at + 6);
  at += 10;
  for (const t of b.topicData) {
    str(t.name);
    buf.writeInt32BE(t.partitionData.length, at);
    at += 4;
    for (const p of t.partitionData) {
      buf.writeInt32BE(p.index, at);
      buf.writeInt32BE(p.records.length, at + 4);
      at += 8 + p.records.copy(buf, at + 8);
    }
  }
  return buf;
}

/** A whole request frame, the 4-byte size included. */
export function encodeRequest(apiKey: number, apiVersion: number, correlationId: number, clientId: string | null, body: object): Buffer {
  if (apiKey === Api.Produce) return encodeProduce(apiVersion, correlationId, clientId, body as ProduceRequestBody);
  const encode = encoders[apiKey];
  if (!encode) throw new Error(`no encoder for API ${apiKey}`);
  const w = new Writer(128);
  header(w, apiKey, apiVersion, correlationId, clientId);
  encode(w, apiVersion, body);
  const frame = w.toBuffer();
  frame.writeInt32BE(frame.length - 4, 0);
  return frame;
}

/** A response frame (after its size): response header v0 (the versions used here are not flexible). */
export function decodeResponse(apiKey: number, apiVersion: number, frame: Buffer): { correlationId: number; body: Body } {
  const decode = decoders[apiKey];
  if (!decode) throw new Error(`no decoder for API ${apiKey}`);
  const r = new Reader(frame);
  const correlationId = r.int32();
  return { correlationId, body: decode(r, apiVersion) };
}
