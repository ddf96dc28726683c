// `kafka-producer-tui` with no subcommand: the full-screen producer lab. Flags, the no-TTY check, colour, then the
// store, the session and the UI in the alternate screen (first frame at once; the cluster connects behind it), and
// every way out (q, Ctrl+C, SIGTERM, SIGHUP, a crash) restoring the terminal before anything is printed.
import { closeSync, openSync, writeSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { mountApp } from '../app.js';
import { openCluster } from '../kafka/cluster/open-cluster.js';
import { ensureTopic, LAB_TOPIC_DEFAULTS } from '../kafka/cluster/topic-setup.js';
import { AppSession } from '../state/app-session.js';
import { AppStore } from '../state/store/app-store.js';
import { initialUiState, UiStore } from '../state/input/ui-store.js';
import type { ProducerSettings } from '../kafka/producer/config/settings.js';
import { checkField } from '../state/input/produce-form.js';
import { connectionFromFlags, parseBrokers, containerMeowFlags, securityMeowFlags, type ConnectionChoice } from './connection-flags.js';
import { producerMeowFlags, producerSettingsFromFlags } from './producer-flags.js';
import { parseCommandLine } from './exact-flags.js';
import { TUI_HELP } from './tui-help.js';


interface TuiFlags {
  brokers: string[] | undefined;
  sandbox: boolean;
  topic: string;
  partitions: number;
  fps: number;
  color: boolean;
}

/** Checks the raw flag values; a message for the first bad one. */
export function validateTuiFlags(raw: { brokers?: string; sandbox: boolean; topic: string; partitions: string; fps: string; color: boolean }): TuiFlags | string {
  let brokers: string[] | undefined;
  if (raw.brokers !== undefined) {
    const parsed = parseBrokers(raw.brokers);
    if (typeof parsed === 'string') return parsed;
    brokers = parsed;
    if (raw.sandbox) return '--brokers and --sandbox exclude each other: pick the real cluster or the built-in one';
  }
  const topicError = checkField('topic', raw.topic);
  if (topicError) return `--topic: ${topicError}`;
  if (!/^\d+$/.test(raw.partitions) || Number(raw.partitions) < 1 || Number(raw.partitions) > 1000) {
    return `--partitions must be a whole number from 1 to 1000, got '${raw.partitions}'`;
  }
  if (!/^\d+$/.test(raw.fps) || Number(raw.fps) < 1 || Number(raw.fps) > 60) return `--fps must be a whole number from 1 to 60, got '${raw.fps}'`;
  return { brokers, sandbox: raw.sandbox, topic: raw.topic.trim(), partitions: Number(raw.partitions), fps: Number(raw.fps), color: raw.color };
}

/** NO_COLOR (any non-empty value, https://no-color.org) or --no-color. */
export function wantsColor(flag: boolean, env: NodeJS.ProcessEnv): boolean {
  return flag && !(env.NO_COLOR !== undefined && env.NO_COLOR !== '');
}

const TUI_FLAGS = {
  brokers: { type: 'string' },
  sandbox: { type: 'boolean', default: false },
  topic: { type: 'string', default: 'playground' },
  partitions: { type: 'string', default: '6' },
  fps: { type: 'string', default: '10' },
  color: { type: 'boolean', default: true },
  logFile: { type: 'string' },
  ...producerMeowFlags,
  ...securityMeowFlags,
  ...containerMeowFlags,
} as const;

export async function run(argv: string[], importMeta: ImportMeta): Promise<number> {
  // V8 drops the bytecode of functions not run for a few collections and compiles them again on the next call: the
  // TUI's once-a-second and once-a-frame code paid that over and over (CompileLazy in a steady-state profile; at
  // 1,000 rec/s the app's CPU 30-60 s in was about 18% lower without it). Set before the app's code first runs.
  setFlagsFromString('--no-flush-bytecode');
  const cli = parseCommandLine('kafka-producer-tui', TUI_HELP, TUI_FLAGS, argv, importMeta);
  if (!cli.ok) {
    process.stderr.write(`kafka-producer-tui: ${cli.message}\n`);
    return 2;
  }
  if (cli.input.length > 0) {
    process.stderr.write(`kafka-producer-tui: unknown command '${cli.input[0]}' (see --help)\n`);
    return 2;
  }
  const flags = validateTuiFlags(cli.flags as never);
  if (typeof flags === 'string') {
    process.stderr.write(`kafka-producer-tui: ${flags}\n`);
    return 2;
  }
  const connection = connectionFromFlags(cli.flags as Record<string, unknown>, flags.brokers !== undefined);
  if (typeof connection === 'string') {
    process.stderr.write(`kafka-producer-tui: ${connection}\n`);
    return 2;
  }
  const settings = producerSettingsFromFlags(cli.flags as Record<string, unknown>, argv);
  if (!settings.ok) {
    for (const e of settings.errors) process.stderr.write(`kafka-producer-tui: ${e}\n`);
    return 2;
  }
  // Checked with the other flags, before the terminal: a path that cannot be written is a flag error (exit 2).
  const logFile = openLogFile(cli.flags.logFile as string | undefined);
  if (typeof logFile === 'string') {
    process.stderr.write(`kafka-producer-tui: ${logFile}\n`);
    return 2;
  }
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    process.stderr.write('kafka-producer-tui: the lab needs an interactive terminal (stdin and stdout must be a TTY); for scripts use the bench or lab commands\n');
    if (logFile !== null) closeSync(logFile);
    return 2;
  }
  try {
    return await runTui(flags, settings.settings, connection, logFile);
  } finally {
    if (logFile !== null) closeSync(logFile);
  }
}

/** One line of the --log-file: ISO time, level, text. */
export function logFileLine(l: { at: number; level: string; text: string }): string {
  return `${new Date(l.at).toISOString()} ${l.level} ${l.text.replace(/\n/g, ' ')}\n`;
}

/** The --log-file, opened for appending (a file descriptor), null without the flag, or why it cannot be used. */
export function openLogFile(path: string | undefined): number | null | string {
  if (path === undefined) return null;
  if (path.trim() === '') return '--log-file needs a file path';
  try {
    return openSync(path, 'a');
  } catch (e) {
    return `--log-file: cannot write to ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
  }
}

async function runTui(flags: TuiFlags, settings: Partial<ProducerSettings>, connection: ConnectionChoice, logFd: number | null): Promise<number> {
  const store = new AppStore({ fps: flags.fps, topic: flags.topic });
  // Written as each line arrives (a few per second at most): nothing is lost if the app is killed.
  if (logFd !== null) {
    store.setLogSink((l) => {
      try {
        writeSync(logFd, logFileLine(l));
      } catch (e) {
        store.setLogSink(null);
        store.addEvent('error', `--log-file: writing failed (${(e as Error).message}); the log stays in the app (L)`);
      }
    });
  }
  let finish!: (code: number, message: string) => void;
  const finished = new Promise<{ code: number; message: string }>((resolve) => (finish = (code, message) => resolve({ code, message })));
  const session = new AppSession({
    store,
    topic: flags.topic,
    settings,
    openCluster: () =>
      openCluster({
        brokers: flags.brokers,
        sandbox: flags.sandbox,
        security: connection.security,
        containers: connection.containers,
        transactions: Boolean(settings['transactional.id']),
      }),
    ensureTopic: (client, topic) => ensureTopic(client, topic, { ...LAB_TOPIC_DEFAULTS, partitions: flags.partitions }),
    onExit: ({ code, message }) => finish(code, message),
  });
  const ui = new UiStore(session, store.getSnapshot, initialUiState({ topic: flags.topic }));

  // Anything printed while the screen is ours would tear it: console output and warnings go to the log (L).
  const restoreConsole = captureConsole((level, text) => store.addLog(level, text));

  store.start();
  const instance = mountApp({ snapshots: store, ui, color: wantsColor(flags.color, process.env), fps: flags.fps });
  void session.connect();

  let signals = 0;
  const onSignal = (name: string) => () => {
    signals++;
    store.addEvent('warn', `${name}: quitting`);
    session.quit(signals > 1);
  };
  const handlers: [NodeJS.Signals, () => void][] = [
    ['SIGTERM', onSignal('SIGTERM')],
    ['SIGINT', onSignal('SIGINT')],
    ['SIGHUP', onSignal('SIGHUP')],
  ];
  for (const [sig, h] of handlers) process.on(sig, h);
  // A crash still ends with the summary: what was sent, acknowledged, failed and abandoned.
  const crash = (e: unknown) =>
    finish(1, `kafka-producer-tui crashed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n${session.summary('crashed').message}`);
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
  instance.waitUntilExit().catch(crash);

  const { code, message } = await finished;
  store.stop();
  instance.unmount();
  await instance.waitUntilExit().catch(() => {});
  restoreConsole();
  for (const [sig, h] of handlers) process.off(sig, h);
  process.off('uncaughtException', crash);
  process.off('unhandledRejection', crash);
  if (message) process.stderr.write(`${message}\n`);
  return code;
}

type Sink = (level: 'info' | 'warn' | 'error', text: string) => void;

/** Routes console.* and process warnings to `sink` until the returned function is called. */
function captureConsole(sink: Sink): () => void {
  const saved = { log: console.log, info: console.info, warn: console.warn, error: console.error, debug: console.debug };
  const text = (args: unknown[]) => args.map((a) => (a instanceof Error ? a.message : typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
  console.log = console.info = console.debug = (...args: unknown[]) => sink('info', text(args));
  console.warn = (...args: unknown[]) => sink('warn', text(args));
  console.error = (...args: unknown[]) => sink('error', text(args));
  const warningListeners = process.listeners('warning');
  process.removeAllListeners('warning');
  const onWarning = (w: Error) => sink('warn', `${w.name}: ${w.message}`);
  process.on('warning', onWarning);
  return () => {
    Object.assign(console, saved);
    process.off('warning', onWarning);
    for (const l of warningListeners) process.on('warning', l);
  };
}
