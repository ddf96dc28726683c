// One interface for acting on the cluster's brokers, whatever the cluster is: the built-in sandbox (in process)
// or a real cluster's broker containers (Docker/Podman). The Cluster screen and the labs use only this.
import type { BrokerState } from '../producer/engine-types.js';

export type BrokerAction = 'stop' | 'crash' | 'pause' | 'resume' | 'start';

export interface ControlResult {
  ok: boolean;
  message: string;
  /**
   * Set when the action would leave fewer live brokers than min.insync.replicas: nothing was done; repeat the
   * call with `confirmed: true` after the user agreed.
   */
  needsConfirmation?: string;
}

export interface ControlledBroker {
  id: number;
  state: BrokerState;
  /** What backs it: "in-process" or the container's name. */
  backing: string;
}

/** A sandbox in this process answers at once; one in another process answers after a round trip on its socket. */
export type MaybeAsync<T> = T | Promise<T>;

/** Faults only the sandbox can inject (a real broker cannot be told to drop one acknowledgement). */
export interface FaultControl {
  injectError(api: string, error: string, opts?: { when?: 'before' | 'after'; broker?: number; count?: number }): MaybeAsync<ControlResult>;
  dropResponse(api: string, opts?: { broker?: number; count?: number }): MaybeAsync<ControlResult>;
  delayResponse(api: string, ms: number, opts?: { broker?: number; count?: number }): MaybeAsync<ControlResult>;
  disconnect(api: string, opts?: { broker?: number; count?: number }): MaybeAsync<ControlResult>;
  /** The pending faults as last known (a sandbox in another process: refreshed every second and after each change). */
  listFaults(): { id: number; description: string }[];
  clearFaults(): MaybeAsync<ControlResult>;
}

export interface ClusterControl {
  readonly kind: 'sandbox' | 'containers';
  /** One line for the status bar, e.g. "built-in cluster 127.0.0.1:9092-9094". */
  describe(): string;
  brokers(): Promise<ControlledBroker[]>;
  act(action: BrokerAction, broker: number, opts?: { confirmed?: boolean }): Promise<ControlResult>;
  /** Present for the sandbox only. */
  readonly faults?: FaultControl;
  close?(): Promise<void>;
}
