// Per-topic configuration the sandbox honours, parsed from CreateTopics config entries with Kafka's names.
import type { TopicConfigView } from './partition.js';

export interface TopicConfig extends TopicConfigView {
  /** Every config as given (and defaults), for DescribeConfigs. */
  raw: Record<string, string>;
}

export const TOPIC_CONFIG_DEFAULTS: Record<string, string> = {
  'min.insync.replicas': '1',
  'max.message.bytes': '1048588',
  'retention.bytes': String(64 * 1024 * 1024),
  'unclean.leader.election.enable': 'false',
  'cleanup.policy': 'delete',
  'retention.ms': '604800000',
  'message.timestamp.type': 'CreateTime',
  'compression.type': 'producer',
};

export type ParsedTopicConfig = { ok: true; config: TopicConfig } | { ok: false; message: string };

function intConfig(raw: Record<string, string>, name: string, min: number): number | string {
  const v = raw[name];
  if (!/^-?\d+$/.test(v)) return `${name} must be an integer, got "${v}"`;
  const n = Number(v);
  if (n < min) return `${name} must be at least ${min}, got ${n}`;
  return n;
}

export function parseTopicConfig(entries: Record<string, string | null>, defaults: Record<string, string> = TOPIC_CONFIG_DEFAULTS): ParsedTopicConfig {
  const raw: Record<string, string> = { ...defaults };
  for (const [k, v] of Object.entries(entries)) if (v !== null) raw[k] = v;
  const minIsr = intConfig(raw, 'min.insync.replicas', 1);
  if (typeof minIsr === 'string') return { ok: false, message: minIsr };
  const maxMessageBytes = intConfig(raw, 'max.message.bytes', 0);
  if (typeof maxMessageBytes === 'string') return { ok: false, message: maxMessageBytes };
  const retentionBytes = intConfig(raw, 'retention.bytes', -1);
  if (typeof retentionBytes === 'string') return { ok: false, message: retentionBytes };
  const unclean = raw['unclean.leader.election.enable'];
  if (unclean !== 'true' && unclean !== 'false') {
    return { ok: false, message: `unclean.leader.election.enable must be true or false, got "${unclean}"` };
  }
  return {
    ok: true,
    config: { raw, minInsyncReplicas: minIsr, maxMessageBytes, retentionBytes, uncleanLeaderElection: unclean === 'true' },
  };
}
