// Running labs with a user's own producer configuration. Each lab's settings split in two: the settings its lesson is
// about (acks in the acks labs, idempotence in the retry labs), which the configuration decides, and the settings its
// scenario needs to work at all (a 500 ms request timeout so a dropped answer is retried quickly), applied on top.
// Four labs then back the claims a configuration keeps or breaks with a delivery audit.
import { effectiveConfig, type ConfigProblem, type ProducerSettings, type SettingName } from '../kafka/producer/config/settings.js';
import type { LabReport } from './runner.js';
import type { Lab } from './lab-types.js';
import { defineLab } from './lab-types.js';
import { acks1 } from './lessons/acks.js';
import { retriesDuplicate } from './lessons/idempotence.js';
import { minIsr } from './lessons/min-isr.js';
import { ordering, PHASES as ORDERING_PHASES, runPhase } from './lessons/ordering.js';

/** The settings each lab's lesson is about: with --config they come from the configuration, not the lab. */
const SUBJECT: Record<string, readonly SettingName[]> = {
  acks0: ['acks', 'enable.idempotence', 'linger.ms'],
  acks1: ['acks', 'enable.idempotence', 'linger.ms'],
  'acks-all': ['acks', 'enable.idempotence', 'linger.ms'],
  'min-isr': ['acks', 'enable.idempotence', 'linger.ms'],
  'retries-duplicate': ['acks', 'enable.idempotence'],
  idempotence: ['acks', 'enable.idempotence'],
  ordering: ['acks', 'enable.idempotence', 'max.in.flight.requests.per.connection', 'retries'],
};

export interface LabWithConfig {
  /** What to hand runLab as settings: the configuration, the lab's subject left to it, the lab's needs on top. */
  readonly settings: Partial<ProducerSettings>;
  /** The lab's own settings applied over the configuration (the scenario needs them), by Kafka name. */
  readonly required: Partial<ProducerSettings>;
  /** The configuration's values the lab's requirements replaced. */
  readonly replaced: Partial<ProducerSettings>;
  /** Kafka would refuse the combination: the lab cannot run with this configuration. */
  readonly problems: readonly ConfigProblem[];
}

export function labWithConfig(lab: Lab, config: Partial<ProducerSettings>): LabWithConfig {
  const subject = new Set(SUBJECT[lab.name] ?? []);
  const required: Partial<Record<SettingName, unknown>> = {};
  const replaced: Partial<Record<SettingName, unknown>> = {};
  const cleared: Partial<Record<SettingName, unknown>> = {};
  for (const [k, v] of Object.entries(lab.settings) as [SettingName, unknown][]) {
    if (subject.has(k)) {
      // undefined: the lab's value is dropped, so the configuration's own (or Kafka's default) applies.
      cleared[k] = undefined;
      continue;
    }
    required[k] = v;
    if (config[k] !== undefined && JSON.stringify(config[k]) !== JSON.stringify(v)) replaced[k] = config[k];
  }
  const settings = { ...cleared, ...config, ...required } as Partial<ProducerSettings>;
  const check = effectiveConfig({ ...lab.settings, ...settings });
  return {
    settings,
    required: required as Partial<ProducerSettings>,
    replaced: replaced as Partial<ProducerSettings>,
    problems: check.problems.filter((p) => p.level === 'error'),
  };
}

/** The ordering lab's first phase alone: it runs the settings as given, which here are the configuration's. */
const orderingOnce = defineLab({
  ...(ordering as Lab<{ phases: unknown[] }>),
  steps: [ordering.steps[0]],
  expected: 'Records of one key keep the order they were sent in.',
  async script(ctx) {
    return { phases: [await runPhase(ctx, ORDERING_PHASES[0])] };
  },
  verdict({ audit }) {
    return { passed: audit.reordered === 0 && audit.lost === 0, observed: `reordered ${audit.reordered}, lost ${audit.lost}, duplicated ${audit.duplicated}` };
  },
});

export interface ConfigClaim {
  readonly id: 'no-loss-on-leader-failure' | 'no-duplicates-on-retry' | 'order-kept' | 'refused-below-min-isr';
  readonly text: string;
  readonly lab: Lab;
  /** Whether the audit shows the claim held. */
  kept(report: LabReport): boolean;
  /** The audit's evidence in words. */
  evidence(report: LabReport): string;
}

export const CONFIG_CLAIMS: readonly ConfigClaim[] = [
  {
    id: 'no-loss-on-leader-failure',
    text: 'No acknowledged record is lost when the partition leader crashes with followers lagging',
    lab: acks1,
    kept: (r) => r.audit.lost === 0 && r.audit.acked > 0,
    evidence: (r) => `${r.audit.lost} of ${r.audit.acked} acknowledged records lost after the leader crashed`,
  },
  {
    id: 'no-duplicates-on-retry',
    text: 'A batch retried after its answer was lost is not written twice',
    lab: retriesDuplicate,
    kept: (r) => r.audit.duplicated === 0 && r.audit.acked > 0,
    evidence: (r) => `${r.audit.duplicated} duplicated of ${r.audit.sent} sent, ${r.metrics.retries} records retried`,
  },
  {
    id: 'order-kept',
    text: 'Records of one key stay in the order they were sent when a batch is retried',
    lab: orderingOnce,
    kept: (r) => r.audit.reordered === 0 && r.audit.acked > 0,
    evidence: (r) => `${r.audit.reordered} reordered of ${r.audit.acked} acknowledged, ${r.metrics.retries} records retried`,
  },
  {
    id: 'refused-below-min-isr',
    text: 'Writes are refused (NOT_ENOUGH_REPLICAS) while fewer than min.insync.replicas replicas are in sync',
    lab: minIsr,
    kept: (r) => r.passed,
    evidence: (r) => r.observed,
  },
];
