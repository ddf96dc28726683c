// A small Docker Engine API client over a local socket (a unix socket, or a named pipe on Windows). Node's built-in
// http with `socketPath` is all it takes: no dependency (dockerode would pull in grpc, protobufjs, ssh2, tar-fs for
// eight endpoints). Two safety rules live here: an allowlist of (method, path), checked before anything is sent, so
// no bug can create, exec, pull or delete; and API version negotiation, because Docker 29 refuses API versions
// below 1.44 while Podman speaks 1.40/1.41.
import http from 'node:http';
import { ContainerControlError, containerErrors } from './errors.js';

/** Newest API version whose semantics we rely on; a newer engine is asked to speak this one. */
export const CLIENT_MAX_API = '1.52';
/** Every endpoint we call exists with the same meaning since 1.24. */
export const CLIENT_MIN_API = '1.24';

const V = String.raw`\/v1\.\d{1,3}`;
const ID = '[0-9a-f]{64}';
const ALLOWED: readonly [string, RegExp][] = [
  ['GET', /^\/_ping$/],
  ['GET', /^\/version$/],
  ['GET', new RegExp(`^${V}\\/containers\\/json$`)],
  ['GET', new RegExp(`^${V}\\/containers\\/${ID}\\/json$`)],
  ['POST', new RegExp(`^${V}\\/containers\\/${ID}\\/(stop|kill|start|pause|unpause)$`)],
];

export function isAllowed(method: string, path: string): boolean {
  return ALLOWED.some(([m, re]) => m === method && re.test(path));
}

/** Compares "1.41" with "1.44" numerically (1.9 < 1.10). */
export function compareApiVersions(a: string, b: string): number {
  const [a1, a2] = a.split('.').map(Number);
  const [b1, b2] = b.split('.').map(Number);
  return a1 - b1 || a2 - b2;
}

const VERSION_TEXT = /^1\.\d{1,3}$/;
/** Caps answer bodies: a list of a few containers is a few kilobytes. */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

export interface EngineResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface EngineApiOptions {
  /** Per-call timeout for everything but `stop`, which adds its grace period. Default 10 s. */
  timeoutMs?: number;
}

/** Maps a socket error to the message that names the fix. */
export function socketError(e: NodeJS.ErrnoException, where: string): ContainerControlError {
  switch (e.code) {
    case 'EACCES':
    case 'EPERM':
      return containerErrors.permissionDenied(where, e.code);
    case 'ENOENT':
      return containerErrors.unreachable(where, 'no socket there', e.code);
    case 'ECONNREFUSED':
      return containerErrors.unreachable(where, 'nothing answers on it: the engine is not running', e.code);
    case 'ENOTSOCK':
      return containerErrors.unreachable(where, 'that path is not a socket', e.code);
    default:
      return containerErrors.unreachable(where, e.message, e.code);
  }
}

export class EngineApiClient {
  private version: string | null = null;
  private engineName: 'Docker' | 'Podman' = 'Docker';
  readonly timeoutMs: number;

  constructor(
    readonly socketPath: string,
    opts: EngineApiOptions = {},
  ) {
    this.timeoutMs = opts.timeoutMs ?? 10_000;
  }

  /** The negotiated version ("1.47"), null before `negotiate()`. */
  get apiVersion(): string | null {
    return this.version;
  }

  get engine(): 'Docker' | 'Podman' {
    return this.engineName;
  }

  /** Resolves when the engine answers `GET /_ping` with 200; throws the mapped error otherwise. */
  async ping(timeoutMs = this.timeoutMs): Promise<EngineResponse> {
    const res = await this.request('GET', '/_ping', {}, timeoutMs, `the container engine at ${this.socketPath}`);
    if (res.status !== 200) throw containerErrors.unreachable(this.socketPath, `/_ping answered HTTP ${res.status}`);
    return res;
  }

  /**
   * Pings, reads the server's range from `GET /version` (falling back to the ping's Api-Version header), and picks
   * min(server max, CLIENT_MAX_API); refuses when that is below the server's minimum or our own.
   */
  async negotiate(): Promise<string> {
    const ping = await this.ping();
    const header = ping.headers['api-version'];
    let serverMax = typeof header === 'string' ? header : undefined;
    let serverMin: string | undefined;
    const res = await this.request('GET', '/version', {}, this.timeoutMs, `the container engine at ${this.socketPath}`);
    if (res.status === 200) {
      const v = parseJson(res.body) as { ApiVersion?: string; MinAPIVersion?: string; Components?: { Name?: string }[] } | null;
      if (v?.ApiVersion) serverMax = v.ApiVersion;
      if (v?.MinAPIVersion) serverMin = v.MinAPIVersion;
      if (v?.Components?.some((c) => /podman/i.test(c.Name ?? ''))) this.engineName = 'Podman';
    }
    if (!serverMax || !VERSION_TEXT.test(serverMax)) {
      throw containerErrors.apiVersion(this.socketPath, 'it did not say which API version it speaks');
    }
    const chosen = compareApiVersions(serverMax, CLIENT_MAX_API) < 0 ? serverMax : CLIENT_MAX_API;
    if (compareApiVersions(chosen, CLIENT_MIN_API) < 0) {
      throw containerErrors.apiVersion(this.socketPath, `it speaks up to ${serverMax}, this app needs ${CLIENT_MIN_API} or newer`);
    }
    if (serverMin && VERSION_TEXT.test(serverMin) && compareApiVersions(chosen, serverMin) < 0) {
      throw containerErrors.apiVersion(this.socketPath, `it requires ${serverMin} or newer, this app speaks up to ${CLIENT_MAX_API}`);
    }
    this.version = chosen;
    return chosen;
  }

  /** GET or POST on a versioned path such as `/containers/json`; needs `negotiate()` first. */
  call(
    method: 'GET' | 'POST',
    path: string,
    query: Record<string, string>,
    opts: { timeoutMs?: number; what: string },
  ): Promise<EngineResponse> {
    if (!this.version) throw new Error('EngineApiClient.call before negotiate()');
    return this.request(method, `/v${this.version}${path}`, query, opts.timeoutMs ?? this.timeoutMs, opts.what);
  }

  private request(
    method: string,
    path: string,
    query: Record<string, string>,
    timeoutMs: number,
    what: string,
  ): Promise<EngineResponse> {
    if (!isAllowed(method, path)) return Promise.reject(containerErrors.blocked(method, path));
    const qs = new URLSearchParams(query).toString();
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          socketPath: this.socketPath,
          method,
          path: qs ? `${path}?${qs}` : path,
          headers: { Host: 'docker', Accept: 'application/json' },
          // One connection per call: nothing lingers to keep the process alive, and a hung call cannot block others.
          agent: false,
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            size += c.length;
            if (size > MAX_BODY_BYTES) req.destroy(new Error(`answer to ${method} ${path} is larger than ${MAX_BODY_BYTES} bytes`));
            else chunks.push(c);
          });
          res.on('end', () => {
            clearTimeout(timer);
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
          });
          res.on('error', (e) => {
            clearTimeout(timer);
            reject(socketError(e, this.socketPath));
          });
        },
      );
      const timer = setTimeout(() => {
        reject(containerErrors.timeout(what, timeoutMs));
        req.destroy();
      }, timeoutMs);
      req.on('error', (e: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(socketError(e, this.socketPath));
      });
      req.end();
    });
  }
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** Docker and Podman answer errors as `{"message": "..."}`. */
export function errorMessage(res: EngineResponse): string {
  const m = (parseJson(res.body) as { message?: unknown } | null)?.message;
  return typeof m === 'string' ? m : res.body.trim().slice(0, 200);
}
