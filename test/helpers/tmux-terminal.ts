// The built binary (dist/cli.js) in tmux, driven one key at a time and read back with capture-pane: the harness of
// the TUI's end-to-end tests, for tests that also run servers (a sandbox, a fake Docker) in the test process.
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { CLI } from './child.js';

export { CLI };
export const hasTmux = spawnSync('tmux', ['-V']).status === 0;

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class Terminal {
  constructor(readonly name: string) {}

  static start(label: string, columns: number, rows: number, args: string[], env: Record<string, string> = {}): Terminal {
    // One session per test process: test runs in other checkouts on the same tmux server never share a pane.
    const name = `${label}-${process.pid}`;
    spawnSync('tmux', ['kill-session', '-t', name]);
    const vars = Object.entries(env).map(([k, v]) => `${k}=${v} `).join('');
    // A shell around the app: after it exits, the shell prints the exit code, as a prompt would come back.
    const cmd = `env -u CI ${vars}'${process.execPath}' '${CLI}' ${args.join(' ')}; echo "exited with $?"; sleep 600`;
    execFileSync('tmux', ['new-session', '-d', '-s', name, '-x', String(columns), '-y', String(rows), 'sh', '-c', cmd]);
    return new Terminal(name);
  }

  screen(): string {
    return execFileSync('tmux', ['capture-pane', '-p', '-t', this.name], { encoding: 'utf8' });
  }

  display(format: string): string {
    return execFileSync('tmux', ['display', '-p', '-t', this.name, format], { encoding: 'utf8' }).trim();
  }

  /** One key per send-keys call, with a pause, as typed (tmux would send several keys as one chunk). */
  async keys(...keys: string[]): Promise<void> {
    for (const k of keys) {
      execFileSync('tmux', ['send-keys', '-t', this.name, ...(k.length === 1 ? ['-l', k] : [k])]);
      await sleep(80);
    }
  }

  async type(text: string): Promise<void> {
    await this.keys(...text);
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

  /** Waits until a number read with `pattern` satisfies `ok`. */
  async waitForNumber(pattern: RegExp, ok: (n: number) => boolean, timeoutMs = 10_000): Promise<number> {
    const until = Date.now() + timeoutMs;
    let seen = NaN;
    while (Date.now() < until) {
      const m = this.screen().match(pattern);
      seen = m ? Number(m[1].replaceAll(',', '')) : NaN;
      if (ok(seen)) return seen;
      await sleep(200);
    }
    throw new Error(`timed out waiting for ${pattern} to pass; last value ${seen}; screen:\n${this.screen()}`);
  }

  appPid(): number {
    const shell = this.display('#{pane_pid}');
    return Number(execFileSync('pgrep', ['-P', shell], { encoding: 'utf8' }).trim().split('\n')[0]);
  }

  kill(): void {
    spawnSync('tmux', ['kill-session', '-t', this.name]);
  }
}
