// Lines drawn as few Ink nodes as their styles allow: one <Text> per run of consecutive lines in the same style.
// Ink lays out, measures and draws every node on every frame; the Produce screen's counters and delivery reports
// change on every frame while records flow, and as one node per line they were most of the nodes redrawn.
import { Text } from 'ink';
import { memo } from 'react';

export interface StyledLine {
  text: string;
  color?: string;
  bold?: boolean;
  dim?: boolean;
}

interface Run {
  color: string | undefined;
  bold: boolean;
  dim: boolean;
  lines: string[];
}

/** Consecutive lines of one style, joined (exported for tests). */
export function lineRuns(lines: readonly StyledLine[]): Run[] {
  const runs: Run[] = [];
  for (const l of lines) {
    const last = runs[runs.length - 1];
    const bold = l.bold ?? false;
    const dim = l.dim ?? false;
    if (last && last.color === l.color && last.bold === bold && last.dim === dim) last.lines.push(l.text);
    else runs.push({ color: l.color, bold, dim, lines: [l.text] });
  }
  return runs;
}

/** One run: drawn again only when its text or style changed (most runs of a frame are as in the last one). */
const RunText = memo(function RunText({ text, color, bold, dim }: { text: string; color: string | undefined; bold: boolean; dim: boolean }) {
  return (
    <Text color={color} bold={bold} dimColor={dim}>
      {text}
    </Text>
  );
});

/** The lines top to bottom, each exactly as a <Text> of its own would draw it (no line may need wrapping). */
export function LineRuns({ lines }: { lines: readonly StyledLine[] }) {
  return (
    <>
      {lineRuns(lines).map((r, i) => (
        <RunText key={i} text={r.lines.join('\n')} color={r.color} bold={r.bold} dim={r.dim} />
      ))}
    </>
  );
}
