// The APIs the sandbox serves and the version ranges it advertises (notes/sandbox-protocol.md §3.2): one table for
// every client, because kafkajs asks only the seed broker and reuses the answer for all brokers.

export const ApiKey = {
  Produce: 0,
  Fetch: 1,
  ListOffsets: 2,
  Metadata: 3,
  OffsetCommit: 8,
  OffsetFetch: 9,
  FindCoordinator: 10,
  JoinGroup: 11,
  Heartbeat: 12,
  LeaveGroup: 13,
  SyncGroup: 14,
  DescribeGroups: 15,
  ListGroups: 16,
  ApiVersions: 18,
  CreateTopics: 19,
  DeleteTopics: 20,
  InitProducerId: 22,
  AddPartitionsToTxn: 24,
  AddOffsetsToTxn: 25,
  EndTxn: 26,
  TxnOffsetCommit: 28,
  DescribeConfigs: 32,
} as const;

const apiNames = new Map<number, string>(Object.entries(ApiKey).map(([k, v]) => [v, k]));

export function apiName(key: number): string {
  return apiNames.get(key) ?? `Api${key}`;
}

/**
 * Whether a request of this (key, version) uses the flexible encoding (request header v2, compact types, tags).
 * Of the versions we advertise only ApiVersions v3 is flexible; its response still uses response header v0.
 */
export function isFlexibleRequest(key: number, version: number): boolean {
  return key === ApiKey.ApiVersions && version >= 3;
}
