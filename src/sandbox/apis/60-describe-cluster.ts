// DescribeCluster (key 60), v0-1 (KIP-700): the cluster id, the controller and the brokers, as the admin client's
// describeCluster reads them (Metadata answers the same for older clients).
import { ApiKey } from '../../wire/api-keys.js';
import { ErrorCode } from '../../wire/error-codes.js';
import { defineApi, type ApiDefinition } from '../server/api.js';

/** KIP-919: 1 = brokers; 2 = controllers, which clients cannot reach here. */
const BROKERS_ENDPOINT = 1;

export interface DescribeClusterRequest {
  endpointType: number;
}

export interface DescribeClusterResponse {
  throttleTimeMs: number;
  errorCode: number;
  errorMessage: string | null;
  endpointType: number;
  clusterId: string;
  controllerId: number;
  brokers: { brokerId: number; host: string; port: number; rack: string | null }[];
}

export const describeClusterApi: ApiDefinition<DescribeClusterRequest, DescribeClusterResponse> = defineApi<DescribeClusterRequest, DescribeClusterResponse>({
  key: ApiKey.DescribeCluster,
  minVersion: 0,
  maxVersion: 1,
  handle(ctx, req) {
    const { cluster } = ctx.state;
    const base = { throttleTimeMs: 0, endpointType: req.endpointType, clusterId: cluster.clusterId, controllerId: cluster.controller };
    if (req.endpointType !== BROKERS_ENDPOINT) {
      return { ...base, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'The sandbox has no controller endpoints.', brokers: [] };
    }
    const brokers = cluster.listedBrokers().map((b) => ({ brokerId: b.id, host: b.host, port: b.port, rack: null }));
    return { ...base, errorCode: ErrorCode.NONE, errorMessage: null, brokers };
  },
  withError(req, res, code) {
    return { throttleTimeMs: res?.throttleTimeMs ?? 0, errorCode: code, errorMessage: null, endpointType: req.endpointType, clusterId: '', controllerId: -1, brokers: [] };
  },
});
