// ContainerRuntime over the Engine API: list by label filters, inspect, and the five actions, with Docker's status
// codes mapped (204 done, 304 already in that state, 404 gone, 409 wrong state).
import { EngineApiClient, errorMessage, parseJson, type EngineApiOptions } from './engine-api.js';
import { containerErrors } from './errors.js';
import {
  CONTAINER_ID,
  fromInspect,
  fromSummary,
  type ActionOutcome,
  type ContainerAction,
  type ContainerInfo,
  type ContainerRuntime,
} from './runtime.js';

export class EngineRuntime implements ContainerRuntime {
  constructor(readonly client: EngineApiClient) {}

  /** Connects to the engine at `socketPath` and negotiates the API version. */
  static async open(socketPath: string, opts: EngineApiOptions = {}): Promise<EngineRuntime> {
    const client = new EngineApiClient(socketPath, opts);
    await client.negotiate();
    return new EngineRuntime(client);
  }

  describe(): string {
    return `${this.client.engine} Engine API ${this.client.apiVersion} at ${this.client.socketPath}`;
  }

  async list(labelFilters: string[]): Promise<ContainerInfo[]> {
    const what = 'listing containers';
    const res = await this.client.call('GET', '/containers/json', { all: '1', filters: JSON.stringify({ label: labelFilters }) }, { what });
    if (res.status !== 200) throw containerErrors.engine(what, res.status, errorMessage(res));
    const body = parseJson(res.body);
    if (!Array.isArray(body)) throw containerErrors.engine(what, res.status, 'the engine sent something that is not a container list');
    return body.map(fromSummary).filter((c) => CONTAINER_ID.test(c.id));
  }

  async inspect(id: string): Promise<ContainerInfo | null> {
    if (!CONTAINER_ID.test(id)) return null;
    const what = `inspecting container ${id.slice(0, 12)}`;
    const res = await this.client.call('GET', `/containers/${id}/json`, {}, { what });
    if (res.status === 404) return null;
    if (res.status !== 200) throw containerErrors.engine(what, res.status, errorMessage(res));
    const body = parseJson(res.body);
    if (!body || typeof body !== 'object') throw containerErrors.engine(what, res.status, 'unreadable answer');
    return fromInspect(body as Record<string, unknown>);
  }

  async act(id: string, action: ContainerAction, opts: { stopTimeoutSec: number; what: string }): Promise<ActionOutcome> {
    if (!CONTAINER_ID.test(id)) throw containerErrors.blocked('POST', `/containers/${id}/${action}`);
    const query: Record<string, string> =
      action === 'stop' ? { t: String(opts.stopTimeoutSec) } : action === 'kill' ? { signal: 'SIGKILL' } : {};
    // `stop` blocks for up to its grace period before answering: the call's timeout must outlast it.
    const timeoutMs = this.client.timeoutMs + (action === 'stop' ? opts.stopTimeoutSec * 1000 : 0);
    const res = await this.client.call('POST', `/containers/${id}/${action}`, query, { timeoutMs, what: opts.what });
    if (res.status === 204 || res.status === 200) return 'done';
    if (res.status === 304) return 'already';
    throw containerErrors.engine(`${action} of ${opts.what}`, res.status, errorMessage(res));
  }
}
