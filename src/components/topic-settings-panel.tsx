// The topic's settings under the Cluster screen: min.insync.replicas, retention and unclean leader election with
// the keys that change them, and the partitions whose ISR is below min.insync.replicas with what acks=all does now.
import { Box, Text } from 'ink';
import { cell, wrapWords } from './format.js';
import { useColors } from './theme.js';
import type { AppSnapshot } from '../state/store/snapshot.js';

const retention = (ms: number) => (ms < 0 ? 'forever' : ms % 86_400_000 === 0 ? `${ms / 86_400_000} d` : ms % 3_600_000 === 0 ? `${ms / 3_600_000} h` : ms % 60_000 === 0 ? `${ms / 60_000} min` : `${ms} ms`);

/** The lines the panel draws (its height is their number). */
export function topicSettingsLines(lab: AppSnapshot, width: number): { text: string; alarm: boolean }[] {
  const t = lab.topicSettings;
  if (!t) return [{ text: ` topic ${lab.topic}: settings not read yet`, alarm: false }];
  const acks = lab.config?.settings.acks;
  const head = `${t.topic}: min.insync.replicas ${t.minInsyncReplicas} (+-) · retention.ms ${retention(t.retentionMs)} (T) · unclean ${t.uncleanLeaderElection ? 'on' : 'off'} (U)`;
  const below = lab.partitions.filter((p) => p.leader >= 0 && p.isr.length < t.minInsyncReplicas);
  const lines = wrapWords(head, width - 1, 2).map((text) => ({ text: ` ${text}`, alarm: false }));
  if (below.length > 0) {
    const which = below.length === lab.partitions.length && below.length > 1 ? `all ${below.length} partitions (ISR ${Math.max(...below.map((p) => p.isr.length))} or fewer)` : `partition ${below.map((p) => `${p.partition} (ISR ${p.isr.join(',')})`).join(', ')}`;
    const now = acks === 'all' ? 'acks=all sends to them fail with NOT_ENOUGH_REPLICAS and are retried until delivery.timeout.ms' : `acks=${acks} still lands there; acks=all would fail with NOT_ENOUGH_REPLICAS`;
    for (const text of wrapWords(`below min.insync.replicas ${t.minInsyncReplicas}: ${which}: ${now}`, width - 2, 3)) lines.push({ text: ` ${text}`, alarm: true });
  }
  return lines;
}

export function TopicSettingsPanel({ lab, width }: { lab: AppSnapshot; width: number }) {
  const colors = useColors();
  return (
    <Box flexDirection="column" width={width}>
      {topicSettingsLines(lab, width).map((l, i) => (
        <Text key={i} bold={l.alarm || i === 0} color={l.alarm ? colors.error : undefined} inverse={l.alarm}>
          {cell(l.text, width)}
        </Text>
      ))}
    </Box>
  );
}
