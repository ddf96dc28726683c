// Everything a request handler can reach: the cluster, the fault injector and the request log.
import type { Cluster } from './cluster/cluster.js';
import { GroupCoordinator } from './groups/group-coordinator.js';
import { FaultInjector } from './server/faults.js';
import { RequestLog } from './server/request-log.js';
import { TransactionCoordinator } from './transactions/transaction-coordinator.js';

export class SandboxState {
  readonly faults = new FaultInjector();
  readonly requestLog = new RequestLog();
  readonly groups: GroupCoordinator;
  readonly transactions: TransactionCoordinator;

  constructor(readonly cluster: Cluster) {
    this.groups = new GroupCoordinator(cluster);
    this.transactions = new TransactionCoordinator(cluster, this.groups);
  }
}
