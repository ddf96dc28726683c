// What container control needs from a container engine, whatever carries it (the Engine API over a socket, or the
// docker/podman command), and the mapping of the engine's JSON to the few fields we use: raw inspect payloads
// include the container's environment (secrets), so they are reduced here and never kept or logged.

export type ContainerStatus = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead' | 'unknown';
export type ContainerHealth = 'starting' | 'healthy' | 'unhealthy' | 'none';
export type ContainerAction = 'stop' | 'kill' | 'pause' | 'unpause' | 'start';

export interface ContainerInfo {
  /** Full 64-hex ID: the only handle used for actions. */
  id: string;
  name: string;
  labels: Record<string, string>;
  status: ContainerStatus;
  health: ContainerHealth;
  /** Exit code of a stopped container (137 = SIGKILL), null when unknown or running. */
  exitCode: number | null;
}

export type ActionOutcome = 'done' | 'already';

export interface ContainerRuntime {
  /** E.g. "Docker Engine API 1.47 at /var/run/docker.sock". */
  describe(): string;
  /** Containers (running or not) carrying every `key=value` label in `labelFilters`. */
  list(labelFilters: string[]): Promise<ContainerInfo[]>;
  /** Current state and labels, or null when the container no longer exists. */
  inspect(id: string): Promise<ContainerInfo | null>;
  /** 'already' when the engine says the container was already in that state. */
  act(id: string, action: ContainerAction, opts: { stopTimeoutSec: number; what: string }): Promise<ActionOutcome>;
}

export const CONTAINER_ID = /^[0-9a-f]{64}$/;

const STATUSES: readonly ContainerStatus[] = ['created', 'running', 'paused', 'restarting', 'removing', 'exited', 'dead'];

function status(value: unknown): ContainerStatus {
  const s = String(value ?? '').toLowerCase();
  // Podman says "stopped" and "configured" where Docker says "exited" and "created".
  if (s === 'stopped') return 'exited';
  if (s === 'configured' || s === 'initialized') return 'created';
  return (STATUSES as readonly string[]).includes(s) ? (s as ContainerStatus) : 'unknown';
}

function health(value: unknown): ContainerHealth {
  const s = String(value ?? '').toLowerCase();
  return s === 'starting' || s === 'healthy' || s === 'unhealthy' ? s : 'none';
}

function labels(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) if (typeof v === 'string') out[k] = v;
  }
  return out;
}

const trimName = (n: unknown): string => String(n ?? '').replace(/^\//, '');

type Json = Record<string, any>;

/** One entry of `GET /containers/json`: state in `State`, health and exit code only inside the `Status` text. */
export function fromSummary(json: Json): ContainerInfo {
  const text = String(json.Status ?? '');
  const exited = /^Exited \((-?\d+)\)/i.exec(text);
  const healthText = /\((healthy|unhealthy|health: starting)\)/i.exec(text)?.[1].toLowerCase();
  return {
    id: String(json.Id ?? ''),
    name: trimName(Array.isArray(json.Names) ? json.Names[0] : json.Names),
    labels: labels(json.Labels),
    status: status(json.State),
    health: healthText === 'health: starting' ? 'starting' : health(healthText),
    exitCode: exited ? Number(exited[1]) : null,
  };
}

/** `GET /containers/{id}/json`, or one element of `docker inspect` / `podman inspect` (same shape). */
export function fromInspect(json: Json): ContainerInfo {
  const state: Json = json.State ?? {};
  const st = status(state.Status);
  return {
    id: String(json.Id ?? ''),
    name: trimName(json.Name),
    labels: labels(json.Config?.Labels),
    status: st,
    health: health(state.Health?.Status ?? state.Healthcheck?.Status),
    exitCode: st === 'exited' || st === 'dead' ? Number(state.ExitCode ?? 0) : null,
  };
}
