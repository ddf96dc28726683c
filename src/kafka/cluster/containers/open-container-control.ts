// The one entry point for a `--brokers` cluster: find the engine, pick the Engine API (or the CLI when no socket
// answers), make sure the project's broker containers exist and are the cluster the app talks to, and return the
// ClusterControl. Every failure is a ContainerControlError whose message names the fix.
import { CliRuntime, type ExecFile } from './cli-runtime.js';
import { ContainerClusterControl, type ContainerControlOptions } from './container-control.js';
import { discoverDockerEndpoint, type DiscoveryOptions } from './docker-endpoint.js';
import { EngineRuntime } from './engine-runtime.js';
import { containerErrors } from './errors.js';
import type { ContainerRuntime } from './runtime.js';

export interface OpenContainerControlOptions extends ContainerControlOptions, DiscoveryOptions {
  /**
   * The addresses the app connects to (--brokers). When given, control is refused unless a broker container
   * publishes one of them: stopping containers of some other cluster than the one on screen would mislead.
   */
  brokers?: string[];
  /** Per engine call (stop adds its grace period). Default 10 s for the socket, 15 s for the CLI. */
  timeoutMs?: number;
  /** For tests of the CLI path. */
  exec?: ExecFile;
}

/** localhost and 127.0.0.1 are the same host for this purpose; compare lower-case host:port. */
function normalizeAddress(address: string): string {
  const a = address.trim().toLowerCase();
  return a.startsWith('localhost:') ? `127.0.0.1:${a.slice('localhost:'.length)}` : a;
}

export async function openContainerControl(opts: OpenContainerControlOptions = {}): Promise<ContainerClusterControl> {
  const endpoint = await discoverDockerEndpoint(opts);
  const runtime: ContainerRuntime =
    endpoint.kind === 'socket'
      ? await EngineRuntime.open(endpoint.socketPath, { timeoutMs: opts.timeoutMs })
      : new CliRuntime(endpoint.binary, { exec: opts.exec, timeoutMs: opts.timeoutMs, host: endpoint.host, env: opts.env });
  const control = new ContainerClusterControl(runtime, opts, endpoint.kind === 'cli' && endpoint.warning ? [endpoint.warning] : []);
  const found = await control.discover();
  if (opts.brokers && opts.brokers.length > 0) {
    const published = found.map((b) => b.external).filter((a): a is string => !!a);
    const wanted = new Set(opts.brokers.map(normalizeAddress));
    if (!published.some((a) => wanted.has(normalizeAddress(a)))) throw containerErrors.addressesMismatch(opts.brokers, published);
  }
  return control;
}
