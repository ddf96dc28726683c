// Cluster events as one-line messages for the sandbox console. High-watermark moves are left out: they happen on
// every acknowledged produce and would drown the lines that matter (elections, ISR changes, truncations).
import type { ClusterEvent } from '../cluster/events.js';
import { plural } from '../plural.js';

const leaderName = (id: number) => (id < 0 ? 'none' : String(id));

export function formatEvent(e: ClusterEvent): string | null {
  switch (e.type) {
    case 'broker':
      return `broker ${e.broker}: ${e.previous} -> ${e.status}`;
    case 'controller':
      return `controller moved to broker ${e.controller}`;
    case 'election':
      return (
        `election ${e.topic}-${e.partition}: leader ${leaderName(e.oldLeader)} -> ${leaderName(e.newLeader)}, epoch ${e.epoch}` +
        `${e.unclean ? ', UNCLEAN' : ''}${e.lostRecords > 0 ? `, ${plural(e.lostRecords, 'record')} lost` : ''} (${e.reason})`
      );
    case 'isr-shrink':
      return `isr shrink ${e.topic}-${e.partition}: broker ${e.broker} left, isr now [${e.isr.join(',')}]`;
    case 'isr-expand':
      return `isr expand ${e.topic}-${e.partition}: broker ${e.broker} caught up, isr now [${e.isr.join(',')}]`;
    case 'truncation':
      return `truncation ${e.topic}-${e.partition}: broker ${e.broker} removed ${plural(e.records, 'record')} from offset ${e.toOffset}`;
    case 'topic-created':
      return `topic ${e.topic} created: ${plural(e.partitions, 'partition')}, replication factor ${e.replicationFactor}`;
    case 'topic-deleted':
      return `topic ${e.topic} deleted`;
    case 'fault':
      return `fault applied on broker ${e.broker}: ${e.detail}`;
    case 'high-watermark':
      return null;
  }
}
