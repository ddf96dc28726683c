// `lab` as plain text for the command line: the list, the introduction printed before a run (claim, settings,
// steps, what to watch), one line per progress event worth reading, and the final report with its verdict.
import { SETTINGS, type ProducerSettings, type SettingName } from '../kafka/producer/config/settings.js';
import { measuredTable, type Lab, type TryNext } from '../labs/lab-types.js';
import type { LabProgress, LabReport } from '../labs/runner.js';
import { PRODUCER_FLAGS } from './producer-flags.js';
import { plural } from '../kafka/producer/plural.js';

/** LabSandboxSetup's fields under Kafka's broker setting names. */
const KAFKA_NAMES: Readonly<Record<string, string>> = {
  replicaLagTimeMaxMs: 'replica.lag.time.max.ms',
  groupInitialRebalanceDelayMs: 'group.initial.rebalance.delay.ms',
};

const formatSetting = (name: string, value: unknown): string =>
  Object.hasOwn(SETTINGS, name) ? `${name}=${SETTINGS[name as SettingName].format(value as never)}` : `${name}=${String(value)}`;

export function settingsText(settings: Readonly<Record<string, unknown>>): string {
  const parts = Object.entries(settings).map(([n, v]) => formatSetting(n, v));
  return parts.length > 0 ? parts.join(', ') : 'the defaults';
}

/** Where a lab can run, in a few words. */
export function whereText(lab: Lab): string {
  if (lab.needs.sandboxFault?.need === 'required') return 'built-in cluster only';
  if (lab.needs.brokerActions) return 'built-in cluster or broker containers';
  return 'any cluster';
}

/** Words wrapped to lines of at most `width` characters, each line indented. */
export function wrap(text: string, width: number, indent: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(indent + line);
  return lines.join('\n');
}

export function listText(labs: readonly Lab[], width = 80): string {
  const rows = labs.map((l, i) => `${String(i + 1).padStart(2)}. ${l.name}: ${l.title}\n${wrap(`${l.claim.join(' ')} [${whereText(l)}]`, width, '      ')}`);
  return `Labs: run one with kafka-producer-tui lab <name> [--json] [--brokers h:p,...]\n\n${rows.join('\n')}\n`;
}

/** The command that makes the "try this next" change, when every setting it changes has a flag. */
export function tryNextCommand(lab: Lab, t: TryNext): string | null {
  if (t.lab && !t.settings) return `kafka-producer-tui lab ${t.lab}`;
  if (!t.settings) return null;
  const flags: string[] = [];
  for (const [name, value] of Object.entries(t.settings) as [SettingName, ProducerSettings[SettingName]][]) {
    const f = PRODUCER_FLAGS.find((x) => x.setting === name);
    if (!f) return t.lab ? `kafka-producer-tui lab ${t.lab}` : null;
    flags.push(f.boolean ? (value ? f.flag : `--no-${f.flag.slice(2)}`) : `${f.flag} ${SETTINGS[name].format(value as never)}`);
  }
  return `kafka-producer-tui lab ${lab.name} ${flags.join(' ')}`;
}

export function introText(lab: Lab, overrides: Readonly<Record<string, unknown>> | null): string {
  const lines = [
    `Lab ${lab.name}: ${lab.title}`,
    wrap(lab.claim.join(' '), 80, '  '),
    '',
    `Settings: ${settingsText(lab.settings)}`,
  ];
  if (overrides) lines.push(`Your changes: ${settingsText(overrides)} (the verdict now tests your change)`);
  const sandboxSettings = Object.entries(lab.sandbox ?? {}).filter(([k, v]) => k !== 'brokers' && v !== undefined);
  if (sandboxSettings.length > 0) {
    lines.push(`Built-in cluster: ${sandboxSettings.map(([k, v]) => `${KAFKA_NAMES[k] ?? k}=${String(v)}`).join(', ')} (away from Kafka's defaults, for this lab)`);
  }
  lines.push(`Topic: ${plural(lab.topic.partitions, 'partition')}, replication ${lab.topic.replicationFactor}${lab.topic.configs ? `, ${settingsText(lab.topic.configs)}` : ''}`);
  lines.push('Steps:', ...lab.steps.map((s, i) => `  ${i + 1}. ${s.text}`));
  lines.push('Watch:', ...lab.watch.map((w) => `  - ${w}`));
  lines.push(`Expected: ${lab.expected}`, '');
  return `${lines.join('\n')}\n`;
}

/** One line for a progress event, or null for those only a screen shows (live counts). */
export function progressLine(e: LabProgress, stepCount: number): string | null {
  switch (e.t) {
    case 'phase':
      return e.phase === 'cleanup' || e.phase === 'script' ? null : `... ${e.text}`;
    case 'step':
      return e.state === 'started' ? `[${e.index + 1}/${stepCount}] ${e.text}` : null;
    case 'log':
      return `    ${e.source === 'cluster' ? 'cluster: ' : ''}${e.level === 'warn' ? '! ' : ''}${e.text}`;
    case 'counts':
    case 'done':
      return null;
  }
}

const n = (x: number) => x.toLocaleString('en-US');

/** 'ERROR: the lab could not finish' -> ['ERROR', 'the lab could not finish']. */
function splitVerdict(verdict: string): [string, string] {
  const at = verdict.indexOf(': ');
  if (at >= 0) return [verdict.slice(0, at), verdict.slice(at + 2)];
  const words = verdict.split(' ');
  return [words[0], words.slice(1).join(' ')];
}

export function reportText(lab: Lab, r: LabReport): string {
  const verdict: Record<LabReport['status'], string> = {
    passed: 'PASSED: the expectation held',
    failed: 'NOT SHOWN: the expectation did not hold this time',
    'cannot-run': 'CANNOT RUN here',
    error: 'ERROR: the lab could not finish',
    aborted: 'STOPPED before the verdict',
  };
  const lines = [''];
  if (r.status === 'cannot-run' || r.status === 'error' || r.status === 'aborted') {
    // The runner's text often says the same as the verdict ("the lab could not finish: ..."): say it once.
    const v = verdict[r.status];
    const [label, phrase] = splitVerdict(v);
    const observed = r.observed.toLowerCase();
    if (observed.startsWith(v.toLowerCase())) lines.push(`${v}${r.observed.slice(v.length)}`);
    else if (observed.startsWith(phrase.toLowerCase())) lines.push(`${label}: ${r.observed}`);
    else lines.push(`${v}: ${r.observed}`);
    return `${lines.join('\n')}\n`;
  }
  const a = r.audit;
  const m = r.metrics;
  lines.push(
    `Expected: ${r.expected}`,
    `Observed: ${r.observed}`,
    `Audit:    sent ${n(a.sent)}, ${r.settings.acks === 0 ? 'not acknowledged (acks=0)' : 'acked'} ${n(a.acked)}, failed ${n(a.failed)}, lost ${n(a.lost)}, duplicated ${n(a.duplicated)}, reordered ${n(a.reordered)}`,
    `Metrics:  ${n(m.recordsPerSec)} records/s, latency p50 ${m.latencyMs.p50} ms, p99 ${m.latencyMs.p99} ms, retries ${n(m.retries)}, errors ${n(m.errors)}, ` +
      `${n(m.requests)} requests, ${m.recordsPerRequest} records/request`,
  );
  const table = measuredTable(r.details);
  if (table) lines.push('Measured in this run:', ...table.map((l) => `  ${l}`));
  if (r.caveat) lines.push(`Note:     ${r.caveat}`);
  const changed = r.overrides ? ` with your changes (${settingsText(r.overrides)})` : '';
  lines.push(`Verdict:  ${verdict[r.status]}${changed} (${(r.durationMs / 1000).toFixed(1)} s on ${r.cluster.label ?? 'no cluster'})`);
  const command = tryNextCommand(lab, r.tryNext);
  lines.push(`Try this next: ${r.tryNext.text}${command ? `\n  $ ${command}` : ''}`);
  return `${lines.join('\n')}\n`;
}
