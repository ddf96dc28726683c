// Names for the API keys used on both sides of the wire.
import { apiNameOf, isFlexibleVersion } from './protocol.js';

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
  DeleteRecords: 21,
  DescribeAcls: 29,
  CreateAcls: 30,
  DeleteAcls: 31,
  DescribeConfigs: 32,
  AlterConfigs: 33,
  CreatePartitions: 37,
  DeleteGroups: 42,
  IncrementalAlterConfigs: 44,
  AlterPartitionReassignments: 45,
  ListPartitionReassignments: 46,
  DescribeCluster: 60,
  DescribeProducers: 61,
  DescribeTransactions: 65,
  ListTransactions: 66,
} as const;

const apiNames = new Map<number, string>(Object.entries(ApiKey).map(([k, v]) => [v, k]));

export function apiName(key: number): string {
  return apiNames.get(key) ?? apiNameOf(key) ?? `Api${key}`;
}

/** Whether a request of this (key, version) uses the flexible encoding (request header v2, compact types, tags). */
export function isFlexibleRequest(key: number, version: number): boolean {
  return isFlexibleVersion(key, version);
}
