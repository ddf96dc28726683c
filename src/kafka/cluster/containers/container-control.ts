// ClusterControl for a real cluster's broker containers (docker-compose.yml): stop = `docker stop` (SIGTERM, the
// broker's controlled shutdown), crash = `docker kill` (SIGKILL), pause/resume = `docker pause/unpause` (cgroup
// freeze), start = `docker start`. Brokers are found by our labels and mapped to broker ids by the node-id label;
// before each action the target is inspected again by ID and its labels re-checked, so a container that was
// relabelled or replaced since the listing is refused rather than touched.
import type { BrokerAction, ClusterControl, ControlResult, ControlledBroker } from '../cluster-control.js';
import type { BrokerState } from '../../producer/engine-types.js';
import { ContainerControlError, containerErrors } from './errors.js';
import { DEFAULT_PROJECT, LABEL, anyProjectFilters, brokerFilters, brokerIdOf } from './labels.js';
import type { ContainerAction, ContainerInfo, ContainerRuntime } from './runtime.js';
import { plural } from '../../producer/plural.js';

export interface ContainerControlOptions {
  /** Compose project name (label com.docker.compose.project). Default "kafka-producer-tui". */
  project?: string;
  /** Taking a broker away below this many live brokers needs confirmation. Default 2. */
  minInsyncReplicas?: number;
  /** Grace period of `stop` before the engine sends SIGKILL; matches stop_grace_period. Default 30. */
  stopTimeoutSec?: number;
}

export interface BrokerContainer {
  brokerId: number;
  container: ContainerInfo;
  /** The host address it publishes (external label), e.g. 127.0.0.1:9093. */
  external: string | null;
}

/**
 * A running container counts as up only once healthy (or when it has no health check): a broker opens its
 * listener only after the controller unfenced it, so "starting" means not serving yet.
 */
export function brokerState(c: ContainerInfo): BrokerState {
  switch (c.status) {
    case 'running':
      return c.health === 'healthy' || c.health === 'none' ? 'up' : 'unreachable';
    case 'paused':
      return 'paused';
    case 'exited':
    case 'dead':
      // 137 = 128 + SIGKILL: killed (crash, OOM, or a stop that outlived its grace period).
      return c.exitCode === 137 ? 'crashed' : 'stopped';
    case 'created':
      return 'stopped';
    default:
      return 'unknown';
  }
}

const ok = (message: string): ControlResult => ({ ok: true, message });
const refused = (message: string): ControlResult => ({ ok: false, message });
const TAKES_DOWN: ReadonlySet<BrokerAction> = new Set(['stop', 'crash', 'pause']);

export class ContainerClusterControl implements ClusterControl {
  readonly kind = 'containers' as const;
  readonly project: string;
  readonly minInsyncReplicas: number;
  readonly stopTimeoutSec: number;
  /** Brokers with an action in flight: one at a time per container. */
  private readonly busy = new Set<number>();

  constructor(
    readonly runtime: ContainerRuntime,
    opts: ContainerControlOptions = {},
    /** Things the user should know (e.g. a remote engine), shown once. */
    readonly warnings: readonly string[] = [],
  ) {
    this.project = opts.project ?? DEFAULT_PROJECT;
    this.minInsyncReplicas = opts.minInsyncReplicas ?? 2;
    this.stopTimeoutSec = opts.stopTimeoutSec ?? 30;
  }

  describe(): string {
    return `containers of project ${this.project} via ${this.runtime.describe()}`;
  }

  /** The project's broker containers, by broker id; throws ContainerControlError when there are none. */
  async discover(): Promise<BrokerContainer[]> {
    const found = await this.runtime.list(brokerFilters(this.project));
    const brokers: BrokerContainer[] = [];
    for (const container of found) {
      const brokerId = brokerIdOf(container.labels, this.project);
      if (brokerId !== null) brokers.push({ brokerId, container, external: container.labels[LABEL.external] ?? null });
    }
    if (brokers.length === 0) throw containerErrors.noContainers(this.project, await this.otherProjects());
    return brokers.sort((a, b) => a.brokerId - b.brokerId || a.container.name.localeCompare(b.container.name));
  }

  async brokers(): Promise<ControlledBroker[]> {
    return (await this.discover()).map((b) => ({ id: b.brokerId, state: brokerState(b.container), backing: b.container.name }));
  }

  async act(action: BrokerAction, broker: number, opts: { confirmed?: boolean } = {}): Promise<ControlResult> {
    if (this.busy.has(broker)) return refused(`broker ${broker}: the previous action on its container is still running`);
    this.busy.add(broker);
    try {
      return await this.checkAndAct(action, broker, opts.confirmed ?? false);
    } catch (e) {
      if (e instanceof ContainerControlError) return refused(e.message);
      throw e;
    } finally {
      this.busy.delete(broker);
    }
  }

  private async checkAndAct(action: BrokerAction, broker: number, confirmed: boolean): Promise<ControlResult> {
    const all = await this.discover();
    const matches = all.filter((b) => b.brokerId === broker);
    if (matches.length === 0) {
      return refused(`no container carries the labels of broker ${broker} (found brokers ${all.map((b) => b.brokerId).join(', ')})`);
    }
    if (matches.length > 1) {
      const names = matches.map((b) => b.container.name).join(', ');
      return refused(`${matches.length} containers claim broker ${broker} (${names}): remove the extra ones, e.g. \`docker compose down\` then \`up -d\``);
    }
    const target = matches[0];
    if (!confirmed && TAKES_DOWN.has(action) && brokerState(target.container) === 'up') {
      const left = all.filter((b) => b.brokerId !== broker && brokerState(b.container) === 'up').length;
      if (left < this.minInsyncReplicas) {
        const warning =
          `only ${plural(left, 'broker')} would be left, fewer than min.insync.replicas=${this.minInsyncReplicas}: ` +
          'acks=all writes will fail with NOT_ENOUGH_REPLICAS';
        return { ok: false, message: warning, needsConfirmation: warning };
      }
    }
    // The listing may be stale: act only on the same ID, still carrying this broker's labels.
    const fresh = await this.runtime.inspect(target.container.id);
    if (!fresh || fresh.id !== target.container.id) {
      return refused(`the container of broker ${broker} (${target.container.name}) no longer exists: nothing was done`);
    }
    if (brokerIdOf(fresh.labels, this.project) !== broker) {
      return refused(
        `refused: container ${fresh.name} no longer carries the labels of broker ${broker} of project ${this.project}; nothing was done`,
      );
    }
    return this.perform(action, broker, fresh);
  }

  private async perform(action: BrokerAction, broker: number, c: ContainerInfo): Promise<ControlResult> {
    const who = `broker ${broker} (${c.name})`;
    const run = (a: ContainerAction) => this.runtime.act(c.id, a, { stopTimeoutSec: this.stopTimeoutSec, what: `the container of ${who}` });
    const startedAt = Date.now();
    const took = () => `${((Date.now() - startedAt) / 1000).toFixed(1)} s`;
    const running = c.status === 'running';
    const down = c.status === 'exited' || c.status === 'dead' || c.status === 'created';
    switch (action) {
      case 'stop':
      case 'crash': {
        if (down) return ok(`${who} is already stopped`);
        // A frozen JVM cannot run its controlled shutdown, and Podman may refuse to kill a paused container.
        if (c.status === 'paused') await run('unpause');
        if (action === 'stop') {
          const r = await run('stop');
          return ok(r === 'already' ? `${who} is already stopped` : `${who} stopped (SIGTERM, controlled shutdown) in ${took()}`);
        }
        await run('kill');
        return ok(`${who} crashed (SIGKILL, no controlled shutdown): the controller fences it after the session timeout`);
      }
      case 'pause': {
        if (c.status === 'paused') return ok(`${who} is already paused`);
        if (!running) return refused(`${who} is not running: start it first`);
        await run('pause');
        return ok(`${who} paused: its connections stay open but nothing answers`);
      }
      case 'resume': {
        if (running) return ok(`${who} is not paused`);
        if (c.status !== 'paused') return refused(`${who} is stopped, not paused: use start`);
        await run('unpause');
        return ok(`${who} resumed`);
      }
      case 'start': {
        if (running) return ok(`${who} is already running`);
        if (c.status === 'paused') return refused(`${who} is paused, not stopped: use resume`);
        const r = await run('start');
        return ok(r === 'already' ? `${who} is already running` : `${who} started: it serves again once the controller unfences it`);
      }
    }
  }

  /** Projects that do have managed containers: the user may have started the cluster with `-p other`. */
  private async otherProjects(): Promise<string[]> {
    try {
      const all = await this.runtime.list(anyProjectFilters());
      const names = all.map((c) => c.labels[LABEL.composeProject]).filter((p): p is string => !!p && p !== this.project);
      return [...new Set(names)].sort();
    } catch {
      return [];
    }
  }
}
