// Labs: every lesson with its one-line claim and its last verdict; Enter opens the guided panel of the selected
// one, where r runs it in a fresh built-in cluster (the playground stays as it is) and t tries the suggested change.
import { Box, Text } from 'ink';
import { LabPanel } from '../components/lab-panel.js';
import { useColors } from '../components/theme.js';
import { LABS } from '../state/catalogs.js';
import { cell } from '../components/format.js';
import { keyFor } from '../state/input/keymap.js';
import { verdictTitle, type LabRunView, type LabsView } from '../state/lab-run-view.js';
import { visibleWindow } from '../state/input/list.js';

export interface LabsProps {
  labs: LabsView;
  index: number;
  open: boolean;
  width: number;
  height: number;
}

const NAME = 19;
const BADGE = 16;

function badge(run: LabRunView | undefined): string {
  if (!run) return '';
  if (run.running) return run.stopping ? 'stopping' : 'running';
  return run.report ? verdictTitle(run.report) : '';
}

export function LabsScreen({ labs, index, open, width, height }: LabsProps) {
  const colors = useColors();
  const selected = LABS[Math.min(index, LABS.length - 1)];
  if (open) return <LabPanel lab={selected} run={labs.runs[selected.name] ?? null} busyWith={labs.running !== selected.name ? labs.running : null} width={width} height={height} />;
  const rows = Math.max(1, height - 4);
  const { start, end } = visibleWindow(index, LABS.length, rows);
  const claimWidth = width - NAME - BADGE - 4;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold>{cell(` Labs: ${LABS.length} lessons, each run in its own fresh built-in cluster`, width)}</Text>
      <Text dimColor>{cell(`   ${'lab'.padEnd(NAME)}${'what it claims'.padEnd(claimWidth)} ${'last verdict'.padStart(BADGE - 1)}`, width)}</Text>
      {LABS.slice(start, end).map((lab, i) => {
        const here = start + i === index;
        const run = labs.runs[lab.name];
        const b = badge(run);
        const status = run?.report?.status;
        const color = b === 'CONTRAST' ? colors.accent : status === 'passed' ? colors.ok : status === 'failed' || status === 'error' ? colors.error : colors.warn;
        return (
          <Box key={lab.name} height={1}>
            <Text color={here ? colors.accent : undefined} bold={here}>{here ? ' › ' : '   '}</Text>
            <Text inverse={here}>{cell(lab.name, NAME) + cell(lab.claim[0], claimWidth)}</Text>
            <Text color={b ? color : undefined} bold>{` ${b.padStart(BADGE - 1)}`}</Text>
          </Box>
        );
      })}
      <Box flexGrow={1} />
      <Text dimColor>{cell(` ↑↓ choose · ⏎ open · ${keyFor('labs', 'lab-run')} run · ${keyFor('labs', 'lab-abort')} stop a running lab · ? every key`, width)}</Text>
    </Box>
  );
}
