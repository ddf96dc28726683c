// ApiVersions (key 18), v0-3. v3 is flexible (compact types, tags) but its response keeps response header v0.
import { ApiKey } from '../../wire/api-keys.js';
import { ErrorCode } from '../../wire/error-codes.js';
import type { Reader } from '../../wire/reader.js';
import type { Writer } from '../../wire/writer.js';
import type { ApiDefinition } from '../server/api.js';

export interface ApiVersionsRequest {
  clientSoftwareName?: string;
  clientSoftwareVersion?: string;
}

export interface ApiVersionsResponse {
  errorCode: number;
  apiKeys: { apiKey: number; minVersion: number; maxVersion: number }[];
  throttleTimeMs: number;
}

const SOFTWARE = /^[a-zA-Z0-9](?:[a-zA-Z0-9\-.]*[a-zA-Z0-9])?$/;

export function decodeApiVersionsRequest(r: Reader, version: number): ApiVersionsRequest {
  if (version < 3) return {};
  const clientSoftwareName = r.compactString();
  const clientSoftwareVersion = r.compactString();
  r.skipTags();
  return { clientSoftwareName, clientSoftwareVersion };
}

export function encodeApiVersionsResponse(w: Writer, version: number, res: ApiVersionsResponse): void {
  w.int16(res.errorCode);
  if (version >= 3) {
    w.compactArray(res.apiKeys, (w, k) => w.int16(k.apiKey).int16(k.minVersion).int16(k.maxVersion).emptyTags());
  } else {
    w.array(res.apiKeys, (w, k) => w.int16(k.apiKey).int16(k.minVersion).int16(k.maxVersion));
  }
  if (version >= 1) w.int32(res.throttleTimeMs);
  if (version >= 3) w.emptyTags();
}

/** Built with the registry of served APIs so the advertised ranges are exactly what the dispatcher accepts. */
export function apiVersionsApi(served: () => Iterable<ApiDefinition>): ApiDefinition<ApiVersionsRequest, ApiVersionsResponse> {
  return {
    key: ApiKey.ApiVersions,
    minVersion: 0,
    maxVersion: 3,
    decode: decodeApiVersionsRequest,
    encode: encodeApiVersionsResponse,
    handle(_ctx, req) {
      const apiKeys = [...served()]
        .sort((a, b) => a.key - b.key)
        .map((a) => ({ apiKey: a.key, minVersion: a.minVersion, maxVersion: a.maxVersion }));
      const bad =
        req.clientSoftwareName !== undefined &&
        (!SOFTWARE.test(req.clientSoftwareName) || !SOFTWARE.test(req.clientSoftwareVersion ?? ''));
      return { errorCode: bad ? ErrorCode.INVALID_REQUEST : ErrorCode.NONE, apiKeys, throttleTimeMs: 0 };
    },
  };
}
