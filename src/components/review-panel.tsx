// The configuration review beside the settings, live: every setting the review covers with its verdict, grouped by
// durability, ordering, throughput and latency, timeouts; the why under each setting that is not simply ok.
// Compact (narrow terminals): only the settings to look at, one line each.
import { Box, Text } from 'ink';
import { memo } from 'react';
import { reviewOf, type ReviewRow, type ReviewVerdict } from '../state/config-review-view.js';
import type { EffectiveConfig } from '../state/store/snapshot.js';
import { cell, wrapWords } from './format.js';
import { useColors, type Palette } from './theme.js';

const MARK: Record<ReviewVerdict, string> = { ok: '✓', review: '!', redundant: '=', conflict: '✗' };

function color(v: ReviewVerdict, colors: Palette): string | undefined {
  return v === 'conflict' ? colors.error : v === 'review' ? colors.warn : v === 'ok' ? colors.ok : undefined;
}

type Line = { text: string; verdict?: ReviewVerdict; bold?: boolean; dim?: boolean };

function summary(rows: readonly ReviewRow[]): string {
  const n = (v: ReviewVerdict) => rows.filter((r) => r.verdict === v).length;
  return `${n('ok')} ok · ${n('review')} review · ${n('redundant')} redundant${n('conflict') > 0 ? ` · ${n('conflict')} conflict` : ''}`;
}

export const ReviewPanel = memo(function ReviewPanel({ config, width, height, compact }: { config: EffectiveConfig; width: number; height: number; compact: boolean }) {
  const colors = useColors();
  const review = reviewOf(config);
  const lines: Line[] = [{ text: ` Review (kafka-clients ${review.version}): ${summary(review.rows)}`, bold: true }];
  if (compact) {
    for (const r of review.rows.filter((x) => x.verdict !== 'ok')) lines.push({ text: ` ${MARK[r.verdict]} ${r.verdict.padEnd(9)} ${r.setting}=${r.value}: ${r.why}`, verdict: r.verdict });
  } else {
    let group = '';
    for (const r of review.rows) {
      if (r.group !== group) {
        group = r.group;
        lines.push({ text: ` ${group}`, bold: true, dim: true });
      }
      lines.push({ text: ` ${MARK[r.verdict]} ${r.verdict.padEnd(9)} ${r.setting} = ${r.value}${r.given ? '' : ' (default)'}`, verdict: r.verdict });
      if (r.verdict !== 'ok') for (const l of wrapWords(r.why, width - 14, 2)) lines.push({ text: `             ${l}`, dim: true });
    }
  }
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      {lines.slice(0, height).map((l, i) => (
        <Text key={i} bold={l.bold} dimColor={l.dim} color={l.verdict ? color(l.verdict, colors) : undefined}>
          {cell(l.text, width)}
        </Text>
      ))}
    </Box>
  );
});
