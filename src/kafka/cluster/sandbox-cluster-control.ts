// ClusterControl for the built-in cluster: broker actions and faults go straight to the in-process sandbox.
import { describeChanges } from '../../sandbox/control/broker-config.js';
import type { ClusterStatusView, SandboxControl } from '../../sandbox/control/control.js';
import type { BrokerAction, ClusterControl, ControlResult, ControlledBroker, FaultControl } from './cluster-control.js';
import type { BrokerState } from '../producer/engine-types.js';
import type { OffsetsView } from '../producer/engine-types.js';
import { plural } from '../producer/plural.js';

/** Taking this broker away leaves fewer serving brokers than some topic's min.insync.replicas: the warning, else null. */
export function belowMinIsrWarning(status: ClusterStatusView, broker: number): string | null {
  const serving = status.brokers.filter((b) => b.status === 'up' && b.id !== broker).length;
  const target = status.brokers.find((b) => b.id === broker);
  if (!target || target.status !== 'up') return null;
  const strict = status.topics.filter((t) => t.minInsyncReplicas > serving);
  if (strict.length === 0) return null;
  const names = strict.map((t) => `${t.name} (min.insync.replicas=${t.minInsyncReplicas})`).join(', ');
  return `only ${plural(serving, 'broker')} would be left: acks=all writes to ${names} will fail with NOT_ENOUGH_REPLICAS`;
}

/**
 * "127.0.0.1:9092-9094" for consecutive ports, "127.0.0.1:38409,38885,46857" otherwise: free ports are not a range,
 * and "38409-46857" read as one.
 */
export function addressesText(addrs: readonly string[]): string {
  const host = addrs[0]?.slice(0, addrs[0].lastIndexOf(':')) ?? '';
  const ports = addrs.map((a) => Number(a.slice(a.lastIndexOf(':') + 1)));
  if (addrs.length < 2 || addrs.some((a) => !a.startsWith(`${host}:`))) return addrs.join(',');
  const consecutive = ports.every((p, i) => i === 0 || p === ports[i - 1] + 1);
  return `${host}:${consecutive ? `${ports[0]}-${ports[ports.length - 1]}` : ports.join(',')}`;
}

export class SandboxClusterControl implements ClusterControl {
  readonly kind = 'sandbox' as const;
  readonly faults: FaultControl;
  private states: ReadonlyMap<number, BrokerState> | null = null;
  private watchStates: (() => void) | null = null;

  constructor(readonly control: SandboxControl) {
    this.faults = {
      injectError: (api, error, opts) => control.injectError(api, error, opts),
      dropResponse: (api, opts) => control.dropResponse({ api, ...opts }),
      delayResponse: (api, ms, opts) => control.delayResponse(ms, { api, ...opts }),
      disconnect: (api, opts) => control.disconnect({ api, ...opts }),
      listFaults: () => control.listFaults().map((f) => ({ id: f.id, description: f.description })),
      clearFaults: () => control.clearFaults(),
    };
  }

  describe(): string {
    return `built-in cluster ${addressesText(this.control.addresses())}`;
  }

  /** The sandbox's settings away from Kafka's defaults, e.g. "num.partitions=3 (Kafka: 1)"; null when none. */
  changedSettings(): string | null {
    return describeChanges(this.control.status().changedSettings) || null;
  }

  async brokers(): Promise<ControlledBroker[]> {
    return this.control.brokers().map((b) => ({ id: b.id, state: b.status, backing: 'in-process' }));
  }

  /**
   * Broker states for the engine's broker view, asked for several times per frame. Kept until a broker changes
   * state (every change is a cluster event): status() describes every partition, the consumer offsets' too.
   */
  brokerStates(): ReadonlyMap<number, BrokerState> {
    if (!this.states) {
      this.watchStates ??= this.control.on((e) => {
        if (e.type === 'broker') this.states = null;
      }, { highWatermark: false });
      this.states = new Map(this.control.brokers().map((b) => [b.id, b.status]));
    }
    return this.states;
  }

  /**
   * Log end offsets and watermarks read directly from the cluster (a real cluster only tells the watermark). Asked
   * for with every frame the app publishes: reads this topic's offsets alone, not the whole cluster's status.
   */
  offsets(topic: string): ReadonlyMap<number, OffsetsView> {
    const out = new Map<number, OffsetsView>();
    for (const p of this.control.offsets(topic) ?? []) out.set(p.partition, { logEndOffset: p.logEndOffset, highWatermark: p.highWatermark, logStartOffset: p.logStartOffset });
    return out;
  }

  async act(action: BrokerAction, broker: number, opts: { confirmed?: boolean } = {}): Promise<ControlResult> {
    if (!opts.confirmed && (action === 'stop' || action === 'crash' || action === 'pause')) {
      const warning = this.belowMinIsrWarning(broker);
      if (warning) return { ok: false, message: warning, needsConfirmation: warning };
    }
    switch (action) {
      case 'stop':
        return this.control.stop(broker);
      case 'crash':
        return this.control.crash(broker);
      case 'pause':
        return this.control.pause(broker);
      case 'resume':
        return this.control.resume(broker);
      case 'start':
        return this.control.start(broker);
    }
  }

  private belowMinIsrWarning(broker: number): string | null {
    return belowMinIsrWarning(this.control.status(), broker);
  }

  async close(): Promise<void> {
    await this.control.close();
  }
}
