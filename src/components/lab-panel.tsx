// The guided panel of one lab: what it claims, its steps (marked running / done from the runner's progress), the
// live counts while it runs, what to watch, the verdict in large type when done (with the observed line and the
// audit numbers), and "try this next" with the change it makes. Sized to fit 80x24.
import { Box, Text } from 'ink';
import type { Lab, LabReport } from '../state/store/snapshot.js';
import { cell, int, wrapWords } from './format.js';
import { keyFor } from '../state/input/keymap.js';
import { ackedLabel, auditLine, EMPTY_COUNTS, isContrast, measuredTable, settingsText, verdictTitle, type LabRunView, type StepState } from '../state/lab-run-view.js';
import { useColors } from './theme.js';

export interface LabPanelProps {
  lab: Lab;
  run: LabRunView | null;
  /** Another lab is running (only one at a time). */
  busyWith: string | null;
  width: number;
  height: number;
}

const MARK: Record<StepState, string> = { pending: ' ', running: '▶', done: '✓' };
const COUNTS_WIDTH = 26;
/** Columns before a step's text: " ▶ 1 " and continuation lines under it. */
const STEP_INDENT = 6;
const COUNTS_ROWS = 8;

/** Rows the steps take at this width (the heading, then each step wrapped, or one line each). */
function stepRows(lab: Lab, width: number, wrap = true): number {
  return 1 + (wrap ? lab.steps.reduce((n, step) => n + wrapWords(step.text, width - STEP_INDENT, 4).length, 0) : lab.steps.length);
}

/** What "try this next" (t) will run, in words. */
export function tryNextAction(lab: Lab): string {
  const s = lab.tryNext.settings;
  if (s && Object.keys(s).length > 0) return `t runs ${lab.name} again with ${settingsText(s)}`;
  if (lab.tryNext.lab) return `t runs lab ${lab.tryNext.lab}`;
  return 'a change to the topic, not the producer: nothing to re-run';
}

function Steps({ lab, steps, width, wrap }: { lab: Lab; steps: readonly StepState[]; width: number; wrap: boolean }) {
  const colors = useColors();
  return (
    <Box flexDirection="column" width={width}>
      <Text bold>{cell(' Steps', width)}</Text>
      {lab.steps.map((step, i) => {
        const state = steps[i] ?? 'pending';
        // Wrapped, never cut: a step's end is often its point ("...and crash the leader half a second in").
        const lines = wrap ? wrapWords(step.text, width - STEP_INDENT, 4) : [step.text];
        return (
          <Text key={step.id} color={state === 'running' ? colors.accent : undefined} bold={state === 'running'} dimColor={state === 'done'}>
            {lines.map((l, j) => cell(j === 0 ? ` ${MARK[state]} ${String(i + 1).padEnd(2)}${l}` : `      ${l}`, width)).join('\n')}
          </Text>
        );
      })}
    </Box>
  );
}

function Counts({ run, width }: { run: LabRunView | null; width: number }) {
  const colors = useColors();
  const c = run?.counts ?? EMPTY_COUNTS;
  const line = (label: string, n: number, color?: string) => <Text color={n > 0 ? color : undefined}>{cell(` ${label.padEnd(15)}${int(n, 9)}`, width)}</Text>;
  return (
    <Box flexDirection="column" width={width}>
      <Text bold>{cell(run?.running ? ' Live counts' : ' Counts', width)}</Text>
      {line('sent', c.sent)}
      {line(run?.acksZero ? 'no ack (acks=0)' : ackedLabel(false), c.acked)}
      {line('failed', c.failed, colors.error)}
      {line('retries', c.retries, colors.warn)}
      {line('requests', c.requests)}
      {line('waiting appends', c.waitingAppends, colors.warn)}
      {line('in-flight', c.inFlightRequests)}
    </Box>
  );
}

const AUDIT_COLUMNS = `${'sent'.padStart(9)}${'acked'.padStart(9)}${'failed'.padStart(8)}${'lost'.padStart(7)}${'dup'.padStart(6)}${'reord'.padStart(7)}`;

/** One run's audit as a table row under AUDIT_COLUMNS; acks=0 has no acknowledgements to count. */
function auditRow(label: string, r: LabReport, labelWidth: number): string {
  const a = r.audit;
  const acked = r.settings.acks === 0 ? 'no acks'.padStart(9) : int(a.acked, 9);
  return ` ${cell(label, labelWidth)}${int(a.sent, 9)}${acked}${int(a.failed, 8)}${int(a.lost, 7)}${int(a.duplicated, 6)}${int(a.reordered, 7)}`;
}

/**
 * The audits beside the verdict: one line, or for a claim and its "try this next" contrast a small table of
 * both, so the two runs read as the lesson they make together.
 */
function auditLines(report: LabReport, run: LabRunView | null, width: number): { text: string; alarm: boolean }[] {
  const alarm = (r: LabReport) => r.audit.lost + r.audit.duplicated + r.audit.reordered > 0;
  if (!isContrast(report) && !run?.contrast) return [{ text: ` ${auditLine(report)}`, alarm: alarm(report) }];
  const claim = isContrast(report) ? run?.claim ?? null : report;
  const contrast = isContrast(report) ? report : run!.contrast!;
  const labelWidth = Math.max(10, Math.min(32, width - AUDIT_COLUMNS.length - 2));
  return [
    { text: ` ${cell('audits', labelWidth)}${AUDIT_COLUMNS}`, alarm: false },
    { text: claim ? auditRow('the claim (as written)', claim, labelWidth) : ' the claim (as written): r runs it for its own audit', alarm: false },
    { text: auditRow(`with ${settingsText(contrast.overrides ?? {})}`, contrast, labelWidth), alarm: false },
  ];
}

function Verdict({ report, run, width }: { report: LabReport; run: LabRunView | null; width: number }) {
  const colors = useColors();
  const title = verdictTitle(report);
  const color =
    title === 'CONTRAST' ? colors.accent
    : report.status === 'passed' ? colors.ok
    : report.status === 'failed' || report.status === 'error' ? colors.error
    : colors.warn;
  const boxWidth = title.length + 6;
  return (
    <Box flexDirection="column" width={width}>
      <Box height={3}>
        <Box borderStyle="double" borderColor={color} width={boxWidth} height={3} justifyContent="center">
          <Text bold color={color}>{title}</Text>
        </Box>
        <Box flexDirection="column" width={width - boxWidth - 1} marginLeft={1}>
          {wrapWords(report.observed, width - boxWidth - 1, 3).map((l, i) => (
            <Text key={i}>{l}</Text>
          ))}
        </Box>
      </Box>
      {auditLines(report, run, width).map((l, i) => (
        <Text key={i} dimColor={!l.alarm} color={l.alarm ? colors.error : undefined}>
          {cell(l.text, width)}
        </Text>
      ))}
    </Box>
  );
}

export function LabPanel({ lab, run, busyWith, width, height }: LabPanelProps) {
  const colors = useColors();
  const wide = width >= 100;
  const claim = wrapWords(`${lab.claim[0]} ${lab.claim[1]}`, width - 2, wide ? 2 : 3);
  const status = run?.running ? `● ${run.stopping ? 'stopping' : 'running'}: ${run.phase}` : busyWith ? `lab ${busyWith} is running` : '';
  const title = ` ${lab.name} · ${lab.title}${run?.overrides ? ` (with ${run.overrides})` : ''}`;
  const stepsWidth = width - COUNTS_WIDTH - 1;
  const table = run?.report && !run.running ? measuredTable(run.report.details) : null;
  // Every step reads whole; what gives way on a small screen is the "watch" hint, then "try this next" (to one
  // line), then the box under the steps (the verdict keeps its 4 rows).
  const verdictRows = run?.report ? 4 : 0;
  // Once the verdict is in, every step is done: they go to one line each if the verdict needs the room.
  const wrapSteps = height - (1 + claim.length + Math.max(stepRows(lab, stepsWidth), COUNTS_ROWS) + 2) >= verdictRows + 1;
  const avail = height - (1 + claim.length + Math.max(stepRows(lab, stepsWidth, wrapSteps), COUNTS_ROWS) + 2);
  const tryNext = wrapWords(`Try this next: ${lab.tryNext.text}`, width - 2, avail - Math.max(verdictRows, 1) >= 2 ? 2 : 1);
  const rest = avail - tryNext.length;
  const bottomRows = verdictRows || Math.max(1, Math.min(4, rest - 1));
  const watchRows = Math.min(2, rest - bottomRows);
  const watch = watchRows > 0 ? wrapWords(`Watch: ${lab.watch.join(' · ')}`, width - 2, watchRows) : [];
  const keys = run?.running
    ? `${keyFor('labs', 'lab-abort')} stop the lab · Esc list · ↑↓ other labs`
    : `${keyFor('labs', 'lab-run')} run · ${keyFor('labs', 'lab-try-next')} try this next · Esc list · ↑↓ other labs`;
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <Box height={1}>
        <Text bold color={colors.accent}>{cell(title, Math.max(10, width - status.length - 1))}</Text>
        <Text color={run?.running ? colors.warn : undefined}>{status ? ` ${status}` : ''}</Text>
      </Box>
      {claim.map((l, i) => (
        <Text key={i}>{cell(` ${l}`, width)}</Text>
      ))}
      {table ? (
        // A lab that measures a comparison ends with its table, where the steps were (they are all done).
        <Box flexDirection="column" height={Math.max(stepRows(lab, stepsWidth, wrapSteps), COUNTS_ROWS)}>
          <Text bold>{cell(' Measured in this run', width)}</Text>
          {table
            .flatMap((l, row) => (l.length <= width - 2 ? [l] : wrapWords(l, width - 2, 2)).map((text) => ({ text, note: row === table.length - 1 })))
            .map((l, i) => (
              <Text key={i} dimColor={l.note} bold={i === 0}>{cell(` ${l.text}`, width)}</Text>
            ))}
        </Box>
      ) : (
        <Box>
          <Steps lab={lab} steps={run?.steps ?? []} width={stepsWidth} wrap={wrapSteps} />
          <Box width={1} />
          <Counts run={run} width={COUNTS_WIDTH} />
        </Box>
      )}
      {watch.map((l, i) => (
        <Text key={i} dimColor>{cell(` ${l}`, width)}</Text>
      ))}
      {run?.report ? (
        <Verdict report={run.report} run={run} width={width} />
      ) : run?.running ? (
        <Box flexDirection="column" height={bottomRows}>
          {run.log.slice(-bottomRows).map((l, i) => (
            <Text key={i} color={l.level === 'warn' ? colors.warn : undefined} dimColor={l.level === 'info'}>{cell(` ${l.text}`, width)}</Text>
          ))}
        </Box>
      ) : (
        <Box flexDirection="column" height={bottomRows}>
          {wrapWords(`Expected: ${lab.expected}`, width - 2, bottomRows).map((l, i) => (
            <Text key={i}>{cell(` ${l}`, width)}</Text>
          ))}
        </Box>
      )}
      {/* With both runs on screen the table above is the "try this next"; its two lines make room for it. */}
      {run?.report && !run.running && (isContrast(run.report) || run.contrast) ? null : (
        <>
          {tryNext.map((l, i) => (
            <Text key={`t${i}`} color={colors.accent}>{cell(` ${l}`, width)}</Text>
          ))}
          <Text dimColor>{cell(`   (${tryNextAction(lab)})`, width)}</Text>
        </>
      )}
      <Text dimColor>{cell(` ${keys}`, width)}</Text>
    </Box>
  );
}
