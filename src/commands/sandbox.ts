// `kafka-producer-tui sandbox`: flag parsing and validation; the cluster itself runs in sandbox/run-foreground.ts.
import { isIP } from 'node:net';
import { parseArgs } from 'node:util';
import type { CommandLine } from './exact-flags.js';
import { flagProblem } from './flag-names.js';
import { parseBrokerConfigs, SETTINGS, type BrokerSettings } from '../sandbox/control/broker-config.js';
import { runSandboxForeground } from '../sandbox/control/run-foreground.js';
import { keepYoungGenerationSmall } from '../sandbox/control/standalone-process.js';

const HELP = `
  Usage
    $ kafka-producer-tui sandbox [--brokers-count 3] [--port 9092] [--host 127.0.0.1]
                                 [--first-broker-id 1] [--broker-config NAME=VALUE ...]

  Runs the built-in Kafka-wire-compatible cluster in the foreground. Prints one line per broker
  with its address, reads control commands on stdin (type help), prints cluster events, and
  stops on Ctrl+C or SIGTERM. Closing stdin does not stop it.

  Options
    --brokers-count N   number of brokers, 1-16 (default 3; ids 1..N)
    --port P            first broker's port; the others use P+1, P+2... (default 9092);
                        0 gives every broker a free port
    --host H            address to listen on and advertise (default 127.0.0.1)
    --first-broker-id N the first broker's id; the others follow (default 1; 0 gives ids 0..N-1)
    --broker-config NAME=VALUE
                        a broker setting, repeatable; Kafka's defaults otherwise:
${SETTINGS.map((s) => `                          ${s.name} (default ${s.sandboxDefault}${s.kafkaDefault !== null && s.kafkaDefault !== s.sandboxDefault ? `; Kafka's ${s.kafkaDefault}` : ''})`).join('\n')}

  Examples
    $ kafka-producer-tui sandbox
    $ kafka-producer-tui sandbox --port 0 --brokers-count 1
    $ kafka-producer-tui sandbox --first-broker-id 0 --broker-config group.initial.rebalance.delay.ms=0
`;

export interface SandboxFlags {
  brokers: number;
  port: number;
  host: string;
  firstBrokerId: number;
  settings: Partial<BrokerSettings>;
}

/** Validates the raw flag strings; a message for the first bad one. */
export function validateSandboxFlags(raw: {
  brokersCount: string;
  port: string;
  host: string;
  firstBrokerId?: string;
  brokerConfig?: readonly string[];
}): SandboxFlags | string {
  if (!/^\d+$/.test(raw.brokersCount) || Number(raw.brokersCount) < 1 || Number(raw.brokersCount) > 16) {
    return `--brokers-count must be a whole number from 1 to 16, got '${raw.brokersCount}'`;
  }
  if (!/^\d+$/.test(raw.port) || Number(raw.port) > 65535) {
    return `--port must be a whole number from 0 to 65535, got '${raw.port}'`;
  }
  const brokers = Number(raw.brokersCount);
  const port = Number(raw.port);
  if (port !== 0 && port + brokers - 1 > 65535) {
    return `--port ${port} with ${brokers} brokers needs ports up to ${port + brokers - 1}: pick a lower port`;
  }
  const host = raw.host.trim();
  if (host === '') return '--host must not be empty';
  // Checked here so a typo is exit code 2, not a listen failure after the start (RFC 1123 host names).
  if (!isIP(host) && !/^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i.test(host)) {
    return `--host must be an IP address or a host name, got '${raw.host}'`;
  }
  const firstRaw = raw.firstBrokerId ?? '1';
  if (!/^\d+$/.test(firstRaw) || Number(firstRaw) > 1_000_000) return `--first-broker-id must be a whole number from 0 to 1000000, got '${firstRaw}'`;
  const settings = parseBrokerConfigs(raw.brokerConfig ?? []);
  if (typeof settings === 'string') return settings;
  return { brokers, port, host, firstBrokerId: Number(firstRaw), settings };
}

export const SANDBOX_FLAGS = {
  brokersCount: { type: 'string', default: '3' },
  port: { type: 'string', default: '9092' },
  host: { type: 'string', default: '127.0.0.1' },
  firstBrokerId: { type: 'string', default: '1' },
  brokerConfig: { type: 'string', isMultiple: true, default: [] as string[] },
} as const;

const COMMAND = 'kafka-producer-tui sandbox';

/**
 * The sandbox's flags read without meow, or null where meow must read them (--help, --version, a flag given twice, a
 * value node's parseArgs finds ambiguous): meow and its dependencies cost the long-running sandbox process ~8 MB of
 * resident memory for nothing else (a process that only loads them: 55.0 MB against 46.8 MB). Names are checked
 * exactly first, as for every command.
 */
export function parseSandboxArgs(argv: readonly string[]): CommandLine | null {
  const problem = flagProblem(argv, SANDBOX_FLAGS, COMMAND);
  if (problem) return { ok: false, message: problem };
  const end = argv.indexOf('--');
  const flags = (end < 0 ? argv : argv.slice(0, end)).filter((a) => a.startsWith('--')).map((a) => a.split('=')[0]);
  if (flags.some((f) => f === '--help' || f === '--version')) return null;
  if (flags.some((f, i) => f !== '--broker-config' && flags.indexOf(f) !== i)) return null;
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        'brokers-count': { type: 'string', default: SANDBOX_FLAGS.brokersCount.default },
        port: { type: 'string', default: SANDBOX_FLAGS.port.default },
        host: { type: 'string', default: SANDBOX_FLAGS.host.default },
        'first-broker-id': { type: 'string', default: SANDBOX_FLAGS.firstBrokerId.default },
        'broker-config': { type: 'string', multiple: true, default: [] },
      },
    });
    const flagValues = {
      brokersCount: values['brokers-count'],
      port: values.port,
      host: values.host,
      firstBrokerId: values['first-broker-id'],
      brokerConfig: values['broker-config'],
    };
    return { ok: true, flags: flagValues, input: positionals };
  } catch {
    return null;
  }
}

export async function run(argv: string[], importMeta: ImportMeta): Promise<number> {
  const cli = parseSandboxArgs(argv) ?? (await import('./exact-flags.js')).parseCommandLine(COMMAND, HELP, SANDBOX_FLAGS, argv, importMeta);
  if (!cli.ok) {
    process.stderr.write(`${COMMAND}: ${cli.message}\n`);
    return 2;
  }
  if (cli.input.length > 0) {
    process.stderr.write(`kafka-producer-tui sandbox: unexpected argument '${cli.input[0]}' (see --help)\n`);
    return 2;
  }
  const flags = validateSandboxFlags(cli.flags as Parameters<typeof validateSandboxFlags>[0]);
  if (typeof flags === 'string') {
    process.stderr.write(`kafka-producer-tui sandbox: ${flags}\n`);
    return 2;
  }
  keepYoungGenerationSmall();
  return runSandboxForeground(flags);
}
