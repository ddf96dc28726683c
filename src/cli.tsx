#!/usr/bin/env node
// The entry: checks the Node version, then hands the arguments to one command module. Commands load lazily so the
// version check runs before any of their dependencies, and so each command pulls in only what it needs.
import { endQuietlyOnClosedStdout, onClosedOutput } from './commands/closed-output.js';

const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  process.stderr.write(`kafka-producer-tui needs Node >= 22 (this is ${process.version})\n`);
  process.exit(1);
}

// A closed pipe on stdout (`| head`) ends a command quietly; the sandbox keeps serving its clients without a reader.
if (process.argv[2] === 'sandbox') {
  onClosedOutput(process.stdout, () => {});
  onClosedOutput(process.stderr, () => {});
} else {
  endQuietlyOnClosedStdout();
}

interface CommandModule {
  /** Runs the command with the arguments after its name; resolves with the exit code. */
  run(argv: string[], importMeta: ImportMeta): Promise<number>;
}

/** One entry per subcommand; `lab`, `bench` and the default TUI are added here as they land. */
const commands: Record<string, { usage: string; summary: string; load: () => Promise<CommandModule> }> = {
  sandbox: {
    usage: 'kafka-producer-tui sandbox [--brokers-count 3] [--port 9092] [--host 127.0.0.1]',
    summary: 'run the built-in Kafka-wire-compatible cluster in the foreground',
    load: () => import('./commands/sandbox.js'),
  },
  bench: {
    usage: 'kafka-producer-tui bench [--records N] [--record-size B] [--throughput R] [producer settings] [--json]',
    summary: 'producer benchmark (kafka-producer-perf-test lines) on the built-in cluster, or --brokers',
    load: () => import('./commands/bench.js'),
  },
  lab: {
    usage: 'kafka-producer-tui lab --list | lab <name> [--json] [--brokers h:p,...] [producer settings]',
    summary: 'run one producer lesson headlessly and say whether its claim held (exit 0), or not (1)',
    load: () => import('./commands/lab.js'),
  },
  config: {
    usage: 'kafka-producer-tui config [producer settings] --format properties|spring-yaml|spring-java|kafkajs|librdkafka | config --check FILE [--client-version 3.9|4.1]',
    summary: 'export the settings for another client, or review an existing producer configuration (exit 1 on a conflict)',
    load: () => import('./commands/config.js'),
  },
};

// A command named first goes straight to its module: the top-level help (which lists the producer and connection
// settings, and so loads the client side's code) and meow load only for the TUI, --help and anything else. The
// bundle is split per command (scripts/bundle.mjs), so `sandbox` parses and holds only the sandbox's code.
const named = process.argv[2];
if (named !== undefined && Object.hasOwn(commands, named)) {
  const command = await commands[named].load();
  process.exit(await command.run(process.argv.slice(3), import.meta));
}

const [{ default: meow }, { TUI_HELP }] = await Promise.all([import('meow'), import('./commands/tui-help.js')]);
const usage = `${TUI_HELP}
  Other commands
${Object.values(commands)
  .map((c) => `    $ ${c.usage}\n        ${c.summary}`)
  .join('\n')}

  Run kafka-producer-tui <command> --help for a command's options.
`;

const cli = meow(usage, { importMeta: import.meta, commands: Object.keys(commands), flags: {} });

if (!cli.command) {
  const tui = await import('./commands/tui.js');
  process.exit(await tui.run(process.argv.slice(2), import.meta));
}

const command = await commands[cli.command].load();
process.exit(await command.run(cli.input, import.meta));
