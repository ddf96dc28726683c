// The registry of served APIs: one definition per API key, each in its own file named after the key.
import type { ApiDefinition } from '../server/api.js';
import { produceApi } from './00-produce.js';
import { metadataApi } from './03-metadata.js';
import { apiVersionsApi } from './18-api-versions.js';

export function servedApis(): Map<number, ApiDefinition> {
  const apis = new Map<number, ApiDefinition>();
  const add = (a: ApiDefinition) => apis.set(a.key, a);
  add(produceApi);
  add(metadataApi);
  add(apiVersionsApi(() => apis.values()));
  return apis;
}
