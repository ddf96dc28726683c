// The top line: which cluster (the built-in one with its address, or the real one), the topic, the producer's state
// and the current throughput. Padded to the full width so it reads as a bar and never reflows.
import { Text } from 'ink';
import { memo } from 'react';
import { cell, int } from './format.js';
import type { ClusterInfo, ConnectionView } from '../state/store/snapshot.js';
import type { ProducerStatus } from '../state/store/snapshot.js';

export interface StatusBarProps {
  width: number;
  cluster: ClusterInfo | null;
  connection: ConnectionView;
  producer: ProducerStatus | null;
  topic: string;
  recordsPerSec: number;
  looping: boolean;
}

export const StatusBar = memo(function StatusBar({ width, cluster, connection, producer, topic, recordsPerSec, looping }: StatusBarProps) {
  const state = connection.phase === 'ready' ? (producer?.phase ?? 'ready') : connection.phase;
  const label = cluster ? cluster.label : 'no cluster yet';
  const rest = [`topic ${topic}`, state, `${int(recordsPerSec, 5)} rec/s${looping ? ' ▶' : ''}`];
  // Which cluster and how fast matter most: the app's name and long words go first when the line is short.
  const candidates = [
    ` kafka-producer-tui │ ${[label, ...rest].join(' │ ')}`,
    ` ${[label, ...rest].join(' │ ')}`,
    ` ${[label.replace('built-in cluster', 'built-in'), ...rest].join(' │ ')}`,
  ];
  const text = candidates.find((c) => c.length <= width) ?? candidates[candidates.length - 1];
  return (
    <Text inverse bold>
      {cell(text, width)}
    </Text>
  );
});
