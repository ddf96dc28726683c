// Where the producer's metadata still differs from the cluster's own state: stale metadata is a lesson (the
// producer sends to the leader it knows until a refresh tells it otherwise), so the screens say it in words.
import type { ClusterTruth } from '../../kafka/cluster/cluster-truth.js';

export interface ProducerBelief {
  partition: number;
  leader: number;
}

const list = (ns: readonly number[]) => (ns.length <= 4 ? ns.join(', ') : `${ns.slice(0, 4).join(', ')} and ${ns.length - 4} more`);
const age = (ms: number | null) => (ms === null ? 'metadata never refreshed' : `metadata ${Math.max(0, Math.round(ms / 1000))} s old`);

/**
 * One line per way the producer's view differs, e.g. "producer still thinks broker 3 leads partitions 0, 2 —
 * metadata 14 s old". Empty when they agree (or when the cluster's state is not known).
 */
export function metadataDiffs(
  truth: ClusterTruth | null,
  producer: { partitions: readonly ProducerBelief[]; controller: number | null; metadataAgeMs: number | null },
): string[] {
  if (!truth) return [];
  const cluster = new Map(truth.partitions.map((p) => [p.partition, p.leader]));
  const stale = new Map<number, number[]>();
  for (const p of producer.partitions) {
    const actual = cluster.get(p.partition);
    if (actual === undefined || actual === p.leader) continue;
    const ps = stale.get(p.leader) ?? [];
    ps.push(p.partition);
    stale.set(p.leader, ps);
  }
  const when = age(producer.metadataAgeMs);
  const lines = [...stale].sort(([a], [b]) => a - b).map(([leader, ps]) =>
    leader < 0
      ? `producer still thinks ${ps.length === 1 ? `partition ${ps[0]} has` : `partitions ${list(ps)} have`} no leader — ${when}`
      : `producer still thinks broker ${leader} leads ${ps.length === 1 ? `partition ${ps[0]}` : `partitions ${list(ps)}`} — ${when}`,
  );
  if (truth.controller !== null && producer.controller !== null && truth.controller !== producer.controller) {
    lines.push(`producer still thinks broker ${producer.controller} is the controller (it is broker ${truth.controller}) — ${when}`);
  }
  return lines;
}

/** The leader the producer believes in for each partition where it differs from the cluster's. */
export function staleLeaders(truth: ClusterTruth | null, producer: readonly ProducerBelief[]): Map<number, number> {
  const out = new Map<number, number>();
  if (!truth) return out;
  const cluster = new Map(truth.partitions.map((p) => [p.partition, p.leader]));
  for (const p of producer) {
    const actual = cluster.get(p.partition);
    if (actual !== undefined && actual !== p.leader) out.set(p.partition, p.leader);
  }
  return out;
}
