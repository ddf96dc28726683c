// `kafka-producer-tui sandbox`: the built-in cluster in the foreground. Prints each broker's address, runs control
// commands read from stdin, prints cluster events as they happen, and stops cleanly on SIGINT or SIGTERM.
// Closing stdin (Ctrl+D, or `</dev/null` in CI) does not stop it: a sandbox started in the background must keep
// serving until it is signalled.
import { createInterface, clearLine, cursorTo } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { runCommandLine } from './control-commands.js';
import { SandboxControl } from './control.js';
import { serveControlSocket } from './control-socket.js';
import { formatEvent } from './event-text.js';
import { settingsLine } from './status-text.js';
import type { BrokerSettings } from '../cluster/broker-settings.js';
import { Sandbox } from '../sandbox.js';

export interface ForegroundOptions {
  brokers: number;
  /** First broker's port; the others follow. 0 gives every broker a free port. */
  port: number;
  host: string;
  /** The first broker's id (default 1). */
  firstBrokerId?: number;
  /** Broker settings away from Kafka's defaults. */
  settings?: Partial<BrokerSettings>;
  input?: Readable & { isTTY?: boolean };
  output?: Writable;
  errors?: Writable;
}

/** One line naming the port, for the failures people actually hit when listening. */
export function listenErrorMessage(e: unknown, host: string): string {
  const err = e as NodeJS.ErrnoException & { port?: number; address?: string };
  const where = `${err.address ?? host}:${err.port ?? '?'}`;
  switch (err.code) {
    case 'EADDRINUSE':
      return `port ${err.port} on ${err.address ?? host} is already in use (another Kafka or sandbox?): pick another with --port, or --port 0 for free ports`;
    case 'EACCES':
      return `no permission to listen on ${where} (ports below 1024 need privileges): pick another with --port`;
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot listen on host ${host}: it is not an address of this machine (${err.code})`;
    default:
      return `cannot start the sandbox: ${err.message}`;
  }
}

const clockTime = () => {
  const d = new Date();
  return `${d.toTimeString().slice(0, 8)}.${String(d.getMilliseconds()).padStart(3, '0')}`;
};

/** Runs until SIGINT or SIGTERM; resolves with the process exit code (1 when the cluster could not start). */
export async function runSandboxForeground(opts: ForegroundOptions): Promise<number> {
  const input = opts.input ?? process.stdin;
  const output = opts.output ?? process.stdout;
  const errors = opts.errors ?? process.stderr;

  let sandbox: Sandbox;
  try {
    sandbox = await Sandbox.start({
      ...opts.settings,
      brokers: opts.brokers,
      firstBrokerId: opts.firstBrokerId,
      port: opts.port,
      host: opts.host,
      log: (line) => errors.write(`${line}\n`),
    });
  } catch (e) {
    errors.write(`kafka-producer-tui sandbox: ${listenErrorMessage(e, opts.host)}\n`);
    return 1;
  }

  const control = new SandboxControl(sandbox);
  // The app finds this socket from a broker address and gets the same control as over stdin.
  const controlSocket = await serveControlSocket(control).catch((e: Error) => {
    errors.write(`kafka-producer-tui sandbox: no control socket for other processes (${e.message}); stdin commands still work\n`);
    return null;
  });
  // Line editing and a prompt only when a person is at a terminal on both ends; pipes get plain lines.
  const tty = input.isTTY === true && (output as Writable & { isTTY?: boolean }).isTTY === true;
  const rl = createInterface({ input, output: tty ? output : undefined, terminal: tty, prompt: '> ' });
  let inputOpen = true;
  let stopping = false;

  // Asynchronous lines (events) must not garble what the user is typing: clear the prompt line, print, redraw it.
  const print = (text: string) => {
    if (tty && inputOpen) {
      clearLine(output, 0);
      cursorTo(output, 0);
      output.write(`${text}\n`);
      rl.prompt(true);
    } else {
      output.write(`${text}\n`);
    }
  };

  for (const b of control.status().brokers) print(`broker ${b.id} listening on ${b.address}`);
  print(`bootstrap servers: ${sandbox.bootstrap()}`);
  print(settingsLine(control.status()));
  if (controlSocket) print(`control socket: ${controlSocket.paths[0]}`);
  print('type help for the control commands; Ctrl+C or SIGTERM stops the sandbox');

  const unsubscribe = control.on((event) => {
    const line = formatEvent(event);
    if (line) print(`[${clockTime()}] ${line}`);
  }, { highWatermark: false });

  // Commands run one after another, in the order typed, even when one waits for a listener to reopen.
  let queue: Promise<void> = Promise.resolve();
  rl.on('line', (line) => {
    queue = queue.then(async () => {
      try {
        const result = await runCommandLine(control, line);
        if (result) print(result.ok ? result.message : `error: ${result.message}`);
        else if (tty && inputOpen) rl.prompt();
      } catch (e) {
        print(`error: ${(e as Error).message}`);
      }
    });
  });
  rl.on('close', () => {
    inputOpen = false;
    if (tty && !stopping) output.write('\nstdin closed: the sandbox keeps running; press Ctrl+C or send SIGTERM to stop it\n');
  });
  if (tty) rl.prompt();

  return new Promise<number>((resolve) => {
    const stop = (signal: string) => {
      if (stopping) {
        errors.write(`${signal} again: exiting without waiting\n`);
        process.exit(1);
      }
      stopping = true;
      inputOpen = false;
      output.write(`\n${signal}: stopping the sandbox\n`);
      unsubscribe();
      rl.close();
      void queue
        .then(() => controlSocket?.close())
        .then(() => sandbox.close())
        .then(
          () => {
            output.write('sandbox stopped\n');
            resolve(0);
          },
          (e: unknown) => {
            errors.write(`kafka-producer-tui sandbox: stopping failed: ${(e as Error).message}\n`);
            resolve(1);
          },
        )
        .finally(() => {
          process.off('SIGINT', onSigint);
          process.off('SIGTERM', onSigterm);
        });
    };
    const onSigint = () => stop('SIGINT');
    const onSigterm = () => stop('SIGTERM');
    process.on('SIGINT', onSigint);
    process.on('SIGTERM', onSigterm);
    // In terminal mode readline takes Ctrl+C itself instead of raising SIGINT.
    rl.on('SIGINT', onSigint);
  });
}
