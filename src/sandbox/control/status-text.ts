// The cluster status as a compact plain-text table (the `status` command), readable at 80 columns.
import { describeChanges } from '../cluster/broker-settings.js';
import type { ClusterStatusView } from './views.js';
import { plural } from '../plural.js';

/** Aligns columns; numeric columns are right-aligned so digits line up. */
function table(header: string[], rows: string[][], numeric: boolean[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

const ids = (list: number[]) => (list.length > 0 ? list.join(',') : '-');

export function formatStatus(s: ClusterStatusView): string {
  const out: string[] = [];
  out.push(
    `cluster ${s.clusterId}  controller ${s.controller}  auto-create ${s.autoCreateTopics ? 'on' : 'off'}  replica.lag.time.max.ms ${s.replicaLagTimeMaxMs}`,
  );
  out.push(settingsLine(s));
  out.push(
    ...table(
      ['broker', 'status', 'address', 'leaders', 'connections', 'repl.delay'],
      s.brokers.map((b) => [
        `${b.id}${b.isController ? ' (controller)' : ''}`,
        b.status,
        b.address,
        String(b.leaderCount),
        String(b.connections),
        `${b.replicationDelayMs} ms`,
      ]),
      [false, false, false, true, true, true],
    ),
  );
  if (s.topics.length === 0) {
    out.push('no topics yet');
  }
  for (const t of s.topics) {
    out.push('');
    out.push(
      `topic ${t.name}  replication factor ${t.replicationFactor}  min.insync.replicas ${t.minInsyncReplicas}  unclean election ${t.uncleanLeaderElection ? 'on' : 'off'}`,
    );
    out.push(
      ...table(
        ['partition', 'leader', 'epoch', 'replicas', 'isr', 'start', 'hw', 'end'],
        t.partitions.map((p) => [
          String(p.partition),
          p.leader < 0 ? 'none' : String(p.leader),
          String(p.leaderEpoch),
          ids(p.replicas),
          ids(p.isr),
          String(p.logStartOffset),
          String(p.highWatermark),
          String(p.logEndOffset),
        ]),
        [true, true, true, false, false, true, true, true],
      ),
    );
  }
  if (s.pendingFaults > 0) {
    out.push('');
    out.push(`${plural(s.pendingFaults, 'fault')} pending (type faults to list them)`);
  }
  return out.join('\n');
}

/** Which broker settings differ from Kafka's defaults: a sandbox that answers faster than Kafka says so. */
export function settingsLine(s: Pick<ClusterStatusView, 'changedSettings'>): string {
  return s.changedSettings.length === 0 ? "settings: Kafka's defaults" : `settings changed: ${describeChanges(s.changedSettings)}`;
}
