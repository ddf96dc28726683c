// The admin APIs added for Kafka 4.x parity against kafkajs's own encoders and decoders, at every version kafkajs
// has: our decoder reads kafkajs's request and writes the same bytes back, and kafkajs decodes our response.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { deleteRecordsApi } from '../../src/sandbox/apis/21-delete-records.js';
import { describeAclsApi } from '../../src/sandbox/apis/29-describe-acls.js';
import { createAclsApi } from '../../src/sandbox/apis/30-create-acls.js';
import { deleteAclsApi } from '../../src/sandbox/apis/31-delete-acls.js';
import { alterConfigsApi } from '../../src/sandbox/apis/33-alter-configs.js';
import { createPartitionsApi } from '../../src/sandbox/apis/37-create-partitions.js';
import { deleteGroupsApi } from '../../src/sandbox/apis/42-delete-groups.js';
import { alterPartitionReassignmentsApi } from '../../src/sandbox/apis/45-alter-partition-reassignments.js';
import { listPartitionReassignmentsApi } from '../../src/sandbox/apis/46-list-partition-reassignments.js';
import type { ApiDefinition } from '../../src/sandbox/server/api.js';
import { decodeOurs, encodeOurs, kafkajsDecodeOnly, kafkajsRequestBody } from '../helpers/oracle.js';

interface Case {
  api: string;
  def: ApiDefinition;
  versions: number[];
  args: unknown;
  request: object;
  response: object;
  decoded: object;
  /** kafkajs puts the request header's tags (header v2) at the start of a flexible request's body. */
  headerTags?: boolean;
}

const require = createRequire(import.meta.url);

/** kafkajs's DeleteRecords response module is built from the request's topics. */
async function kafkajsDecode(api: string, version: number, body: Buffer): Promise<any> {
  if (api !== 'deleteRecords') return kafkajsDecodeOnly(api, version, body);
  return require(`kafkajs/src/protocol/requests/deleteRecords/v${version}/response`)({ topics: [] }).decode(body);
}

const acl = { resourceType: 2, resourceName: 't', resourcePatternType: 3, principal: 'User:a', host: '*', operation: 3, permissionType: 3 };
const aclFilter = { resourceType: 2, resourceName: 't', resourcePatternType: 3, principal: 'User:a', host: '*', operation: 3, permissionType: 3 };

const cases: Case[] = [
  {
    api: 'deleteRecords',
    def: deleteRecordsApi,
    versions: [0, 1],
    args: { topics: [{ topic: 't', partitions: [{ partition: 1, offset: '7' }] }], timeout: 900 },
    request: { topics: [{ name: 't', partitions: [{ partitionIndex: 1, offset: 7 }] }], timeoutMs: 900 },
    response: { throttleTimeMs: 3, topics: [{ name: 't', partitions: [{ partitionIndex: 1, lowWatermark: 7, errorCode: 0 }] }] },
    decoded: { topics: [{ topic: 't', partitions: [{ partition: 1, errorCode: 0 }] }] },
  },
  {
    api: 'createPartitions',
    def: createPartitionsApi,
    versions: [0, 1],
    args: { topicPartitions: [{ topic: 't', count: 5, assignments: [[1, 2], [2, 3]] }], validateOnly: true, timeout: 800 },
    request: { topics: [{ name: 't', count: 5, assignments: [{ brokerIds: [1, 2] }, { brokerIds: [2, 3] }] }], timeoutMs: 800, validateOnly: true },
    response: { throttleTimeMs: 0, results: [{ name: 't', errorCode: 37, errorMessage: 'too few' }] },
    decoded: { topicErrors: [{ topic: 't', errorCode: 37, errorMessage: 'too few' }] },
  },
  {
    api: 'alterConfigs',
    def: alterConfigsApi,
    versions: [0, 1],
    args: { resources: [{ type: 2, name: 't', configEntries: [{ name: 'retention.ms', value: '1000' }] }], validateOnly: false },
    request: { resources: [{ resourceType: 2, resourceName: 't', configs: [{ name: 'retention.ms', value: '1000' }] }], validateOnly: false },
    response: { throttleTimeMs: 0, responses: [{ errorCode: 0, errorMessage: null, resourceType: 2, resourceName: 't' }] },
    decoded: { resources: [{ errorCode: 0, resourceType: 2, resourceName: 't' }] },
  },
  {
    api: 'deleteGroups',
    def: deleteGroupsApi,
    versions: [0, 1],
    args: ['g1', 'g2'],
    request: { groupsNames: ['g1', 'g2'] },
    response: { throttleTimeMs: 0, results: [{ groupId: 'g1', errorCode: 0 }, { groupId: 'g2', errorCode: 69 }] },
    decoded: { results: [{ groupId: 'g1', errorCode: 0 }, { groupId: 'g2', errorCode: 69 }] },
  },
  {
    api: 'describeAcls',
    def: describeAclsApi,
    versions: [0, 1],
    args: { resourceType: 2, resourceName: 't', resourcePatternType: 3, principal: 'User:a', host: '*', operation: 3, permissionType: 3 },
    request: { resourceTypeFilter: 2, resourceNameFilter: 't', principalFilter: 'User:a', hostFilter: '*', operation: 3, permissionType: 3 },
    response: { throttleTimeMs: 0, errorCode: 54, errorMessage: 'No Authorizer is configured.', resources: [] },
    decoded: { errorCode: 54, errorMessage: 'No Authorizer is configured.', resources: [] },
  },
  {
    api: 'createAcls',
    def: createAclsApi,
    versions: [0, 1],
    args: { creations: [acl] },
    request: { creations: [{ resourceType: 2, resourceName: 't', principal: 'User:a', host: '*', operation: 3, permissionType: 3 }] },
    response: { throttleTimeMs: 0, results: [{ errorCode: 54, errorMessage: 'No Authorizer is configured.' }] },
    decoded: { creationResponses: [{ errorCode: 54, errorMessage: 'No Authorizer is configured.' }] },
  },
  {
    api: 'deleteAcls',
    def: deleteAclsApi,
    versions: [0, 1],
    args: { filters: [aclFilter] },
    request: { filters: [{ resourceTypeFilter: 2, resourceNameFilter: 't', principalFilter: 'User:a', hostFilter: '*', operation: 3, permissionType: 3 }] },
    response: { throttleTimeMs: 0, filterResults: [{ errorCode: 54, errorMessage: 'No Authorizer is configured.', matchingAcls: [] }] },
    decoded: { filterResponses: [{ errorCode: 54, errorMessage: 'No Authorizer is configured.', matchingAcls: [] }] },
  },
  {
    api: 'alterPartitionReassignments',
    def: alterPartitionReassignmentsApi,
    versions: [0],
    args: { topics: [{ topic: 't', partitionAssignment: [{ partition: 0, replicas: [3, 2] }] }], timeout: 700 },
    request: { timeoutMs: 700, topics: [{ name: 't', partitions: [{ partitionIndex: 0, replicas: [3, 2] }] }] },
    response: { throttleTimeMs: 0, errorCode: 0, errorMessage: null, responses: [{ name: 't', partitions: [{ partitionIndex: 0, errorCode: 39, errorMessage: 'no' }] }] },
    decoded: { errorCode: 0, responses: [{ topic: 't', partitions: [{ partition: 0, errorCode: 39 }] }] },
    headerTags: true,
  },
  {
    api: 'listPartitionReassignments',
    def: listPartitionReassignmentsApi,
    versions: [0],
    args: { topics: [{ topic: 't', partitions: [0, 1] }], timeout: 600 },
    request: { timeoutMs: 600, topics: [{ name: 't', partitionIndexes: [0, 1] }] },
    response: { throttleTimeMs: 0, errorCode: 0, errorMessage: null, topics: [] },
    decoded: { errorCode: 0, topics: [] },
    headerTags: true,
  },
];

describe('new admin API codecs against kafkajs', () => {
  for (const c of cases) {
    for (const version of c.versions) {
      it(`${c.api} v${version}: byte-exact request, kafkajs decodes our response`, async () => {
        const body = await kafkajsRequestBody(c.api, version, c.args as Record<string, unknown>);
        expect(decodeOurs(c.def, version, c.headerTags ? body.subarray(1) : body)).toMatchObject(c.request);
        expect(await kafkajsDecode(c.api, version, encodeOurs(c.def, version, c.response))).toMatchObject(c.decoded);
      });
    }
  }
});
