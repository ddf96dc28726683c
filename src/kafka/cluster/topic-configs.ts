// A topic's settings that change what a producer sees — min.insync.replicas, retention, unclean leader election —
// read and changed from the app. The built-in cluster through its control API; a real cluster through kafkajs's
// admin: kafkajs 2.2.4 has no IncrementalAlterConfigs (API 44), so the change is AlterConfigs (API 33) over the
// topic's current dynamic configs read with DescribeConfigs first, since AlterConfigs replaces them all.
import { ConfigResourceTypes, type Admin } from 'kafkajs';
import type { SandboxControl } from '../../sandbox/control/control.js';
import { kafkaClient, type ClientTarget } from './clients.js';
import type { ControlResult } from './cluster-control.js';

export const TOPIC_SETTING_NAMES = ['min.insync.replicas', 'retention.ms', 'retention.bytes', 'unclean.leader.election.enable'] as const;
export type TopicSettingName = (typeof TOPIC_SETTING_NAMES)[number];

export interface TopicSettings {
  topic: string;
  minInsyncReplicas: number;
  retentionMs: number;
  retentionBytes: number;
  uncleanLeaderElection: boolean;
  /** How changes are made, in words. */
  via: string;
}

export interface TopicConfigs {
  read(topic: string): Promise<TopicSettings>;
  set(topic: string, name: TopicSettingName, value: string): Promise<ControlResult>;
  close?(): Promise<void>;
}

function fromRaw(topic: string, raw: Record<string, string>, via: string): TopicSettings {
  return {
    topic,
    minInsyncReplicas: Number(raw['min.insync.replicas'] ?? 1),
    retentionMs: Number(raw['retention.ms'] ?? 604800000),
    retentionBytes: Number(raw['retention.bytes'] ?? -1),
    uncleanLeaderElection: raw['unclean.leader.election.enable'] === 'true',
    via,
  };
}

export function sandboxTopicConfigs(control: SandboxControl): TopicConfigs {
  const via = "the built-in cluster's control API";
  return {
    async read(topic) {
      const raw = control.topicConfig(topic);
      if (!raw) throw new Error(`no topic ${topic}`);
      return fromRaw(topic, raw, via);
    },
    async set(topic, name, value) {
      if (name === 'min.insync.replicas') return control.setMinInsyncReplicas(topic, Number(value));
      if (name === 'unclean.leader.election.enable') return control.setUncleanLeaderElection(topic, value === 'true');
      return control.setRetention(topic, name, Number(value));
    },
  };
}

export function adminTopicConfigs(target: ClientTarget): TopicConfigs {
  let admin: Admin | null = null;
  const connected = async (): Promise<Admin> => {
    if (!admin) {
      admin = kafkaClient(target, 'kafka-producer-tui-topic-configs').admin();
      await admin.connect();
    }
    return admin;
  };
  const describe = async (topic: string) => {
    const a = await connected();
    const r = await a.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic }] });
    return r.resources[0]?.configEntries ?? [];
  };
  return {
    async read(topic) {
      const entries = await describe(topic);
      return fromRaw(topic, Object.fromEntries(entries.map((e) => [e.configName, e.configValue])), 'AlterConfigs (kafkajs admin)');
    },
    async set(topic, name, value) {
      try {
        const entries = await describe(topic);
        // Only the topic's own overrides go back (not broker defaults), with the one changed.
        const own = entries.filter((e) => !e.isDefault && !e.readOnly && !e.isSensitive && e.configName !== name).map((e) => ({ name: e.configName, value: e.configValue }));
        await (await connected()).alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configEntries: [...own, { name, value }] }] });
        return { ok: true, message: `${topic}: ${name} = ${value}` };
      } catch (e) {
        return { ok: false, message: `${topic}: ${name} not changed: ${(e as Error).message}` };
      }
    },
    async close() {
      await admin?.disconnect().catch(() => {});
    },
  };
}
