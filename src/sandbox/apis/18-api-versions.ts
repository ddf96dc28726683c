// ApiVersions (key 18), v0-4. v3+ are flexible (compact types, tags) but the response keeps response header v0,
// so a client can read it before it knows what the broker speaks (KIP-511).
import { ApiKey } from '../../wire/api-keys.js';
import { ErrorCode } from '../../wire/error-codes.js';
import { defineApi, type ApiDefinition } from '../server/api.js';

export interface ApiVersionsRequest {
  clientSoftwareName: string;
  clientSoftwareVersion: string;
}

export interface ApiVersionsResponse {
  errorCode: number;
  apiKeys: { apiKey: number; minVersion: number; maxVersion: number }[];
  throttleTimeMs: number;
}

const SOFTWARE = /^[a-zA-Z0-9](?:[a-zA-Z0-9\-.]*[a-zA-Z0-9])?$/;

/** Built with the registry of served APIs so the advertised ranges are exactly what the dispatcher accepts. */
export function apiVersionsApi(served: () => Iterable<ApiDefinition>): ApiDefinition<ApiVersionsRequest, ApiVersionsResponse> {
  return defineApi<ApiVersionsRequest, ApiVersionsResponse>({
    key: ApiKey.ApiVersions,
    minVersion: 0,
    maxVersion: 4,
    handle(ctx, req) {
      const apiKeys = [...served()]
        .sort((a, b) => a.key - b.key)
        .map((a) => ({ apiKey: a.key, minVersion: a.minVersion, maxVersion: a.maxVersion }));
      // v3+ name the client software; Kafka refuses names outside this pattern with INVALID_REQUEST.
      const bad = ctx.version >= 3 && (!SOFTWARE.test(req.clientSoftwareName) || !SOFTWARE.test(req.clientSoftwareVersion));
      return { errorCode: bad ? ErrorCode.INVALID_REQUEST : ErrorCode.NONE, apiKeys, throttleTimeMs: 0 };
    },
  });
}
