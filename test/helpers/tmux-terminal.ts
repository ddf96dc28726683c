// The built binary (dist/cli.js) in tmux, driven one key at a time and read back with capture-pane: the harness of
// the TUI's end-to-end tests, for tests that also run servers (a sandbox, a fake Docker) in the test process.
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
export const hasTmux = spawnSync('tmux', ['-V']).status === 0;

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class Terminal {
  constructor(readonly name: string) {}

  static start(name: string, columns: number, rows: number, args: string[], env: Record<string, string> = {}): Terminal {
    spawnSync('tmux', ['kill-session', '-t', name]);
    const vars = Object.entries(env).map(([k, v]) => `${k}='${v}' `).join('');
    // A shell around the app: after it exits, the shell prints the exit code, as a prompt would come back.
    const cmd = `env -u CI ${vars}'${process.execPath}' '${CLI}' ${args.map((a) => `'${a}'`).join(' ')}; echo "exited with $?"; sleep 600`;
    execFileSync('tmux', ['new-session', '-d', '-s', name, '-x', String(columns), '-y', String(rows), 'sh', '-c', cmd]);
    return new Terminal(name);
  }

  screen(): string {
    return execFileSync('tmux', ['capture-pane', '-p', '-t', this.name], { encoding: 'utf8' });
  }

  /** One key per send-keys call, with a pause, as typed. */
  async keys(...keys: string[]): Promise<void> {
    for (const k of keys) {
      execFileSync('tmux', ['send-keys', '-t', this.name, ...(k.length === 1 ? ['-l', k] : [k])]);
      await sleep(80);
    }
  }

  async waitFor(pattern: RegExp, timeoutMs = 10_000): Promise<RegExpMatchArray> {
    const until = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < until) {
      last = this.screen();
      const m = last.match(pattern);
      if (m) return m;
      await sleep(100);
    }
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${pattern} on screen:\n${last}`);
  }

  async waitUntil(ok: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      if (ok()) return;
      await sleep(100);
    }
    throw new Error(`timed out waiting for ${what}; screen:\n${this.screen()}`);
  }

  kill(): void {
    spawnSync('tmux', ['kill-session', '-t', this.name]);
  }
}
