// Broker operations: each changes the cluster state synchronously, so the very next
// Metadata request already shows the new leaders. The network side (closing sockets, holding requests) reacts to
// the 'broker' events these emit.
import type { Cluster } from './cluster.js';
import { plural } from '../plural.js';

/** Pending "fence the paused broker" timers, so a resume (or a new pause) cancels the previous one. */
const fenceTimers = new WeakMap<Cluster, Map<number, unknown>>();

function clearFenceTimer(cluster: Cluster, id: number): void {
  const timers = fenceTimers.get(cluster);
  const t = timers?.get(id);
  if (t === undefined) return;
  cluster.clock.clearTimeout(t);
  timers!.delete(id);
}

export type BrokerOpResult = { ok: true; message: string } | { ok: false; message: string };

function check(cluster: Cluster, id: number): string | null {
  if (!cluster.brokers.has(id)) return `no broker ${id} (brokers: ${[...cluster.brokers.keys()].join(', ')})`;
  return null;
}

function moveLeadershipsAway(cluster: Cluster, id: number, reason: string): void {
  for (const p of cluster.allPartitions()) {
    if (p.leader === id) p.elect(id, reason);
    else if (p.isr.includes(id)) p.shrinkIsr(id);
  }
  cluster.ensureController();
}

/** Controlled shutdown: followers catch up first, leadership moves, then the broker goes away. Nothing acknowledged is lost. */
export function stopBroker(cluster: Cluster, id: number): BrokerOpResult {
  const err = check(cluster, id);
  if (err) return { ok: false, message: err };
  const status = cluster.brokers.get(id)!.status;
  if (status === 'stopped' || status === 'crashed') return { ok: false, message: `broker ${id} is already ${status}` };
  for (const p of cluster.allPartitions()) if (p.leader === id) p.syncFollowers();
  cluster.setBrokerStatus(id, 'stopped');
  moveLeadershipsAway(cluster, id, `broker ${id} stopped`);
  return { ok: true, message: `broker ${id} stopped (controlled): leaderships moved` };
}

/** Abrupt failure: connections reset, leaders elected from the ISR; unreplicated records on it are lost. */
export function crashBroker(cluster: Cluster, id: number): BrokerOpResult {
  const err = check(cluster, id);
  if (err) return { ok: false, message: err };
  const status = cluster.brokers.get(id)!.status;
  if (status === 'stopped' || status === 'crashed') return { ok: false, message: `broker ${id} is already ${status}` };
  cluster.setBrokerStatus(id, 'crashed');
  moveLeadershipsAway(cluster, id, `broker ${id} crashed`);
  return { ok: true, message: `broker ${id} crashed: connections reset, new leaders elected from the ISR` };
}

/**
 * Pause: sockets stay open and nothing is answered. After replica.lag.time.max.ms (which the sandbox also uses as
 * the broker session timeout) the controller fences it: it leaves every ISR and its leaderships move.
 */
export function pauseBroker(cluster: Cluster, id: number): BrokerOpResult {
  const err = check(cluster, id);
  if (err) return { ok: false, message: err };
  const status = cluster.brokers.get(id)!.status;
  if (status !== 'up') return { ok: false, message: `broker ${id} is ${status}, not up` };
  cluster.setBrokerStatus(id, 'paused');
  clearFenceTimer(cluster, id);
  const timer = cluster.clock.setTimeout(() => {
    fenceTimers.get(cluster)?.delete(id);
    if (cluster.brokers.get(id)?.status !== 'paused') return;
    moveLeadershipsAway(cluster, id, `broker ${id} paused longer than ${cluster.replicaLagTimeMaxMs} ms`);
  }, cluster.replicaLagTimeMaxMs);
  if (!fenceTimers.has(cluster)) fenceTimers.set(cluster, new Map());
  fenceTimers.get(cluster)!.set(id, timer);
  return { ok: true, message: `broker ${id} paused: its leaderships move after ${cluster.replicaLagTimeMaxMs} ms` };
}

export function resumeBroker(cluster: Cluster, id: number): BrokerOpResult {
  const err = check(cluster, id);
  if (err) return { ok: false, message: err };
  if (cluster.brokers.get(id)!.status !== 'paused') return { ok: false, message: `broker ${id} is not paused` };
  rejoin(cluster, id);
  return { ok: true, message: `broker ${id} resumed` };
}

/** A stopped or crashed broker comes back: it truncates to the leaders' logs, catches up and rejoins the ISR. */
export function startBroker(cluster: Cluster, id: number): BrokerOpResult {
  const err = check(cluster, id);
  if (err) return { ok: false, message: err };
  const status = cluster.brokers.get(id)!.status;
  if (status !== 'stopped' && status !== 'crashed') return { ok: false, message: `broker ${id} is ${status}, not stopped` };
  rejoin(cluster, id);
  return { ok: true, message: `broker ${id} started` };
}

function rejoin(cluster: Cluster, id: number): void {
  clearFenceTimer(cluster, id);
  cluster.setBrokerStatus(id, 'up');
  for (const p of cluster.allPartitions()) {
    if (!p.replicas.includes(id)) continue;
    if (p.leader === id) {
      // Resumed before being fenced: it is still the leader.
      p.updateHighWatermark();
      for (const r of p.replicas) p.scheduleFetch(r);
    } else if (p.leader < 0) {
      // A leaderless partition gets its leader back if this broker was in the last ISR (or unclean election is on).
      p.elect(-1, `broker ${id} started`);
    } else {
      p.truncateFollower(id);
      p.scheduleFetch(id);
    }
  }
  cluster.ensureController();
}

/** Moves the leader of a partition to a replica that is serving and in the ISR. */
export function moveLeader(cluster: Cluster, topic: string, partition: number, broker: number, reason = 'leader moved by request'): BrokerOpResult {
  const p = cluster.partition(topic, partition);
  if (!p) return { ok: false, message: `no partition ${topic}-${partition}` };
  if (!p.replicas.includes(broker)) return { ok: false, message: `broker ${broker} holds no replica of ${topic}-${partition} (replicas ${p.replicas.join(',')})` };
  if (!p.isr.includes(broker) || !cluster.isServing(broker)) return { ok: false, message: `broker ${broker} is not an in-sync, serving replica` };
  if (p.leader === broker) return { ok: true, message: `broker ${broker} already leads ${topic}-${partition}` };
  const old = p.leader;
  p.syncFollowers();
  p.transferLeadership(broker, reason);
  return { ok: true, message: `${topic}-${partition} leader ${old} -> ${broker}` };
}

/** Preferred-leader election: every partition whose first replica is in sync and serving gets it back as leader. */
export function preferredLeaderElection(cluster: Cluster): BrokerOpResult {
  let moved = 0;
  for (const p of cluster.allPartitions()) {
    const preferred = p.replicas[0];
    if (p.leader !== preferred && p.isr.includes(preferred) && cluster.isServing(preferred)) {
      if (moveLeader(cluster, p.topic, p.index, preferred, 'preferred leader election').ok) moved++;
    }
  }
  return { ok: true, message: `preferred leader election moved ${plural(moved, 'partition')}` };
}

export function setReplicationDelay(cluster: Cluster, id: number, ms: number): BrokerOpResult {
  const err = check(cluster, id);
  if (err) return { ok: false, message: err };
  if (!Number.isFinite(ms) || ms < 0) return { ok: false, message: `replication delay must be >= 0 ms, got ${ms}` };
  cluster.brokers.get(id)!.replicationDelayMs = ms;
  for (const p of cluster.allPartitions()) if (p.replicas.includes(id)) p.rescheduleFetch(id);
  return { ok: true, message: `broker ${id} replicates with a ${ms} ms delay` };
}
