// A fake Docker Engine API on a temporary unix socket, so the real control code (http over socketPath, version
// negotiation, label filters, status codes) runs in tests without Docker. It follows Docker's semantics for the
// endpoints we use: 204 done, 304 start-when-running / stop-when-stopped, 409 kill/pause/unpause in the wrong
// state, 404 unknown container, versioned paths outside [MinAPIVersion, ApiVersion] refused with Docker's text.
// Anything else answers 404 and is recorded, so tests can assert what was (not) sent.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';

export type FakeState = 'created' | 'running' | 'paused' | 'exited';

export interface FakeContainer {
  id: string;
  name: string;
  labels: Record<string, string>;
  state: FakeState;
  exitCode: number;
  health: 'healthy' | 'starting' | 'unhealthy' | 'none';
  /** Actions on it get no answer at all (a stuck container or daemon). */
  hang: boolean;
  env: string[];
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
}

export interface FakeDockerOptions {
  apiVersion?: string;
  minApiVersion?: string;
  engine?: 'docker' | 'podman';
}

const cmp = (a: string, b: string) => {
  const [a1, a2] = a.split('.').map(Number);
  const [b1, b2] = b.split('.').map(Number);
  return a1 - b1 || a2 - b2;
};

export const PROJECT = 'kafka-producer-tui';
const P = 'io.github.kafka-producer-tui.';

export function nodeLabels(role: 'broker' | 'controller', nodeId: number, project = PROJECT): Record<string, string> {
  const labels: Record<string, string> = {
    'com.docker.compose.project': project,
    'com.docker.compose.service': role === 'broker' ? `kafka-${nodeId}` : `controller-${nodeId - 100}`,
    [`${P}managed`]: 'true',
    [`${P}role`]: role,
    [`${P}node-id`]: String(nodeId),
  };
  if (role === 'broker') labels[`${P}external`] = `127.0.0.1:${9091 + nodeId}`;
  return labels;
}

export class FakeDocker {
  readonly containers = new Map<string, FakeContainer>();
  readonly requests: RecordedRequest[] = [];
  /** Runs after a container list was answered: lets a test change things between listing and acting. */
  afterList?: () => void;
  /** Answer every container regardless of label filters, as Podman did before it ANDed them. */
  ignoreLabelFilters = false;
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: http.Server,
    readonly dir: string,
    readonly socketPath: string,
    readonly opts: Required<FakeDockerOptions>,
  ) {}

  static async start(opts: FakeDockerOptions = {}): Promise<FakeDocker> {
    // Short path: unix socket paths are limited to about 100 bytes.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kpt-'));
    chmodSync(dir, 0o755);
    const socketPath = path.join(dir, 'd.sock');
    const full = { apiVersion: '1.47', minApiVersion: '1.24', engine: 'docker' as const, ...opts };
    let fake!: FakeDocker;
    const server = http.createServer((req, res) => fake.handle(req, res));
    fake = new FakeDocker(server, dir, socketPath, full);
    server.on('connection', (s) => {
      fake.sockets.add(s);
      s.on('close', () => fake.sockets.delete(s));
    });
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    return fake;
  }

  add(c: Partial<FakeContainer> & { name: string; labels: Record<string, string> }): FakeContainer {
    const container: FakeContainer = {
      id: randomBytes(32).toString('hex'),
      state: 'running',
      exitCode: 0,
      health: 'healthy',
      hang: false,
      env: ['KAFKA_SASL_PASSWORD=do-not-leak'],
      ...c,
    };
    this.containers.set(container.id, container);
    return container;
  }

  /** The compose file's six nodes: brokers 1-3 and controllers 101-103, all running and healthy. */
  addCluster(project = PROJECT): { brokers: FakeContainer[]; controllers: FakeContainer[] } {
    const brokers = [1, 2, 3].map((n) => this.add({ name: `${project}-kafka-${n}-1`, labels: nodeLabels('broker', n, project) }));
    const controllers = [101, 102, 103].map((n) =>
      this.add({ name: `${project}-controller-${n - 100}-1`, labels: nodeLabels('controller', n, project) }),
    );
    return { brokers, controllers };
  }

  /** Requests for container actions (POST), as "action name" pairs, in order. */
  actions(): string[] {
    return this.requests
      .filter((r) => r.method === 'POST')
      .map((r) => {
        const [, , id, action] = r.path.replace(/^\/v[\d.]+/, '').split('/');
        return `${action} ${this.containers.get(id)?.name ?? id}`;
      });
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    rmSync(this.dir, { recursive: true, force: true });
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://docker');
    const method = req.method ?? 'GET';
    this.requests.push({ method, path: url.pathname, query: url.searchParams });
    const send = (status: number, body?: unknown, headers: Record<string, string> = {}) => {
      const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
      res.writeHead(status, { 'Content-Type': typeof body === 'string' ? 'text/plain' : 'application/json', ...headers });
      res.end(text);
    };
    const fail = (status: number, message: string) => send(status, { message });

    let route = url.pathname;
    const versioned = /^\/v(\d+\.\d+)(\/.*)$/.exec(route);
    if (versioned) {
      const [, v, rest] = versioned;
      // Podman "does not reject requests with an unsupported version" (podman-system-service(1)).
      if (this.opts.engine === 'docker' && cmp(v, this.opts.minApiVersion) < 0) {
        return fail(400, `client version ${v} is too old. Minimum supported API version is ${this.opts.minApiVersion}, please upgrade your client to a newer version`);
      }
      if (this.opts.engine === 'docker' && cmp(v, this.opts.apiVersion) > 0) {
        return fail(400, `client version ${v} is too new. Maximum supported API version is ${this.opts.apiVersion}`);
      }
      route = rest;
    }

    if (method === 'GET' && route === '/_ping') return send(200, 'OK', { 'Api-Version': this.opts.apiVersion });
    if (method === 'GET' && route === '/version') {
      return send(200, {
        Version: this.opts.engine === 'podman' ? '5.2.0' : '27.3.1',
        ApiVersion: this.opts.apiVersion,
        MinAPIVersion: this.opts.minApiVersion,
        Components: [{ Name: this.opts.engine === 'podman' ? 'Podman Engine' : 'Engine' }],
      });
    }
    if (method === 'GET' && route === '/containers/json') return this.list(url.searchParams, send);

    const m = /^\/containers\/([^/]+)\/(json|stop|kill|pause|unpause|start)$/.exec(route);
    if (!m) return fail(404, 'page not found');
    const c = this.containers.get(m[1]) ?? [...this.containers.values()].find((x) => x.name === m[1]);
    if (!c) return fail(404, `No such container: ${m[1]}`);
    if (m[2] === 'json' && method === 'GET') return send(200, this.inspect(c));
    if (method !== 'POST') return fail(404, 'page not found');
    if (c.hang) return; // never answered
    this.transition(c, m[2], url.searchParams, send, fail);
  }

  private list(q: URLSearchParams, send: (status: number, body?: unknown) => void): void {
    const all = q.get('all') === '1' || q.get('all') === 'true';
    const filters = JSON.parse(q.get('filters') ?? '{}') as { label?: string[] };
    const wanted = this.ignoreLabelFilters ? [] : (filters.label ?? []);
    const out = [...this.containers.values()]
      .filter((c) => all || c.state === 'running' || c.state === 'paused')
      .filter((c) =>
        wanted.every((f) => {
          const eq = f.indexOf('=');
          return eq < 0 ? f in c.labels : c.labels[f.slice(0, eq)] === f.slice(eq + 1);
        }),
      )
      .map((c) => ({ Id: c.id, Names: [`/${c.name}`], Image: 'apache/kafka:4.3.1', Labels: { ...c.labels }, State: c.state, Status: statusText(c) }));
    send(200, out);
    this.afterList?.();
  }

  private inspect(c: FakeContainer): unknown {
    return {
      Id: c.id,
      Name: `/${c.name}`,
      Config: { Labels: { ...c.labels }, Env: c.env },
      State: {
        Status: c.state,
        Running: c.state === 'running' || c.state === 'paused',
        Paused: c.state === 'paused',
        ExitCode: c.state === 'exited' ? c.exitCode : 0,
        ...(c.health === 'none' ? {} : { Health: { Status: c.health } }),
      },
    };
  }

  private transition(
    c: FakeContainer,
    action: string,
    q: URLSearchParams,
    send: (status: number, body?: unknown) => void,
    fail: (status: number, message: string) => void,
  ): void {
    const live = c.state === 'running' || c.state === 'paused';
    switch (action) {
      case 'stop':
        if (!live) return send(304);
        c.state = 'exited';
        c.exitCode = 143; // the JVM exits on SIGTERM after its controlled shutdown
        return send(204);
      case 'kill':
        if (!live) return fail(409, `Cannot kill container: ${c.id}: Container ${c.id} is not running`);
        c.state = 'exited';
        c.exitCode = q.get('signal') === 'SIGKILL' || !q.get('signal') ? 137 : 143;
        return send(204);
      case 'pause':
        if (c.state === 'paused') return fail(409, `Container ${c.id} is already paused`);
        if (c.state !== 'running') return fail(409, `Container ${c.id} is not running`);
        c.state = 'paused';
        return send(204);
      case 'unpause':
        if (c.state !== 'paused') return fail(409, `Container ${c.id} is not paused`);
        c.state = 'running';
        return send(204);
      case 'start':
        if (c.state === 'running') return send(304);
        if (c.state === 'paused') return fail(409, 'cannot start a paused container, try unpause instead');
        c.state = 'running';
        c.exitCode = 0;
        return send(204);
    }
  }
}

function statusText(c: FakeContainer): string {
  if (c.state === 'exited') return `Exited (${c.exitCode}) 3 seconds ago`;
  if (c.state === 'created') return 'Created';
  if (c.state === 'paused') return 'Up 2 minutes (Paused)';
  const h = c.health === 'none' ? '' : c.health === 'starting' ? ' (health: starting)' : ` (${c.health})`;
  return `Up 2 minutes${h}`;
}
