// Where a broker running in this process meets this process's own clients without TCP: a broker of the built-in
// cluster started for in-process clients registers its host:port here while it listens, and the producer's
// connections look here before opening a socket. Anything else (kafkajs, kcat, another process) still connects over
// TCP to the same listener; a broker that is stopped or crashed is not here, so a connection to it goes to its closed
// TCP port and is refused as on any cluster.
import { pipePair, type OnRead, type PipeEnd } from './in-process-pipe.js';

export type AcceptInProcess = (serverEnd: PipeEnd) => void;

const listeners = new Map<string, AcceptInProcess>();
let nextClientPort = 1;

/** Accepts in-process connections to host:port until the returned function is called. */
export function listenInProcess(host: string, port: number, accept: AcceptInProcess): () => void {
  const key = `${host}:${port}`;
  listeners.set(key, accept);
  return () => {
    if (listeners.get(key) === accept) listeners.delete(key);
  };
}

/** A connection to the broker listening in this process at host:port, or null when none is (then: TCP). */
export function connectInProcess(host: string, port: number, onread: OnRead): PipeEnd | null {
  const accept = listeners.get(`${host}:${port}`);
  if (!accept) return null;
  // 'in-process' and a number of its own in the broker's log lines, where a socket shows its peer's address.
  const { client, server } = pipePair(host, port, 'in-process', nextClientPort++);
  client.onread = onread;
  accept(server);
  return client;
}
