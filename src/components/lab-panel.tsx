// The guided panel of one lab: what it claims, its steps (marked running / done from the runner's progress), the
// live counts while it runs, what to watch, the verdict in large type when done (with the observed line and the
// audit numbers), and "try this next" with the change it makes. Sized to fit 80x24.
import { Box, Text } from 'ink';
import type { Lab, LabReport } from '../state/store/snapshot.js';
import { cell, int, wrapWords } from './format.js';
import { keyFor } from '../state/input/keymap.js';
import { ackedLabel, auditLine, EMPTY_COUNTS, isContrast, settingsText, verdictTitle, type LabRunView, type StepState } from '../state/lab-run-view.js';
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

/** What "try this next" (t) will run, in words. */
export function tryNextAction(lab: Lab): string {
  const s = lab.tryNext.settings;
  if (s && Object.keys(s).length > 0) return `t runs ${lab.name} again with ${settingsText(s)}`;
  if (lab.tryNext.lab) return `t runs lab ${lab.tryNext.lab}`;
  return 'a change to the topic, not the producer: nothing to re-run';
}

function Steps({ lab, steps, width }: { lab: Lab; steps: readonly StepState[]; width: number }) {
  const colors = useColors();
  return (
    <Box flexDirection="column" width={width}>
      <Text bold>{cell(' Steps', width)}</Text>
      {lab.steps.map((step, i) => {
        const state = steps[i] ?? 'pending';
        return (
          <Text key={step.id} color={state === 'running' ? colors.accent : undefined} bold={state === 'running'} dimColor={state === 'done'}>
            {cell(` ${MARK[state]} ${i + 1} ${step.text}`, width)}
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
  const watch = wrapWords(`Watch: ${lab.watch.join(' · ')}`, width - 2, 2);
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
      <Box>
        <Steps lab={lab} steps={run?.steps ?? []} width={stepsWidth} />
        <Box width={1} />
        <Counts run={run} width={COUNTS_WIDTH} />
      </Box>
      {watch.map((l, i) => (
        <Text key={i} dimColor>{cell(` ${l}`, width)}</Text>
      ))}
      {run?.report ? (
        <Verdict report={run.report} run={run} width={width} />
      ) : run?.running ? (
        <Box flexDirection="column" height={4}>
          {run.log.slice(-4).map((l, i) => (
            <Text key={i} color={l.level === 'warn' ? colors.warn : undefined} dimColor={l.level === 'info'}>{cell(` ${l.text}`, width)}</Text>
          ))}
        </Box>
      ) : (
        <Box flexDirection="column" height={4}>
          {wrapWords(`Expected: ${lab.expected}`, width - 2, 4).map((l, i) => (
            <Text key={i}>{cell(` ${l}`, width)}</Text>
          ))}
        </Box>
      )}
      {/* With both runs on screen the table above is the "try this next"; its two lines make room for it. */}
      {run?.report && !run.running && (isContrast(run.report) || run.contrast) ? null : (
        <>
          <Text color={colors.accent}>{cell(` Try this next: ${lab.tryNext.text}`, width)}</Text>
          <Text dimColor>{cell(`   (${tryNextAction(lab)})`, width)}</Text>
        </>
      )}
      <Text dimColor>{cell(` ${keys}`, width)}</Text>
    </Box>
  );
}
