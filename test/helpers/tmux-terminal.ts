// The built binary (dist/cli.js) in tmux, driven one key at a time and read back with capture-pane: the harness of
// the TUI's end-to-end tests, for tests that also run servers (a sandbox, a fake Docker) in the test process.
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { CLI } from './child.js';
import { waitUntil } from './cluster-events.js';

export { CLI };
export const hasTmux = spawnSync('tmux', ['-V']).status === 0;

// The tests' own tmux server (-L): a `tmux kill-server` by someone at this machine, or their sessions, never touch
// the tests' panes, and the tests never touch theirs.
const SERVER = ['-L', 'kptui-e2e'];

/** Runs a tmux command on the tests' own server and returns what it printed. */
export function tmux(...args: string[]): string {
  return execFileSync('tmux', [...SERVER, ...args], { encoding: 'utf8' });
}

/** The same, for commands whose failure does not matter (a session already gone). */
function tmuxQuiet(...args: string[]): void {
  spawnSync('tmux', [...SERVER, ...args]);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class Terminal {
  constructor(readonly name: string) {}

  static start(label: string, columns: number, rows: number, args: string[], env: Record<string, string> = {}): Terminal {
    // One session per test process: test runs in other checkouts on the same tmux server never share a pane.
    const name = `${label}-${process.pid}`;
    tmuxQuiet('kill-session', '-t', name);
    const vars = Object.entries(env).map(([k, v]) => `${k}=${v} `).join('');
    // A shell around the app: after it exits, the shell prints the exit code, as a prompt would come back.
    const cmd = `env -u CI ${vars}'${process.execPath}' '${CLI}' ${args.join(' ')}; echo "exited with $?"; sleep 600`;
    tmux('new-session', '-d', '-s', name, '-x', String(columns), '-y', String(rows), 'sh', '-c', cmd);
    return new Terminal(name);
  }

  screen(): string {
    return tmux('capture-pane', '-p', '-t', this.name);
  }

  display(format: string): string {
    return tmux('display', '-p', '-t', this.name, format).trim();
  }

  /** One key per send-keys call, with a pause, as typed (tmux would send several keys as one chunk). */
  async keys(...keys: string[]): Promise<void> {
    for (const k of keys) {
      tmux('send-keys', '-t', this.name, ...(k.length === 1 ? ['-l', k] : [k]));
      await sleep(80);
    }
  }

  async type(text: string): Promise<void> {
    await this.keys(...text);
  }

  // The screen waiters poll through the tests' one poller, every 100 ms (each look runs tmux), and their failure
  // message shows the screen as it was then.
  async waitFor(pattern: RegExp, timeoutMs = 10_000): Promise<RegExpMatchArray> {
    let last = '';
    let m: RegExpMatchArray | null = null;
    await waitUntil(
      () => (m = (last = this.screen()).match(pattern)) !== null,
      () => `${pattern} on screen:\n${last}`,
      timeoutMs,
      100,
    );
    return m!;
  }

  async waitUntil(ok: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    await waitUntil(ok, () => `${what}; screen:\n${this.screen()}`, timeoutMs, 100);
  }

  /** Waits until a number read with `pattern` satisfies `ok`. */
  async waitForNumber(pattern: RegExp, ok: (n: number) => boolean, timeoutMs = 10_000): Promise<number> {
    let seen = NaN;
    await waitUntil(
      () => {
        const m = this.screen().match(pattern);
        seen = m ? Number(m[1].replaceAll(',', '')) : NaN;
        return ok(seen);
      },
      () => `${pattern} to pass; last value ${seen}; screen:\n${this.screen()}`,
      timeoutMs,
      200,
    );
    return seen;
  }

  appPid(): number {
    const shell = this.display('#{pane_pid}');
    return Number(execFileSync('pgrep', ['-P', shell], { encoding: 'utf8' }).trim().split('\n')[0]);
  }

  kill(): void {
    tmuxQuiet('kill-session', '-t', this.name);
  }
}
