// `kafka-producer-tui config`: exports producer settings for another client (--format), or reviews an existing
// configuration file (--check). Exit codes: 0 done / nothing conflicts, 1 the file's configuration conflicts
// (Java would refuse it), 2 a bad command line or a file that cannot be read (with the line and the reason).
import { parseCommandLine } from './exact-flags.js';
import { CLIENT_VERSIONS, isClientVersion, NEWEST_CLIENT, type ClientVersion } from '../kafka/producer/config/client-defaults.js';
import { readConfigFile, SOURCE_TITLES } from '../kafka/producer/config/config-import.js';
import { reviewConfig } from '../kafka/producer/config/config-review.js';
import { EXPORT_FORMATS, exportConfig, type ExportFormat } from '../kafka/producer/config/export-formats/index.js';
import { reviewText } from './config-text.js';
import { PRODUCER_FLAGS, producerFlagsHelp, producerMeowFlags, producerSettingsFromFlags } from './producer-flags.js';

const HELP = `
  Usage
    $ kafka-producer-tui config [producer settings] --format ${EXPORT_FORMATS.join('|')} [--all] [--client-version V]
    $ kafka-producer-tui config --check FILE [--client-version V] [--json]

  Export: prints the settings for another client. Only the settings given and those whose value differs from
  that client's defaults are written, unless --all.
    properties   Java producer.properties, Kafka's names
    spring-yaml  Spring Boot application.yml (spring.kafka.producer.*, .properties.* for the rest)
    spring-java  a Spring ProducerFactory bean with ProducerConfig constants
    kafkajs      new Kafka / kafka.producer / send options; comments for what kafkajs has no option for
    librdkafka   librdkafka / confluent-kafka properties, with its names where they differ

  Check: reviews FILE — a producer.properties, librdkafka properties, a Spring Boot application.yml or
  application.properties (spring.kafka.producer), a Java ProducerFactory, or kafkajs options (JSON or a .js
  module) — setting by setting: ok, review, redundant or conflict, and why, grouped by durability, ordering,
  throughput and latency, timeouts. Exit code 0 when Kafka accepts it, 1 on a conflict (Java's ConfigException
  message on stderr), 2 when the file cannot be read (the line and the reason).

  Options
    --format F            ${EXPORT_FORMATS.join(', ')}
    --all                 write every setting, defaults included
    --check FILE          review FILE instead of exporting
    --client-version V    ${CLIENT_VERSIONS.join(' or ')}: Java's defaults of that kafka-clients release (default ${NEWEST_CLIENT});
                          3.0 made acks=all and idempotence the defaults (KIP-679), 4.0 made linger.ms 5 (KIP-1030)
    --json                the review as one JSON object (with --check)

  Producer settings (Kafka's names), for the export
${producerFlagsHelp(4)}

  Examples
    $ kafka-producer-tui config --acks all --idempotent --linger-ms 5 --compression snappy --format spring-yaml
    $ kafka-producer-tui config --check producer.properties --client-version 3.9
    $ kafka-producer-tui lab --all --config producer.properties --json
`;

export interface ConfigIo {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Terminal width for wrapping the review; null when the output is not a terminal. */
  columns: number | null;
}

const processIo: ConfigIo = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  columns: process.stdout.isTTY ? process.stdout.columns : null,
};

const CONFIG_FLAGS = {
  ...producerMeowFlags,
  format: { type: 'string' },
  all: { type: 'boolean', default: false },
  check: { type: 'string' },
  clientVersion: { type: 'string', default: NEWEST_CLIENT },
  json: { type: 'boolean', default: false },
} as const;

export async function run(argv: string[], importMeta: ImportMeta, io: ConfigIo = processIo): Promise<number> {
  const fail = (message: string) => {
    io.err(`kafka-producer-tui config: ${message}\n`);
    return 2;
  };
  // Output into a closed pipe (config ... | head) ends the command quietly: cli.tsx does that for every command.
  const cli = parseCommandLine('kafka-producer-tui config', HELP, CONFIG_FLAGS, argv, importMeta);
  if (!cli.ok) return fail(cli.message);
  const f = cli.flags as Record<string, unknown>;
  if (cli.input.length > 0) return fail(`unexpected argument '${cli.input[0]}' (see --help)`);
  const version = String(f.clientVersion);
  if (!isClientVersion(version)) return fail(`--client-version must be ${CLIENT_VERSIONS.join(' or ')}; got '${version}'`);
  if (f.check !== undefined) {
    if (String(f.check).trim() === '') return fail('--check needs a FILE: a producer.properties, application.yml, .java or kafkajs .json/.js');
    const given = PRODUCER_FLAGS.filter((p) => f[p.key] !== undefined && (!p.boolean || argv.some((a) => a === p.flag || a === `--no-${p.flag.slice(2)}`)));
    if (given.length > 0) return fail(`--check reviews the file as it is; ${given.map((p) => p.flag).join(', ')} only apply to an export`);
    if (f.format !== undefined) return fail('--check and --format do not go together: review a file, or export settings');
    if (f.all) return fail('--all is for an export (--format)');
    return check(String(f.check), version, Boolean(f.json), io);
  }
  if (f.json) return fail('--json is for --check (an export prints the file itself)');
  if (f.format === undefined) return fail(`say which format to export with --format ${EXPORT_FORMATS.join('|')}, or review a file with --check FILE`);
  const format = String(f.format);
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) return fail(`--format must be one of ${EXPORT_FORMATS.join(', ')}; got '${format}'`);
  const producer = producerSettingsFromFlags(f, argv);
  if (!producer.ok) {
    for (const e of producer.errors) io.err(`kafka-producer-tui config: ${e}\n`);
    return 2;
  }
  for (const w of producer.warnings) io.err(`warning: ${w}\n`);
  io.out(exportConfig(format as ExportFormat, { user: producer.settings, effective: producer.effective, all: Boolean(f.all), version }));
  return 0;
}

async function check(path: string, version: ClientVersion, json: boolean, io: ConfigIo): Promise<number> {
  const read = await readConfigFile(path);
  if (!read.ok) {
    const where = read.line !== null ? `${path}, line ${read.line}: ` : `${path}: `;
    if (json) io.out(`${JSON.stringify({ file: path, readable: false, line: read.line, reason: read.reason })}\n`);
    io.err(`kafka-producer-tui config: cannot read ${where}${read.reason}\n`);
    return 2;
  }
  const review = reviewConfig(read.settings, version);
  if (json) {
    io.out(`${JSON.stringify({
      file: path,
      readable: true,
      source: read.source,
      clientVersion: version,
      ok: review.ok,
      conflicts: review.conflicts.map((c) => ({ settings: c.settings, exception: `org.apache.kafka.common.config.ConfigException: ${c.exception}` })),
      rows: review.rows,
      settings: read.settings,
      found: read.found,
      other: read.other,
      effective: review.effective.settings,
    })}\n`);
  } else {
    const title = `Review of ${path} (${SOURCE_TITLES[read.source]}) against kafka-clients ${version}'s defaults`;
    io.out(reviewText(review, { title, columns: io.columns, other: read.other }));
  }
  for (const c of review.conflicts) io.err(`org.apache.kafka.common.config.ConfigException: ${c.exception}\n`);
  return review.ok ? 0 : 1;
}
