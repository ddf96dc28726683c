// ContainerRuntime through the docker or podman command, for when no socket is reachable but the CLI is installed
// (ssh:// or TLS tcp:// DOCKER_HOST, contexts we could not resolve). execFile with argument arrays, never a shell;
// IDs are checked against the 64-hex pattern before they reach argv. `ps -q` + `inspect` gives the same JSON shape
// for Docker and Podman, whose `ps --format json` outputs differ.
import { execFile as nodeExecFile } from 'node:child_process';
import { ContainerControlError, containerErrors } from './errors.js';
import {
  CONTAINER_ID,
  fromInspect,
  type ActionOutcome,
  type ContainerAction,
  type ContainerInfo,
  type ContainerRuntime,
} from './runtime.js';

export interface ExecResult {
  stdout: string;
  stderr: string;
}

/** Runs `file` with `args` (no shell) and exactly `env`; rejects with an error carrying `code`, `killed`, `stdout`, `stderr`. */
export type ExecFile = (file: string, args: string[], opts: { timeoutMs: number; env: NodeJS.ProcessEnv }) => Promise<ExecResult>;

export const execFile: ExecFile = (file, args, opts) =>
  new Promise((resolve, reject) => {
    nodeExecFile(
      file,
      args,
      { timeout: opts.timeoutMs, maxBuffer: 8 * 1024 * 1024, windowsHide: true, encoding: 'utf8', env: opts.env },
      (err, stdout, stderr) => {
        if (err) reject(Object.assign(err, { stdout, stderr }));
        else resolve({ stdout, stderr });
      },
    );
  });

interface ExecError extends Error {
  code?: string | number;
  killed?: boolean;
  stderr?: string;
}

/**
 * What the docker/podman command may see of our environment: where its engine is and how to reach it (contexts,
 * certificates, ssh agent, podman's configuration), and nothing else. The app's own secrets (KPT_SASL_PASSWORD...)
 * and anything unrelated stay out of a child process that may log or forward its environment.
 */
const PASSED_ENV = /^(PATH|Path|HOME|USER|LOGNAME|LANG|LC_[A-Z]+|TZ|TMPDIR|TEMP|TMP|SystemRoot|XDG_RUNTIME_DIR|XDG_CONFIG_HOME|XDG_DATA_HOME|SSH_AUTH_SOCK|DOCKER_[A-Z_]+|CONTAINER_HOST|CONTAINER_SSHKEY|CONTAINER_CONNECTION|CONTAINERS_[A-Z_]+)$/;

export function cliEnvironment(env: NodeJS.ProcessEnv, host: string | undefined, binary: 'docker' | 'podman'): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && PASSED_ENV.test(k)) out[k] = v;
  if (host) out[binary === 'docker' ? 'DOCKER_HOST' : 'CONTAINER_HOST'] = host;
  return out;
}

/** The engine address as the command's own flag: docker -H HOST; podman --remote --url HOST. */
export function hostArgs(binary: 'docker' | 'podman', host: string | undefined): string[] {
  if (!host) return [];
  return binary === 'docker' ? ['-H', host] : ['--remote', '--url', host];
}

export interface CliRuntimeOptions {
  exec?: ExecFile;
  /** The engine (--docker-host or DOCKER_HOST), passed on as the command's flag and environment; default: its own. */
  host?: string;
  env?: NodeJS.ProcessEnv;
  /** Per command, except `stop`, which adds its grace period. Default 15 s (a process spawn is slower than a socket). */
  timeoutMs?: number;
}

export class CliRuntime implements ContainerRuntime {
  private readonly exec: ExecFile;
  private readonly timeoutMs: number;
  private readonly host: string | undefined;
  private readonly env: NodeJS.ProcessEnv;

  constructor(
    readonly binary: 'docker' | 'podman',
    opts: CliRuntimeOptions = {},
  ) {
    this.exec = opts.exec ?? execFile;
    this.timeoutMs = opts.timeoutMs ?? 15_000;
    this.host = opts.host;
    this.env = cliEnvironment(opts.env ?? process.env, opts.host, binary);
  }

  describe(): string {
    return this.host ? `the ${this.binary} command (engine ${this.host})` : `the ${this.binary} command`;
  }

  async list(labelFilters: string[]): Promise<ContainerInfo[]> {
    const filterArgs = labelFilters.flatMap((f) => ['--filter', `label=${f}`]);
    const ps = await this.run(['ps', '-a', '-q', '--no-trunc', ...filterArgs], 'listing containers');
    const ids = [...new Set(ps.stdout.split(/\s+/).filter((id) => CONTAINER_ID.test(id)))];
    if (ids.length === 0) return [];
    const out = await this.run(['inspect', '--type', 'container', ...ids], 'inspecting containers');
    return parseInspectArray(out.stdout, 'inspecting containers');
  }

  async inspect(id: string): Promise<ContainerInfo | null> {
    if (!CONTAINER_ID.test(id)) return null;
    try {
      const out = await this.run(['inspect', '--type', 'container', id], `inspecting container ${id.slice(0, 12)}`);
      return parseInspectArray(out.stdout, 'inspecting a container')[0] ?? null;
    } catch (e) {
      if (e instanceof ContainerControlError && e.code === 'engine' && /no such (container|object)/i.test(e.problem)) return null;
      throw e;
    }
  }

  async act(id: string, action: ContainerAction, opts: { stopTimeoutSec: number; what: string }): Promise<ActionOutcome> {
    if (!CONTAINER_ID.test(id)) throw containerErrors.blocked(this.binary, `${action} ${id}`);
    const args =
      action === 'stop'
        ? ['stop', '-t', String(opts.stopTimeoutSec), id]
        : action === 'kill'
          ? ['kill', '-s', 'SIGKILL', id]
          : [action, id];
    const timeoutMs = this.timeoutMs + (action === 'stop' ? opts.stopTimeoutSec * 1000 : 0);
    await this.run(args, opts.what, timeoutMs);
    return 'done';
  }

  private async run(args: string[], what: string, timeoutMs = this.timeoutMs): Promise<ExecResult> {
    try {
      return await this.exec(this.binary, [...hostArgs(this.binary, this.host), ...args], { timeoutMs, env: this.env });
    } catch (raw) {
      throw this.mapError(raw as ExecError, args, what, timeoutMs);
    }
  }

  private mapError(e: ExecError, args: string[], what: string, timeoutMs: number): ContainerControlError {
    const stderr = (e.stderr ?? '').trim();
    if (e.code === 'ENOENT') return containerErrors.notInstalled();
    if (e.killed) return containerErrors.timeout(`\`${this.binary} ${args[0]}\` (${what})`, timeoutMs);
    if (/permission denied/i.test(stderr)) return containerErrors.permissionDenied({ cli: this.binary });
    if (/cannot connect to the docker daemon|is the docker daemon running|unable to connect to podman|connection refused/i.test(stderr)) {
      return containerErrors.unreachable({ cli: this.binary }, stderr.split('\n')[0]);
    }
    return containerErrors.engine(`\`${this.binary} ${args[0]}\` (${what})`, typeof e.code === 'number' ? e.code : 1, stderr.split('\n')[0] || e.message);
  }
}

function parseInspectArray(stdout: string, what: string): ContainerInfo[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch {
    throw containerErrors.engine(what, 0, 'the command printed something that is not JSON');
  }
  if (!Array.isArray(parsed)) throw containerErrors.engine(what, 0, 'the command printed something that is not a JSON array');
  return parsed.map((c) => fromInspect(c as Record<string, unknown>)).filter((c) => CONTAINER_ID.test(c.id));
}
