// Cluster: the brokers (state, leaderships, controller, requests in flight) with stop / crash / pause / resume /
// start, the built-in cluster's faults, its request log and the cluster's events. A cluster without control says
// what would make the actions available instead of showing keys that do nothing.
import { Box, Text } from 'ink';
import { memo } from 'react';
import { useColors } from '../components/theme.js';
import type { BrokerView } from '../kafka/engine-types.js';
import { cell, clock, int, wrapWords } from '../state/format.js';
import type { ClusterInfo, EventLine, RequestLine } from '../state/snapshot.js';

export interface ClusterProps {
  cluster: ClusterInfo | null;
  brokers: readonly BrokerView[];
  index: number;
  confirm: { question: string } | null;
  faults: readonly { id: number; description: string }[];
  requests: readonly RequestLine[];
  events: readonly EventLine[];
  width: number;
  height: number;
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

function requestText(r: RequestLine): string {
  const took = r.ms === null ? '   -' : int(r.ms, 4);
  const extra = [r.errors, r.fault ? `fault: ${r.fault}` : ''].filter(Boolean).join(' ');
  return `${int(r.seq, 7)}  ${int(r.broker, 2)}  ${cell(`${r.api} v${r.version}`, 18)} ${cell(r.outcome, 11)} ${took} ms  ${extra}`;
}

export function ClusterScreen({ cluster, brokers, index, confirm, faults, requests, events, width, height }: ClusterProps) {
  const colors = useColors();
  const control = cluster?.canControl ?? false;
  const faultsOk = cluster?.canInjectFaults ?? false;
  const actions = control
    ? ' s stop · c crash · p pause · r resume · u start the selected broker'
    : ' broker actions need the built-in cluster (--sandbox) or docker control of this cluster';
  const faultKeys = faultsOk
    ? ' faults: d drop an ack · l delay 2 s · e error · E error after append · x clear'
    : ' faults (drop, delay, error) need the built-in cluster (--sandbox)';
  const confirmLines = confirm ? wrapWords(`${confirm.question} y: yes, n: no`, width - 2, 3) : [];
  const fixed = 1 + brokers.length + 1 + 1 + 1 + confirmLines.length + (faults.length > 0 ? 1 : 0);
  const rest = Math.max(2, height - fixed);
  const hasLog = requests.length > 0 || cluster?.kind === 'sandbox';
  const logRows = hasLog ? Math.max(1, Math.floor(rest * 0.55) - 1) : 0;
  const eventRows = Math.max(1, rest - (hasLog ? logRows + 1 : 0) - 1);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold>{cell(` Brokers of ${cluster?.label ?? 'the cluster'}`, width)}</Text>
      <Brokers brokers={brokers} index={index} width={width} />
      {confirmLines.map((l, i) => (
        <Text key={i} color={colors.warn} bold inverse>
          {cell(` ${l}`, width)}
        </Text>
      ))}
      <Text color={control ? undefined : colors.warn} dimColor={control}>{cell(actions, width)}</Text>
      <Text color={faultsOk ? undefined : colors.warn} dimColor={faultsOk}>{cell(faultKeys, width)}</Text>
      {faults.length > 0 ? <Text color={colors.warn}>{cell(` pending: ${faults.map((f) => f.description).join('; ')}`, width)}</Text> : null}
      {hasLog ? (
        <Box flexDirection="column" height={logRows + 1} overflow="hidden">
          <Text bold>{cell(' Request log (newest last)      seq  broker api            outcome      took', width)}</Text>
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
