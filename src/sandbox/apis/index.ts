// The registry of served APIs: one definition per API key, each in its own file named after the key.
import type { ApiDefinition } from '../server/api.js';
import { produceApi } from './00-produce.js';
import { fetchApi } from './01-fetch.js';
import { listOffsetsApi } from './02-list-offsets.js';
import { metadataApi } from './03-metadata.js';
import { offsetCommitApi } from './08-offset-commit.js';
import { offsetFetchApi } from './09-offset-fetch.js';
import { findCoordinatorApi } from './10-find-coordinator.js';
import { joinGroupApi } from './11-join-group.js';
import { heartbeatApi } from './12-heartbeat.js';
import { leaveGroupApi } from './13-leave-group.js';
import { syncGroupApi } from './14-sync-group.js';
import { describeGroupsApi } from './15-describe-groups.js';
import { listGroupsApi } from './16-list-groups.js';
import { apiVersionsApi } from './18-api-versions.js';
import { createTopicsApi } from './19-create-topics.js';
import { deleteTopicsApi } from './20-delete-topics.js';
import { initProducerIdApi } from './22-init-producer-id.js';
import { describeConfigsApi } from './32-describe-configs.js';

export function servedApis(): Map<number, ApiDefinition> {
  const apis = new Map<number, ApiDefinition>();
  const add = (a: ApiDefinition) => apis.set(a.key, a);
  add(produceApi);
  add(fetchApi);
  add(listOffsetsApi);
  add(metadataApi);
  add(offsetCommitApi);
  add(offsetFetchApi);
  add(findCoordinatorApi);
  add(joinGroupApi);
  add(heartbeatApi);
  add(leaveGroupApi);
  add(syncGroupApi);
  add(describeGroupsApi);
  add(listGroupsApi);
  add(apiVersionsApi(() => apis.values()));
  add(createTopicsApi);
  add(deleteTopicsApi);
  add(initProducerIdApi);
  add(describeConfigsApi);
  return apis;
}
