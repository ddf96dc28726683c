// The producer's requests and responses on the wire (and the live audit's Fetch): the shared codec
// (wire/protocol.ts), with the API keys and the version range this client asks for per API (the highest both
// sides know is used, after ApiVersions).
export { decodeResponse, encodeRequest } from '../../../wire/protocol.js';
export { isDirectProduce } from '../../../wire/produce-codec.js';

export const Api = {
  Produce: 0,
  Fetch: 1,
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

/**
 * The versions this client speaks, per API. The ceilings keep the request shapes this client fills in: Produce
 * and Metadata name topics (v13 switches Produce to topic ids), AddPartitionsToTxn v4+ is for brokers, and
 * Produce v12 / EndTxn v5 belong to transactions v2 (KIP-890), which this client does not announce.
 */
export const CLIENT_VERSIONS: Readonly<Record<number, readonly [number, number]>> = {
  [Api.Produce]: [3, 11],
  // Fetch is the live audit's (it reads over these connections): v4 brings read_committed, v13 topic ids.
  [Api.Fetch]: [4, 12],
  [Api.Metadata]: [1, 12],
  [Api.FindCoordinator]: [1, 6],
  [Api.SaslHandshake]: [1, 1],
  [Api.ApiVersions]: [0, 3],
  [Api.InitProducerId]: [0, 4],
  [Api.AddPartitionsToTxn]: [0, 3],
  [Api.AddOffsetsToTxn]: [0, 4],
  [Api.EndTxn]: [0, 4],
  [Api.TxnOffsetCommit]: [0, 4],
  [Api.SaslAuthenticate]: [0, 2],
};
