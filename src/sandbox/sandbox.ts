// The built-in cluster: N brokers (ids 1..N, or from --first-broker-id) over one shared cluster state, each with a
// real TCP listener (and, for a cluster the app runs in its own process, an in-process way in for its own clients).
import { servedApis } from './apis/index.js';
import { Cluster, type ClusterOptions } from './cluster/cluster.js';
import { BrokerServer } from './server/broker-server.js';
import { SandboxState } from './state.js';

export interface SandboxOptions extends Partial<Omit<ClusterOptions, 'brokerIds'>> {
  brokers?: number;
  /** The first broker's id; the others follow (default 1; 0 for suites that expect brokers 0..N-1). */
  firstBrokerId?: number;
  host?: string;
  /** First broker's port; the others follow (9092, 9093, ...). 0 picks free ports. */
  port?: number;
  log?: (line: string) => void;
  /**
   * Let this process's own producer connections reach the brokers through an in-memory pipe instead of loopback TCP
   * (the app's in-process cluster). Every other client still uses the TCP listeners. Default false.
   */
  inProcessClients?: boolean;
}

export class Sandbox {
  readonly cluster: Cluster;
  readonly state: SandboxState;
  readonly servers = new Map<number, BrokerServer>();
  readonly host: string;
  private unsubscribe: () => void;
  private pendingOps: Promise<void> = Promise.resolve();

  private constructor(opts: SandboxOptions) {
    const count = opts.brokers ?? 3;
    if (!Number.isInteger(count) || count < 1 || count > 16) throw new Error(`brokers must be 1-16, got ${count}`);
    const first = opts.firstBrokerId ?? 1;
    if (!Number.isInteger(first) || first < 0 || first > 1_000_000) throw new Error(`first broker id must be 0-1000000, got ${first}`);
    this.host = opts.host ?? '127.0.0.1';
    this.cluster = new Cluster({ ...opts, brokerIds: Array.from({ length: count }, (_, i) => first + i) });
    this.state = new SandboxState(this.cluster);
    const apis = servedApis();
    const log = opts.log ?? (() => {});
    for (const id of this.cluster.brokers.keys()) {
      this.servers.set(id, new BrokerServer(id, this.state, apis, this.host, log, opts.inProcessClients ?? false));
      this.cluster.brokers.get(id)!.host = this.host;
    }
    this.unsubscribe = this.cluster.on((e) => {
      if (e.type !== 'broker') return;
      const server = this.servers.get(e.broker)!;
      const port = this.cluster.brokers.get(e.broker)!.port;
      const op = async () => {
        if (e.status === 'stopped' || e.status === 'crashed') await server.shutdown(e.status === 'crashed');
        else if (e.status === 'up' && e.previous === 'paused') server.resumed();
        else if (e.status === 'up' && !server.listening) await server.listen(port);
      };
      this.pendingOps = this.pendingOps.then(op, op).catch((err) => log(`broker ${e.broker}: ${(err as Error).message}`));
    }, { highWatermark: false });
  }

  static async start(opts: SandboxOptions = {}): Promise<Sandbox> {
    const sandbox = new Sandbox(opts);
    try {
      let i = 0;
      for (const [id, server] of sandbox.servers) {
        const port = await server.listen(opts.port ? opts.port + i : 0);
        sandbox.cluster.brokers.get(id)!.port = port;
        i++;
      }
    } catch (e) {
      await sandbox.close();
      throw e;
    }
    return sandbox;
  }

  /** host:port of every broker, in id order. */
  addresses(): string[] {
    return [...this.cluster.brokers.values()].sort((a, b) => a.id - b.id).map((b) => `${b.host}:${b.port}`);
  }

  bootstrap(): string {
    return this.addresses().join(',');
  }

  /** Resolves when listeners have followed the latest broker status changes (start re-listens asynchronously). */
  settled(): Promise<void> {
    return this.pendingOps;
  }

  async close(): Promise<void> {
    this.unsubscribe();
    await this.pendingOps;
    await Promise.all([...this.servers.values()].map((s) => s.shutdown(false)));
    this.state.groups.close();
    this.state.transactions.close();
    this.cluster.close();
  }
}
