// The bottom line: the answer to the last action (green ok, red error) or, before any, how to get help.
import { Text } from 'ink';
import { memo } from 'react';
import { cell, clock } from './format.js';
import type { Notice } from '../state/store/snapshot.js';
import { useColors } from './theme.js';

export const NoticeLine = memo(function NoticeLine({ notice, width }: { notice: Notice | null; width: number }) {
  const colors = useColors();
  if (!notice) return <Text dimColor>{cell(' ? shows every key', width)}</Text>;
  const mark = notice.level === 'error' ? '✗' : notice.level === 'ok' ? '✓' : '·';
  const color = notice.level === 'error' ? colors.error : notice.level === 'ok' ? colors.ok : undefined;
  return <Text color={color} bold={notice.level === 'error'}>{cell(` ${mark} ${clock(notice.at)} ${notice.text}`, width)}</Text>;
});
