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
  // Only the verdicts present (ok always): "0 review · 0 redundant" took the room the header needs at 120 columns.
  return [`${n('ok')} ok`, ...(['review', 'redundant', 'conflict'] as const).filter((v) => n(v) > 0).map((v) => `${n(v)} ${v}`)].join(' · ');
}

export const ReviewPanel = memo(function ReviewPanel({ config, width, height, compact }: { config: EffectiveConfig; width: number; height: number; compact: boolean }) {
  const colors = useColors();
  const review = reviewOf(config);
  const lines: Line[] = [{ text: ` Review (kafka-clients ${review.version}): ${summary(review.rows)}`, bold: true }];
  if (compact) {
    for (const r of review.rows.filter((x) => x.verdict !== 'ok')) lines.push({ text: ` ${MARK[r.verdict]} ${r.verdict.padEnd(9)} ${r.setting}=${r.value}: ${r.why}`, verdict: r.verdict });
  } else {
    // Beside the settings at 120 columns the panel is ~50 wide: the mark (✓ ! = ✗) and its colour say the verdict, so
    // the word goes and the longest setting names fit; from 60 columns the word stays.
    const words = width >= 60;
    const indent = ' '.repeat(words ? 13 : 3);
    let group = '';
    for (const r of review.rows) {
      if (r.group !== group) {
        group = r.group;
        lines.push({ text: ` ${group}`, bold: true, dim: true });
      }
      const head = ` ${MARK[r.verdict]} ${words ? `${r.verdict.padEnd(9)} ` : ''}${r.setting} = ${r.value}`;
      // "(default)" goes where it would cut the line: the settings list beside says each setting's source too.
      const text = r.given || head.length + 10 > width ? head : `${head} (default)`;
      lines.push({ text, verdict: r.verdict });
      if (r.verdict !== 'ok') for (const l of wrapWords(r.why, width - indent.length - 1, 2)) lines.push({ text: `${indent}${l}`, dim: true });
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
