// Broker control for a real cluster: its broker containers when they can be found and publish the addresses the app
// connects to; failing that, no control and the reason (ContainerControlError names the fix).
import type { ClusterControl } from './cluster-control.js';
import type { ContainerTarget } from './cluster-handle.js';
import { BrokerWatch } from './containers/broker-watch.js';
import { ContainerControlError } from './containers/errors.js';
import { openContainerControl } from './containers/open-container-control.js';

export interface ControlLookup {
  control: ClusterControl | null;
  /** The broker containers, polled (present with control). */
  watch: BrokerWatch | null;
  /** Why there is no control, naming the fix. */
  problem: string | null;
  warnings: string[];
}

export async function clusterControlFor(brokers: readonly string[], target: ContainerTarget = {}): Promise<ControlLookup> {
  try {
    const containers = await openContainerControl({ brokers: [...brokers], dockerHost: target.dockerHost, project: target.project });
    const watch = new BrokerWatch(containers);
    await watch.refresh();
    watch.start();
    const control: ClusterControl = {
      kind: 'containers',
      describe: () => containers.describe(),
      brokers: () => containers.brokers(),
      // Listed again at once so the screen shows the result without waiting for the next poll.
      act: async (action, broker, opts) => {
        const r = await containers.act(action, broker, opts);
        await watch.refresh();
        return r;
      },
      close: async () => watch.stop(),
    };
    return { control, watch, problem: null, warnings: [...containers.warnings] };
  } catch (e) {
    if (e instanceof ContainerControlError) return { control: null, watch: null, problem: e.message, warnings: [] };
    throw e;
  }
}
