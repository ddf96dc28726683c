/**
 * The review table of a producer configuration, in a study guide's spirit: each setting that was given, and the few
 * that matter even when left alone, with its value, a verdict (ok / review / redundant / conflict) and why, grouped
 * by durability, ordering, throughput and latency, and timeouts. Conflicts carry Java's ConfigException message.
 */
import { effectiveForVersion, type ClientVersion } from './client-defaults.js';
import { reviewFindings, type Finding, type ReviewVerdict } from './review-rules.js';
import { SETTINGS, SETTING_NAMES, type EffectiveConfig, type ProducerSettings, type SettingName } from './settings.js';

export type { ReviewVerdict } from './review-rules.js';

export const REVIEW_GROUPS = ['durability', 'ordering', 'throughput and latency', 'timeouts', 'other'] as const;
export type ReviewGroup = (typeof REVIEW_GROUPS)[number];

const GROUP_OF: Partial<Record<SettingName, ReviewGroup>> = {
  acks: 'durability',
  'enable.idempotence': 'durability',
  retries: 'durability',
  'transactional.id': 'durability',
  'max.in.flight.requests.per.connection': 'ordering',
  'partitioner.class': 'ordering',
  'partitioner.ignore.keys': 'ordering',
  'linger.ms': 'throughput and latency',
  'batch.size': 'throughput and latency',
  'buffer.memory': 'throughput and latency',
  'compression.type': 'throughput and latency',
  'max.request.size': 'throughput and latency',
  'max.block.ms': 'throughput and latency',
};

/** Settings added to the catalog later land by their unit: a .ms setting is a timeout. */
export function groupOf(name: SettingName): ReviewGroup {
  return GROUP_OF[name] ?? (name.endsWith('.ms') ? 'timeouts' : 'other');
}

/** Shown even when the file leaves them alone: a study guide reviews these on every producer. */
const ALWAYS: readonly SettingName[] = ['acks', 'enable.idempotence', 'retries', 'max.in.flight.requests.per.connection', 'linger.ms', 'batch.size', 'compression.type', 'request.timeout.ms', 'delivery.timeout.ms'];

const RANK: Record<ReviewVerdict, number> = { ok: 0, redundant: 1, review: 2, conflict: 3 };

export interface ReviewRow {
  readonly group: ReviewGroup;
  readonly setting: SettingName;
  readonly value: string;
  /** Set by the configuration (not a default). */
  readonly given: boolean;
  readonly verdict: ReviewVerdict;
  readonly why: string;
}

export interface ReviewConflict {
  readonly settings: readonly SettingName[];
  /** Java's message: org.apache.kafka.common.config.ConfigException: <exception>. */
  readonly exception: string;
}

export interface ConfigReview {
  readonly version: ClientVersion;
  readonly rows: readonly ReviewRow[];
  readonly conflicts: readonly ReviewConflict[];
  readonly ok: boolean;
  readonly effective: EffectiveConfig;
}

export function reviewConfig(user: Partial<ProducerSettings>, version: ClientVersion): ConfigReview {
  const effective = effectiveForVersion(user, version);
  const v = effective.settings;
  const findings = reviewFindings(user, v, version);
  const about = (n: SettingName) => findings.filter((f) => f.settings.includes(n));
  const shown = SETTING_NAMES.filter((n) => user[n] !== undefined || ALWAYS.includes(n) || about(n).some((f) => f.verdict !== 'ok'));
  const rows = shown.map((setting): ReviewRow => {
    const mine = about(setting);
    const top = mine.reduce<Finding | null>((best, f) => (best === null || RANK[f.verdict] > RANK[best.verdict] ? f : best), null);
    const verdict = top?.verdict ?? 'ok';
    const whys = [...new Set(mine.filter((f) => f.verdict === verdict).map((f) => (f.exception ? `ConfigException: ${f.exception} (${f.why})` : f.why)))];
    const value = SETTINGS[setting].format(v[setting] as never) || '(none)';
    return { group: groupOf(setting), setting, value, given: user[setting] !== undefined, verdict, why: whys.join('; ') || (user[setting] !== undefined ? 'accepted as set' : 'the default') };
  });
  const order = (r: ReviewRow) => REVIEW_GROUPS.indexOf(r.group);
  rows.sort((a, b) => order(a) - order(b));
  const conflicts = findings.filter((f) => f.verdict === 'conflict').map((f) => ({ settings: f.settings, exception: f.exception! }));
  return { version, rows, conflicts, ok: conflicts.length === 0, effective };
}
