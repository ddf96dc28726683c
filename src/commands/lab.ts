// `kafka-producer-tui lab`: lists the labs, or runs one headlessly and prints its report. Exit code
// 0 when the lab's expectation held, 1 when it did not (or the lab could not finish), 2 for a bad command line, an
// unknown lab, or a lab that cannot prove its point on the cluster given (a sandbox-only fault on a real cluster).
import { effectiveConfig } from '../kafka/producer/config/settings.js';
import { findLab, LABS } from '../labs/catalog.js';
import { cannotRunReason } from '../labs/lab-requirements.js';
import { runLab, type LabReport } from '../labs/runner.js';
import { introText, listText, progressLine, reportText, whereText } from './lab-text.js';
import { connectionFromFlags, parseBrokers, containerFlagsHelp, containerMeowFlags, securityFlagsHelp, securityMeowFlags } from './connection-flags.js';
import { parseCommandLine } from './exact-flags.js';
import { producerFlagsHelp, producerMeowFlags, producerSettingsFromFlags } from './producer-flags.js';
import { loadConfig, runClaims, runOneWithConfig } from './lab-config.js';

const HELP = `
  Usage
    $ kafka-producer-tui lab --list [--json]
    $ kafka-producer-tui lab <name> [--json] [--brokers h:p,...] [producer settings]
    $ kafka-producer-tui lab <name> --config FILE [--json]
    $ kafka-producer-tui lab --all [--config FILE] [--json]

  Runs one producer lesson as an experiment: it sets the lab's settings, runs its workload and faults on a
  fresh built-in cluster (or on --brokers), reads the topic back to audit every record, and says whether the
  lesson's claim held. Exit code 0 when it held, 1 when it did not, 2 when the lab cannot run as asked.

  Options
    --list             every lab with its claim
    --json             one JSON report on stdout, nothing else
    --config FILE      run with the producer configuration in FILE (producer.properties, application.yml,
                       a Java ProducerFactory, kafkajs options...); the lab's own required settings go on top
    --all              run the labs that back a configuration's claims (no loss on leader failure, no
                       duplicates on retry, order kept, writes refused below min.insync.replicas) and say
                       which it keeps: exit 0 all kept, 1 one is not kept, 2 one could not be tested
    --brokers h:p,...  a real cluster instead of the built-in one; labs that need a fault only the
                       built-in cluster can inject refuse to run there (exit code 2)

  With --brokers: security (secrets only from the environment) and broker control through the containers
${securityFlagsHelp(4)}
${containerFlagsHelp(4)}

  Producer settings (Kafka's names), to change one and run again ("try this next")
${producerFlagsHelp(4)}

  Examples
    $ kafka-producer-tui lab --list
    $ kafka-producer-tui lab acks1
    $ kafka-producer-tui lab acks0 --acks 1
    $ kafka-producer-tui lab idempotence --json
    $ kafka-producer-tui lab acks1 --config producer.properties
    $ kafka-producer-tui lab --all --config application.yml --json
`;

export interface LabIo {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Ctrl+C: the running lab is stopped and cleaned up. */
  onInterrupt?: (stop: () => void) => () => void;
}

const processIo: LabIo = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  onInterrupt: (stop) => {
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    return () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    };
  },
};

export { parseBrokers };

export function exitCode(report: LabReport): number {
  if (report.status === 'passed') return 0;
  if (report.status === 'cannot-run') return 2;
  return 1;
}

const labNames = () => LABS.map((l) => l.name).join(', ');

const LAB_FLAGS = {
  ...producerMeowFlags,
  list: { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  config: { type: 'string' },
  all: { type: 'boolean', default: false },
  brokers: { type: 'string' },
  ...securityMeowFlags,
  ...containerMeowFlags,
} as const;

export async function run(argv: string[], importMeta: ImportMeta, io: LabIo = processIo): Promise<number> {
  const fail = (message: string) => {
    io.err(`kafka-producer-tui lab: ${message}\n`);
    return 2;
  };
  const cli = parseCommandLine('kafka-producer-tui lab', HELP, LAB_FLAGS, argv, importMeta);
  if (!cli.ok) return fail(cli.message);
  const f = cli.flags as Record<string, unknown>;
  const json = Boolean(f.json);
  if (f.list) {
    if (cli.input.length > 0) return fail(`--list takes no lab name (got '${cli.input[0]}')`);
    io.out(json ? `${JSON.stringify(LABS.map((l) => ({ name: l.name, title: l.title, claim: l.claim, where: whereText(l) })))}\n` : listText(LABS));
    return 0;
  }
  if (f.all && cli.input.length > 0) return fail(`--all runs every lab that backs a claim; name no lab with it (got '${cli.input[0]}')`);
  let brokers: string[] | undefined;
  if (f.brokers !== undefined) {
    const parsed = parseBrokers(String(f.brokers));
    if (typeof parsed === 'string') return fail(parsed);
    brokers = parsed;
  }
  const connection = connectionFromFlags(f, brokers !== undefined);
  if (typeof connection === 'string') return fail(connection);
  const producer = producerSettingsFromFlags(f, argv);
  if (!producer.ok) {
    for (const e of producer.errors) io.err(`kafka-producer-tui lab: ${e}\n`);
    return 2;
  }
  if (f.all || f.config !== undefined) {
    const lab = f.all ? null : findLab(cli.input[0] ?? '');
    if (!f.all && cli.input.length !== 1) return fail(`name one lab to run with --config, or use --all. Labs: ${labNames()}`);
    if (!f.all && !lab) return fail(`unknown lab '${cli.input[0]}'. Labs: ${labNames()}`);
    const config = await loadConfig(f.config === undefined ? undefined : String(f.config), producer.settings);
    if (typeof config === 'string') return fail(config);
    if (!json) for (const w of connection.security.warnings) io.err(`warning: ${w}\n`);
    const abort = new AbortController();
    const release = io.onInterrupt?.(() => abort.abort('interrupted (Ctrl+C)')) ?? (() => {});
    const base = { brokers, security: connection.security, containers: connection.containers, signal: abort.signal };
    try {
      if (!lab) return await runClaims(config, json, io, base);
      const report = await runOneWithConfig(lab, config, json, io, base);
      if (typeof report === 'string') return fail(report);
      if (json) io.out(`${JSON.stringify(report)}\n`);
      return exitCode(report);
    } finally {
      release();
    }
  }
  if (cli.input.length === 0) return fail(`name a lab to run, or use --list. Labs: ${labNames()}`);
  if (cli.input.length > 1) return fail(`one lab at a time; got ${cli.input.map((i) => `'${i}'`).join(', ')}`);
  const lab = findLab(cli.input[0]);
  if (!lab) return fail(`unknown lab '${cli.input[0]}'. Labs: ${labNames()} (kafka-producer-tui lab --list shows what each one shows)`);
  if (!json) for (const w of connection.security.warnings) io.err(`warning: ${w}\n`);
  const overrides = producer.settings;
  // The change must make sense with the lab's own settings too (e.g. --idempotent on an acks=0 lab).
  const combined = effectiveConfig({ ...lab.settings, ...overrides });
  if (!combined.ok) {
    for (const p of combined.problems.filter((x) => x.level === 'error')) io.err(`kafka-producer-tui lab: with lab ${lab.name}'s settings: ${p.message}\n`);
    return 2;
  }

  // Refused before the introduction: a sandbox-only fault cannot be made on the cluster given. (With --json the
  // runner refuses it the same way and the report says so.)
  const refused = cannotRunReason(lab, { real: Boolean(brokers), control: null, checkControl: false });
  if (refused && !json) return fail(refused);

  const hasOverrides = Object.keys(overrides).length > 0;
  if (!json) io.out(introText(lab, hasOverrides ? overrides : null));
  const abort = new AbortController();
  const release = io.onInterrupt?.(() => abort.abort('interrupted (Ctrl+C)')) ?? (() => {});
  try {
    const report = await runLab(lab, {
      brokers,
      security: connection.security,
      containers: connection.containers,
      settings: hasOverrides ? overrides : undefined,
      signal: abort.signal,
      onProgress: json
        ? undefined
        : (e) => {
            const line = progressLine(e, lab.steps.length);
            if (line) io.out(`${line}\n`);
          },
    });
    if (json) io.out(`${JSON.stringify(report)}\n`);
    else io.out(reportText(lab, report));
    // With --json the reason still reaches a person reading the terminal.
    if (json && report.status !== 'passed' && report.status !== 'failed') io.err(`kafka-producer-tui lab: ${report.observed}\n`);
    return exitCode(report);
  } finally {
    release();
  }
}
