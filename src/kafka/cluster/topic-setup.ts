// Topics the app needs. ensureTopic makes sure the app's topic exists before the first record: created with the lab's defaults (6 partitions,
// replication 3, min.insync.replicas 2), scaled down to what the cluster can hold (a 1-broker cluster gets
// replication 1 and min.insync.replicas 1). An existing topic is used as it is.
import type { Admin } from 'kafkajs';
import { kafkaClient, type ClientTarget } from './clients.js';
import type { TopicSpec } from './cluster-handle.js';
import { plural } from '../producer/plural.js';

export interface TopicWanted {
  partitions: number;
  replicationFactor: number;
  minInsyncReplicas: number;
}

export const LAB_TOPIC_DEFAULTS: TopicWanted = { partitions: 6, replicationFactor: 3, minInsyncReplicas: 2 };

export interface TopicReady {
  created: boolean;
  partitions: number;
  replicationFactor: number;
  /** One line for the event log, e.g. "created playground: 6 partitions, replication 3, min.insync.replicas 2". */
  message: string;
}

/** What to create on a cluster with `brokers` brokers. */
export function fitToCluster(wanted: TopicWanted, brokers: number): TopicWanted {
  const replicationFactor = Math.max(1, Math.min(wanted.replicationFactor, brokers));
  return {
    partitions: wanted.partitions,
    replicationFactor,
    minInsyncReplicas: Math.max(1, Math.min(wanted.minInsyncReplicas, replicationFactor)),
  };
}

export async function ensureTopic(target: ClientTarget, topic: string, wanted: TopicWanted = LAB_TOPIC_DEFAULTS): Promise<TopicReady> {
  const admin = kafkaClient(target, 'kafka-producer-tui-setup', { retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1000 } }).admin();
  await admin.connect();
  try {
    const existing = await admin.fetchTopicMetadata({ topics: [] });
    const found = existing.topics.find((t) => t.name === topic);
    if (found) {
      const rf = found.partitions[0]?.replicas.length ?? 0;
      return { created: false, partitions: found.partitions.length, replicationFactor: rf, message: `topic ${topic}: ${plural(found.partitions.length, 'partition')}, replication ${rf}` };
    }
    const cluster = await admin.describeCluster();
    const fit = fitToCluster(wanted, cluster.brokers.length);
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        {
          topic,
          numPartitions: fit.partitions,
          replicationFactor: fit.replicationFactor,
          configEntries: [{ name: 'min.insync.replicas', value: String(fit.minInsyncReplicas) }],
        },
      ],
    });
    const scaled = fit.replicationFactor < wanted.replicationFactor ? ` (the cluster has ${plural(cluster.brokers.length, 'broker')})` : '';
    return {
      created: true,
      partitions: fit.partitions,
      replicationFactor: fit.replicationFactor,
      message: `created ${topic}: ${plural(fit.partitions, 'partition')}, replication ${fit.replicationFactor}, min.insync.replicas ${fit.minInsyncReplicas}${scaled}`,
    };
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

/** Creates `name` exactly as `spec` says (a lesson's topic), with an admin client the caller keeps open. */
export async function createTopicExactly(admin: Admin, name: string, spec: TopicSpec): Promise<void> {
  const cluster = await admin.describeCluster();
  if (cluster.brokers.length < spec.replicationFactor) {
    throw new Error(`this lab needs ${spec.replicationFactor} brokers for its topic; the cluster has ${cluster.brokers.length}`);
  }
  await admin.createTopics({
    waitForLeaders: true,
    topics: [
      {
        topic: name,
        numPartitions: spec.partitions,
        replicationFactor: spec.replicationFactor,
        configEntries: Object.entries(spec.configs ?? {}).map(([n, value]) => ({ name: n, value })),
      },
    ],
  });
}
