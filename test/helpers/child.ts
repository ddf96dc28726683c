// Runs a client we did not write (kcat, python) as a child process with a hard timeout, feeding stdin and
// collecting its output. Asynchronous on purpose: the sandbox under test shares this process's event loop.
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built binary (`npm run build`, which `npm test` runs first). */
export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export interface ChildOptions {
  input?: string;
  /** Added to this process's environment. */
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** Kill the child (SIGTERM) once its stdout satisfies this; for clients that do not exit by themselves. */
  stopWhen?: (stdout: string) => boolean;
  /** Close our end of the child's stdout once it satisfies this, as `| head -N` does. */
  closeStdoutWhen?: (stdout: string) => boolean;
}

export function runChild(cmd: string, args: string[], opts: ChildOptions = {}): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], env: opts.env ? { ...process.env, ...opts.env } : process.env });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs ?? 20_000);
    if (opts.closeStdoutWhen?.('')) child.stdout.destroy();
    child.stdout.on('data', (d) => {
      stdout += d;
      if (opts.stopWhen?.(stdout)) child.kill('SIGTERM');
      if (opts.closeStdoutWhen?.(stdout)) child.stdout.destroy();
    });
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut });
    });
    child.stdin.on('error', () => {}); // a client that exits early closes its stdin under us
    child.stdin.end(opts.input ?? '');
  });
}

/** Whether `cmd args` runs and exits 0 (e.g. `kcat -V`), for skipIf. */
export function commandWorks(cmd: string, args: string[]): boolean {
  try {
    return spawnSync(cmd, args, { stdio: 'ignore', timeout: 10_000 }).status === 0;
  } catch {
    return false;
  }
}

/** `kafka-producer-tui <args>` as a user runs it: the built binary under this Node, monochrome (NO_COLOR). */
export function runCli(args: string[], opts: ChildOptions = {}): Promise<ChildResult> {
  return runChild(process.execPath, [CLI, ...args], { timeoutMs: 60_000, ...opts, env: { NO_COLOR: '1', ...opts.env } });
}
