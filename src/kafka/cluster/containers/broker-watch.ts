// Polls a real cluster's broker containers so the screens see stops, crashes and pauses as they happen, including
// ones made outside the app (`docker stop` in another terminal): the engine reads the broker states from here,
// the Cluster screen the containers' names and states, and changes become event lines.
import type { BrokerState } from '../../producer/engine-types.js';
import { brokerState, type ContainerClusterControl } from './container-control.js';

/** One broker container as the Cluster screen shows it. */
export interface ContainerLine {
  broker: number;
  name: string;
  /** The engine's word (running, paused, exited, ...), with the health check while it is not healthy. */
  status: string;
}

type Listener = (lines: readonly ContainerLine[], change: { level: 'info' | 'warn'; text: string } | null) => void;

function statusText(c: { status: string; health: string; exitCode: number | null }): string {
  if (c.status === 'running' && c.health !== 'healthy' && c.health !== 'none') return `running (${c.health})`;
  if (c.status === 'exited' && c.exitCode !== null) return `exited (${c.exitCode})`;
  return c.status;
}

export class BrokerWatch {
  private lines: ContainerLine[] = [];
  private stateById = new Map<number, BrokerState>();
  private readonly listeners = new Set<Listener>();
  private timer: NodeJS.Timeout | null = null;
  private failing: string | null = null;

  constructor(
    readonly control: ContainerClusterControl,
    private readonly intervalMs = 1000,
  ) {}

  /** Lists the containers now; a failure is reported once (as a change) and the last known lines stay. */
  async refresh(): Promise<void> {
    let found;
    try {
      found = await this.control.discover();
    } catch (e) {
      const text = `broker containers cannot be listed: ${(e as Error).message}`;
      if (text !== this.failing) this.emit({ level: 'warn', text });
      this.failing = text;
      return;
    }
    this.failing = null;
    const lines = found.map((b) => ({ broker: b.brokerId, name: b.container.name, status: statusText(b.container) }));
    const before = new Map(this.lines.map((l) => [l.broker, l.status]));
    this.stateById = new Map(found.map((b) => [b.brokerId, brokerState(b.container)]));
    const changed = lines.filter((l) => before.has(l.broker) && before.get(l.broker) !== l.status);
    const first = this.lines.length === 0;
    this.lines = lines;
    if (first) this.emit(null);
    for (const l of changed) {
      this.emit({ level: l.status.startsWith('running') ? 'info' : 'warn', text: `broker ${l.broker} container ${l.name}: ${before.get(l.broker)} -> ${l.status}` });
    }
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.refresh(), this.intervalMs);
    // Polling alone must not keep the process alive.
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.listeners.clear();
  }

  states(): ReadonlyMap<number, BrokerState> {
    return this.stateById;
  }

  current(): readonly ContainerLine[] {
    return this.lines;
  }

  /** Called with the lines after each change; returns the unsubscribe function. */
  on(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private emit(change: { level: 'info' | 'warn'; text: string } | null): void {
    for (const fn of this.listeners) fn(this.lines, change);
  }
}
