// Cluster: the brokers (state, leaderships, controller, requests in flight) with stop / crash / pause / resume /
// start, the built-in cluster's faults, its request log and the cluster's events. A real cluster's broker
// containers (name and engine state) are listed under the brokers. A cluster without control says what would make
// the actions available (for a real cluster: why its containers could not be used, with the fix) instead of
// showing keys that do nothing. Leaderships and the controller are the cluster's own state where it is known;
// under the table, where the producer's metadata still differs ("producer still thinks broker 3 leads ...").
import { Box, Text } from 'ink';
import { memo } from 'react';
import { useColors } from '../components/theme.js';
import type { BrokerView } from '../state/store/snapshot.js';
import { cell, clock, int, wrapWords } from '../components/format.js';
import type { ClusterInfo, ClusterTruth, EventLine, RequestLine } from '../state/store/snapshot.js';

export interface ClusterProps {
  cluster: ClusterInfo | null;
  brokers: readonly BrokerView[];
  index: number;
  confirm: { question: string } | null;
  faults: readonly { id: number; description: string }[];
  requests: readonly RequestLine[];
  events: readonly EventLine[];
  /** The cluster's own state (null: not known, the table shows the producer's metadata). */
  truth?: ClusterTruth | null;
  metadataAgeMs?: number | null;
  metadataDiffs?: readonly string[];
  now?: number;
  width: number;
  height: number;
}

const MAX_DIFF_LINES = 2;

/** Where the table's leaderships come from, and how old the producer's metadata is. */
function sourceText(truth: ClusterTruth | null, metadataAgeMs: number | null, now: number): string {
  const md = metadataAgeMs === null ? "producer's metadata (not read yet)" : `producer's metadata (${Math.round(metadataAgeMs / 1000)} s old)`;
  if (!truth) return ` leaders from the ${md}; the cluster's own state is not known yet`;
  return ` leaders from ${truth.source}, ${Math.max(0, Math.round((now - truth.at) / 1000))} s ago · ${md}`;
}

const Brokers = memo(function Brokers({ brokers, index, width }: { brokers: readonly BrokerView[]; index: number; width: number }) {
  const colors = useColors();
  return (
    <Box flexDirection="column" width={width}>
      <Text dimColor>{cell('   id  address                state       leaders  controller  in-flight', width)}</Text>
      {brokers.map((b, i) => {
        const here = i === index;
        const color = b.state === 'up' ? colors.ok : b.state === 'paused' ? colors.warn : colors.error;
        return (
          <Box key={b.id} height={1}>
            <Text bold={here} color={here ? colors.accent : undefined}>{`${here ? '›' : ' '} ${int(b.id, 3)}  ${cell(b.address || '-', 22)} `}</Text>
            <Text color={color} inverse={here}>{cell(b.state.toUpperCase(), 10)}</Text>
            <Text>{cell(`  ${int(b.leaderCount, 7)}  ${b.isController ? '  yes     ' : '          '}  ${int(b.inFlight, 9)}`, Math.max(0, width - 38))}</Text>
          </Box>
        );
      })}
    </Box>
  );
});

type ContainerRows = NonNullable<ClusterInfo['containers']>;

const Containers = memo(function Containers({ containers, width }: { containers: ContainerRows; width: number }) {
  const colors = useColors();
  return (
    <Box flexDirection="column" width={width}>
      <Text dimColor>{cell('   id  container                            engine state', width)}</Text>
      {containers.map((c) => {
        const color = c.status === 'running' ? colors.ok : c.status.startsWith('exited') || c.status === 'dead' ? colors.error : colors.warn;
        return (
          <Box key={`${c.broker}-${c.name}`} height={1}>
            <Text>{`  ${int(c.broker, 3)}  ${cell(c.name, 36)} `}</Text>
            <Text color={color}>{cell(c.status, Math.max(0, width - 43))}</Text>
          </Box>
        );
      })}
    </Box>
  );
});

/** The actions line(s): the keys, or why there are none. */
function actionsText(cluster: ClusterInfo | null): string {
  if (cluster?.canControl) {
    return cluster.containers ? ' s stop · c crash · p pause · r resume · u start the selected broker\'s container' : ' s stop · c crash · p pause · r resume · u start the selected broker';
  }
  if (cluster?.controlProblem) return ` no broker control: ${cluster.controlProblem}`;
  return ' broker actions need the built-in cluster (--sandbox) or docker control of this cluster';
}

function faultText(cluster: ClusterInfo | null): string {
  if (cluster?.canInjectFaults) return ' faults: d drop an ack · l delay 2 s · e error · E error after append · x clear';
  // A real broker cannot be told to drop one acknowledgement: say what to use instead.
  if (cluster?.kind === 'real') return ' faults (drop, delay, error) are built-in cluster only; here use stop, crash or pause';
  return ' faults (drop, delay, error) need the built-in cluster (--sandbox)';
}

/** Column titles aligned with requestText's columns. */
const REQUEST_LOG_HEADER = `${'seq'.padStart(7)}  br  ${'request'.padEnd(18)} ${'outcome'.padEnd(11)} ${'took'.padStart(4)}    (request log, newest last)`;

function requestText(r: RequestLine): string {
  const took = r.ms === null ? '   -' : int(r.ms, 4);
  const extra = [r.errors, r.fault ? `fault: ${r.fault}` : ''].filter(Boolean).join(' ');
  return `${int(r.seq, 7)}  ${int(r.broker, 2)}  ${cell(`${r.api} v${r.version}`, 18)} ${cell(r.outcome, 11)} ${took} ms  ${extra}`;
}

export function ClusterScreen({ cluster, brokers, index, confirm, faults, requests, events, truth = null, metadataAgeMs = null, metadataDiffs = [], now = Date.now(), width, height }: ClusterProps) {
  const colors = useColors();
  const diffs = metadataDiffs.length > MAX_DIFF_LINES ? [...metadataDiffs.slice(0, MAX_DIFF_LINES - 1), `and ${metadataDiffs.length - MAX_DIFF_LINES + 1} more differences`] : metadataDiffs;
  const control = cluster?.canControl ?? false;
  const faultsOk = cluster?.canInjectFaults ?? false;
  const actionLines = wrapWords(actionsText(cluster), width - 2, control ? 1 : 4);
  const faultKeys = faultText(cluster);
  const containers = cluster?.containers ?? [];
  const confirmLines = confirm ? wrapWords(`${confirm.question} y: yes, n: no`, width - 2, 3) : [];
  const fixed =
    1 + brokers.length + 1 + 1 + diffs.length + (containers.length > 0 ? containers.length + 1 : 0) + actionLines.length + 1 + 1 + confirmLines.length + (faults.length > 0 ? 1 : 0);
  const rest = Math.max(2, height - fixed);
  const hasLog = requests.length > 0 || cluster?.kind === 'sandbox';
  const logRows = hasLog ? Math.max(1, Math.floor(rest * 0.55) - 1) : 0;
  const eventRows = Math.max(1, rest - (hasLog ? logRows + 1 : 0) - 1);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold>{cell(` Brokers of ${cluster?.label ?? 'the cluster'}${cluster?.kind === 'real' && cluster.security ? ` · ${cluster.security}` : ''}${cluster?.settingsChanged ? ` · ${cluster.settingsChanged}` : ''}`, width)}</Text>
      <Brokers brokers={brokers} index={index} width={width} />
      <Text dimColor>{cell(sourceText(truth, metadataAgeMs, now), width)}</Text>
      {diffs.map((d, i) => (
        <Text key={`d${i}`} color={colors.warn}>
          {cell(` ${d}`, width)}
        </Text>
      ))}
      {containers.length > 0 ? <Containers containers={containers} width={width} /> : null}
      {confirmLines.map((l, i) => (
        <Text key={i} color={colors.warn} bold inverse>
          {cell(` ${l}`, width)}
        </Text>
      ))}
      {actionLines.map((l, i) => (
        <Text key={`a${i}`} color={control ? undefined : colors.warn} dimColor={control}>
          {cell(` ${l}`, width)}
        </Text>
      ))}
      <Text color={faultsOk ? undefined : colors.warn} dimColor={faultsOk}>{cell(faultKeys, width)}</Text>
      {faults.length > 0 ? <Text color={colors.warn}>{cell(` pending: ${faults.map((f) => f.description).join('; ')}`, width)}</Text> : null}
      {hasLog ? (
        <Box flexDirection="column" height={logRows + 1} overflow="hidden">
          <Text bold>{cell(REQUEST_LOG_HEADER, width)}</Text>
          {requests.slice(-logRows).map((r) => (
            <Text key={r.seq} color={r.fault || r.errors ? colors.warn : undefined}>{cell(requestText(r), width)}</Text>
          ))}
        </Box>
      ) : null}
      <Box flexDirection="column" height={eventRows + 1} overflow="hidden">
        <Text bold>{cell(' Events', width)}</Text>
        {events.slice(-eventRows).map((e, i) => (
          <Text key={`${e.at}-${i}`} color={e.level === 'error' ? colors.error : e.level === 'warn' ? colors.warn : undefined}>
            {cell(` ${clock(e.at)} ${e.text}`, width)}
          </Text>
        ))}
      </Box>
    </Box>
  );
}
