// Builds the control API's plain views (views.ts) from the cluster's live objects: copies, so a caller can keep
// them while the cluster moves on.
import { errorName } from './control-names.js';
import type { Topic } from '../cluster/cluster.js';
import type { Partition } from '../cluster/partition.js';
import type { RequestLogEntry } from '../server/request-log.js';
import type { PartitionView, RequestView, TopicView } from './views.js';

export function topicView(t: Topic): TopicView {
  return {
    name: t.name,
    replicationFactor: t.partitions[0]?.replicas.length ?? 0,
    minInsyncReplicas: t.config.minInsyncReplicas,
    uncleanLeaderElection: t.config.uncleanLeaderElection,
    partitions: t.partitions.map((p) => partitionView(t.name, p)),
  };
}

export function partitionView(topic: string, p: Partition): PartitionView {
  return {
    topic,
    partition: p.index,
    leader: p.leader,
    leaderEpoch: p.leaderEpoch,
    replicas: [...p.replicas],
    isr: [...p.isr],
    offlineReplicas: p.offlineReplicas(),
    logStartOffset: p.logStartOffset(),
    logEndOffset: p.logEndOffset(),
    highWatermark: p.highWatermark,
    lastStableOffset: p.lastStableOffset(),
    replicaLogEndOffsets: Object.fromEntries([...p.logs].map(([id, log]) => [id, log.endOffset])),
  };
}

export function requestView(e: RequestLogEntry): RequestView {
  return {
    seq: e.seq,
    broker: e.broker,
    api: e.api,
    version: e.version,
    outcome: e.outcome,
    ms: e.respondedAt === undefined ? null : e.respondedAt - e.receivedAt,
    // Most requests have none: no arrays built for them (the app asks for the last 60 with every frame it publishes).
    errors: e.errors ? e.errors.filter((c) => c !== 0).map((c) => errorName(c)).join(',') : '',
    fault: e.fault ?? null,
  };
}
