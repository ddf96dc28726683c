// Everything a request handler can reach: the cluster, its coordinators, reassignments in progress, dynamic broker
// configs, the fault injector and the request log.
import type { Cluster } from './cluster/cluster.js';
import { DynamicBrokerConfigs } from './cluster/dynamic-broker-configs.js';
import { PartitionReassignments } from './cluster/reassignments.js';
import { GroupCoordinator } from './groups/group-coordinator.js';
import { FaultInjector } from './server/faults.js';
import { RequestLog } from './server/request-log.js';
import { TransactionCoordinator } from './transactions/transaction-coordinator.js';

export class SandboxState {
  readonly faults = new FaultInjector();
  readonly requestLog = new RequestLog();
  readonly groups: GroupCoordinator;
  readonly transactions: TransactionCoordinator;
  readonly reassignments: PartitionReassignments;
  readonly brokerConfigs: DynamicBrokerConfigs;

  constructor(readonly cluster: Cluster) {
    this.groups = new GroupCoordinator(cluster);
    this.transactions = new TransactionCoordinator(cluster, this.groups);
    this.reassignments = new PartitionReassignments(cluster);
    this.brokerConfigs = new DynamicBrokerConfigs(cluster);
  }
}
