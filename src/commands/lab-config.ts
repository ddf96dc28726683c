// `lab <name> --config FILE` and `lab --all --config FILE`: labs run with a producer configuration read from a file
// (any format `config --check` reads). One lab: its own required settings go on top and are listed. --all: the
// labs that back the configuration's claims (no loss on leader failure, no duplicates on retry, order kept, refused
// writes below min.insync.replicas) run one after another, each on a fresh built-in cluster (or --brokers).
import { readConfigFile, SOURCE_TITLES, type ConfigSource } from '../kafka/producer/config/config-import.js';
import { effectiveConfig, type ProducerSettings } from '../kafka/producer/config/settings.js';
import { CONFIG_CLAIMS, labWithConfig } from '../labs/config-claims.js';
import type { Lab } from '../labs/lab-types.js';
import { runLab, type LabReport, type RunLabOptions } from '../labs/runner.js';
import { introText, progressLine, reportText, settingsText } from './lab-text.js';

export interface LabConfigIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

export interface LoadedConfig {
  file: string | null;
  source: ConfigSource | null;
  /** The file's settings with the command line's producer flags over them. */
  settings: Partial<ProducerSettings>;
}

/** Reads --config FILE (flags over it); a message and exit code 2 when it cannot be read or Kafka would refuse it. */
export async function loadConfig(file: string | undefined, flags: Partial<ProducerSettings>): Promise<LoadedConfig | string> {
  if (file === undefined) return { file: null, source: null, settings: flags };
  const read = await readConfigFile(file);
  if (!read.ok) return `cannot read ${file}${read.line !== null ? `, line ${read.line}` : ''}: ${read.reason}`;
  const settings = { ...read.settings, ...flags };
  const check = effectiveConfig(settings);
  if (!check.ok) {
    const errors = check.problems.filter((p) => p.level === 'error').map((p) => p.message);
    return `the configuration in ${file} conflicts, Kafka would refuse it (see config --check ${file}): ${errors.join(' ')}`;
  }
  return { file, source: read.source, settings };
}

const from = (c: LoadedConfig) => (c.file ? `${c.file} (${SOURCE_TITLES[c.source!]})` : 'the command line');

type RunBase = Omit<RunLabOptions, 'settings' | 'onProgress'>;

export async function runOneWithConfig(lab: Lab, config: LoadedConfig, json: boolean, io: LabConfigIo, base: RunBase): Promise<LabReport | string> {
  const plan = labWithConfig(lab, config.settings);
  if (plan.problems.length > 0) return `lab ${lab.name} cannot run with the configuration from ${from(config)}: ${plan.problems.map((p) => p.message).join(' ')}`;
  if (!json) {
    io.out(introText(lab, config.settings));
    const replaced = Object.keys(plan.replaced).length > 0 ? ` (replacing ${settingsText(plan.replaced)} from the configuration)` : '';
    io.out(`Configuration from ${from(config)}: ${settingsText(config.settings)}\n`);
    io.out(`The lab's own settings on top, which its scenario needs: ${settingsText(plan.required)}${replaced}\n\n`);
  }
  const report = await runLab(lab, {
    ...base,
    settings: plan.settings,
    onProgress: json ? undefined : (e) => {
      const line = progressLine(e, lab.steps.length);
      if (line) io.out(`${line}\n`);
    },
  });
  if (!json) io.out(reportText(lab, report));
  return report;
}

export interface ClaimResult {
  claim: string;
  text: string;
  /** null: the lab could not run here (e.g. a sandbox-only fault with --brokers), so the claim is untested. */
  kept: boolean | null;
  evidence: string;
  lab: string;
  status: LabReport['status'] | 'cannot-run';
  required: Partial<ProducerSettings>;
  replaced: Partial<ProducerSettings>;
  settings: Record<string, unknown>;
  audit: LabReport['audit'] | null;
  metrics: LabReport['metrics'] | null;
  observed: string;
}

export async function runClaims(config: LoadedConfig, json: boolean, io: LabConfigIo, base: RunBase): Promise<number> {
  if (!json) io.out(`Claims of the configuration from ${from(config)}: ${settingsText(config.settings)}\nEach is backed by a lab's delivery audit, each lab on a fresh cluster.\n\n`);
  const results: ClaimResult[] = [];
  for (const claim of CONFIG_CLAIMS) {
    if (base.signal?.aborted) break;
    const plan = labWithConfig(claim.lab, config.settings);
    const row = { claim: claim.id, text: claim.text, lab: claim.lab.name, required: plan.required, replaced: plan.replaced };
    if (plan.problems.length > 0) {
      const why = plan.problems.map((p) => p.message).join(' ');
      results.push({ ...row, kept: null, evidence: why, status: 'cannot-run', settings: {}, audit: null, metrics: null, observed: why });
    } else {
      const report = await runLab(claim.lab, { ...base, settings: plan.settings });
      const ran = report.status === 'passed' || report.status === 'failed';
      const kept = ran ? claim.kept(report) : null;
      results.push({ ...row, kept, evidence: ran ? claim.evidence(report) : report.observed, status: report.status, settings: report.settings, audit: report.audit, metrics: report.metrics, observed: report.observed });
    }
    const r = results[results.length - 1];
    if (!json) {
      const mark = r.kept === true ? '✓ kept    ' : r.kept === false ? '✗ NOT KEPT' : '? untested';
      io.out(`${mark}  ${r.text}\n            lab ${r.lab}: ${r.evidence}\n`);
      if (Object.keys(r.required).length > 0) io.out(`            the lab's own settings on top: ${settingsText(r.required)}\n`);
    }
  }
  const broken = results.filter((r) => r.kept === false).length;
  const untested = results.filter((r) => r.kept === null).length;
  if (json) {
    io.out(`${JSON.stringify({ config: { file: config.file, source: config.source, settings: config.settings }, passed: broken === 0 && untested === 0, claims: results })}\n`);
  } else {
    io.out(`\n${results.length - broken - untested} of ${results.length} claims kept${broken > 0 ? `, ${broken} not kept` : ''}${untested > 0 ? `, ${untested} untested` : ''}.\n`);
  }
  if (broken > 0) return 1;
  return untested > 0 ? 2 : 0;
}
