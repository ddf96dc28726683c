// Where the container engine is. Order: an explicit host, DOCKER_HOST, the active
// docker context (Docker Desktop, Colima, OrbStack... put their socket there), the well-known sockets of Docker,
// rootless Docker and Podman, then the docker/podman command. Each socket is probed with GET /_ping, so the first
// one that answers wins and a stale one is skipped.
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { access, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { EngineApiClient } from './engine-api.js';
import { ContainerControlError, containerErrors } from './errors.js';

export type DockerEndpoint =
  | { kind: 'socket'; socketPath: string; source: string }
  | { kind: 'cli'; binary: 'docker' | 'podman'; source: string; warning?: string; /** The engine the command must use (tcp://, ssh://). */ host?: string };

export interface DiscoveryOptions {
  /** An explicit endpoint (e.g. from a --docker-host flag), same syntax as DOCKER_HOST. */
  dockerHost?: string;
  /** Accept a tcp:// endpoint without TLS. */
  allowInsecureTcp?: boolean;
  env?: NodeJS.ProcessEnv;
  homeDir?: string;
  platform?: NodeJS.Platform;
  /** Sockets to probe when nothing names one; default `wellKnownSockets()`. */
  sockets?: string[];
  probeTimeoutMs?: number;
}

interface Context {
  env: NodeJS.ProcessEnv;
  home: string;
  platform: NodeJS.Platform;
  allowInsecureTcp: boolean;
  probeTimeoutMs: number;
}

export function wellKnownSockets(env: NodeJS.ProcessEnv = process.env, home = os.homedir(), platform = process.platform): string[] {
  if (platform === 'win32') return ['\\\\.\\pipe\\docker_engine', '\\\\.\\pipe\\podman-machine-default'];
  const runtimeDir = env.XDG_RUNTIME_DIR || (typeof process.getuid === 'function' ? `/run/user/${process.getuid()}` : '');
  return [
    '/var/run/docker.sock',
    path.join(home, '.docker/run/docker.sock'), // Docker Desktop
    path.join(home, '.docker/desktop/docker.sock'),
    ...(runtimeDir ? [path.join(runtimeDir, 'docker.sock'), path.join(runtimeDir, 'podman/podman.sock')] : []), // rootless
    '/run/podman/podman.sock',
    path.join(home, '.colima/default/docker.sock'),
    path.join(home, '.orbstack/run/docker.sock'),
    path.join(home, '.rd/docker.sock'), // Rancher Desktop
  ];
}

/** The first of docker, podman found on PATH, or null. */
export async function findCli(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): Promise<'docker' | 'podman' | null> {
  const dirs = (env.PATH ?? env.Path ?? '').split(path.delimiter).filter(Boolean);
  const exts = platform === 'win32' ? ['.exe', '.cmd', ''] : [''];
  for (const binary of ['docker', 'podman'] as const) {
    for (const dir of dirs) {
      for (const ext of exts) {
        try {
          await access(path.join(dir, binary + ext), platform === 'win32' ? constants.F_OK : constants.X_OK);
          return binary;
        } catch {
          // not in this directory
        }
      }
    }
  }
  return null;
}

async function probe(socketPath: string, ctx: Context): Promise<void> {
  await new EngineApiClient(socketPath, { timeoutMs: ctx.probeTimeoutMs }).ping();
}

const tlsOn = (env: NodeJS.ProcessEnv) => Boolean(env.DOCKER_TLS_VERIFY) && env.DOCKER_TLS_VERIFY !== '0';
const isLoopback = (host: string) => /^(tcp|https|ssh):\/\/([^@/]*@)?(127\.0\.0\.1|localhost|\[::1\])(:|\/|$)/i.test(host);

/** An endpoint named by DOCKER_HOST, --docker-host or a context: used as told, or a clear error, never skipped. */
async function fromHost(host: string, source: string, ctx: Context): Promise<DockerEndpoint> {
  if (host.startsWith('unix://') || host.startsWith('npipe://')) {
    const socketPath = host.startsWith('unix://')
      ? host.slice('unix://'.length)
      : host.slice('npipe://'.length).replace(/\//g, '\\');
    await probe(socketPath, ctx);
    return { kind: 'socket', socketPath, source };
  }
  const scheme = /^([a-z]+):\/\//i.exec(host)?.[1]?.toLowerCase();
  if (scheme === 'tcp' || scheme === 'https' || scheme === 'ssh') {
    if (scheme === 'tcp' && !tlsOn(ctx.env) && !ctx.allowInsecureTcp) throw containerErrors.insecureHost(host);
    // TLS client certificates and ssh tunnels are the CLI's job: it already reads DOCKER_CERT_PATH and ~/.ssh.
    const binary = await findCli(ctx.env, ctx.platform);
    if (!binary) throw containerErrors.unsupportedHost(host, `${scheme}:// endpoints are reached through the docker command, which is not installed`);
    const warning = isLoopback(host)
      ? undefined
      : `the engine at ${host} is on another machine: its containers' published ports are not this machine's 127.0.0.1`;
    return { kind: 'cli', binary, source, warning, host };
  }
  throw containerErrors.unsupportedHost(host, 'unknown scheme');
}

/** The active context's engine address: DOCKER_CONTEXT or config.json's currentContext, read from its meta.json. */
async function activeContext(ctx: Context): Promise<{ name: string; host: string | null } | null> {
  const configDir = ctx.env.DOCKER_CONFIG || path.join(ctx.home, '.docker');
  let name = ctx.env.DOCKER_CONTEXT;
  if (!name) {
    try {
      name = (JSON.parse(await readFile(path.join(configDir, 'config.json'), 'utf8')) as { currentContext?: string }).currentContext;
    } catch {
      return null;
    }
  }
  if (!name || name === 'default') return null;
  // The docker CLI stores each context under the sha256 of its name.
  const id = createHash('sha256').update(name).digest('hex');
  try {
    const meta = JSON.parse(await readFile(path.join(configDir, 'contexts', 'meta', id, 'meta.json'), 'utf8')) as {
      Endpoints?: { docker?: { Host?: string } };
    };
    return { name, host: meta.Endpoints?.docker?.Host ?? null };
  } catch {
    return { name, host: null };
  }
}

export async function discoverDockerEndpoint(opts: DiscoveryOptions = {}): Promise<DockerEndpoint> {
  const ctx: Context = {
    env: opts.env ?? process.env,
    home: opts.homeDir ?? os.homedir(),
    platform: opts.platform ?? process.platform,
    allowInsecureTcp: opts.allowInsecureTcp ?? false,
    probeTimeoutMs: opts.probeTimeoutMs ?? 2000,
  };
  if (opts.dockerHost) return fromHost(opts.dockerHost, 'the --docker-host option', ctx);
  if (ctx.env.DOCKER_HOST) return fromHost(ctx.env.DOCKER_HOST, 'DOCKER_HOST', ctx);

  const context = await activeContext(ctx);
  if (context?.host) return fromHost(context.host, `docker context "${context.name}"`, ctx);

  let denied: ContainerControlError | null = null;
  let unreachable: ContainerControlError | null = null;
  for (const socketPath of opts.sockets ?? wellKnownSockets(ctx.env, ctx.home, ctx.platform)) {
    try {
      await probe(socketPath, ctx);
      return { kind: 'socket', socketPath, source: 'a well-known socket' };
    } catch (e) {
      if (!(e instanceof ContainerControlError)) throw e;
      if (e.code === 'permission-denied') denied ??= e;
      else if (e.errno !== 'ENOENT') unreachable ??= e;
    }
  }
  // Another user's socket that exists but is closed to us: the CLI would hit the same wall, so say it plainly.
  if (denied) throw denied;
  const binary = await findCli(ctx.env, ctx.platform);
  if (binary) {
    const source = context ? `the ${binary} command (docker context "${context.name}")` : `the ${binary} command`;
    return { kind: 'cli', binary, source };
  }
  throw unreachable ?? containerErrors.notInstalled();
}
