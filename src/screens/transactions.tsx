// Transactions: begin, send, commit or abort with the open transaction's partitions and record count, and the
// topic as the two kinds of reader see it: read_committed stops at the last stable offset, read_uncommitted at
// the high watermark; the gap between them is what an open transaction has written and not yet ended.
import { Box, Text } from 'ink';
import { useColors } from '../components/theme.js';
import type { TransactionView, TxnOffsetsView } from '../state/store/snapshot.js';
import { cell, int, plural, wrapWords } from '../components/format.js';
import { keyFor } from '../state/input/keymap.js';
import { visibleWindow } from '../state/input/list.js';

export interface TransactionsProps {
  transaction: TransactionView | null;
  offsets: TxnOffsetsView | null;
  topic: string;
  width: number;
  height: number;
}

function Transaction({ t, width }: { t: TransactionView | null; width: number }) {
  const colors = useColors();
  if (!t?.transactionalId) {
    return (
      <Box flexDirection="column" width={width}>
        <Text bold>{cell(' Transaction: none (transactional.id is not set)', width)}</Text>
        {wrapWords(
          'Set transactional.id on the Settings screen (3): a new transactional producer takes over, and from then on every send must be inside a transaction (b begins one).',
          width - 2,
          3,
        ).map((l, i) => (
          <Text key={i} dimColor>{cell(` ${l}`, width)}</Text>
        ))}
        <Text> </Text>
      </Box>
    );
  }
  const phaseColor = t.phase === 'open' ? colors.warn : t.phase === 'fenced' ? colors.error : colors.ok;
  const parts = t.partitions.length > 0 ? t.partitions.join(', ') : 'none yet';
  return (
    <Box flexDirection="column" width={width}>
      <Box height={1}>
        <Text bold>{` Transaction (transactional.id ${t.transactionalId}): `}</Text>
        <Text bold inverse color={phaseColor}>{` ${t.phase.toUpperCase()} `}</Text>
      </Box>
      <Text>{cell(t.phase === 'open' ? ` open: ${plural(t.records, 'record')} on ${plural(t.partitions.length, 'partition')}: ${parts}` : ' no open transaction: b begins one', width)}</Text>
      <Text dimColor>{cell(` committed ${t.committed} · aborted ${t.aborted}${t.lastOutcome ? ` · last: ${t.lastOutcome}` : ''}`, width)}</Text>
      <Text> </Text>
    </Box>
  );
}

function Offsets({ offsets, topic, width, rows }: { offsets: TxnOffsetsView | null; topic: string; width: number; rows: number }) {
  const colors = useColors();
  const head = `${'partition'.padStart(10)}  ${'read_committed: LSO'.padStart(20)}  ${'read_uncommitted: HW'.padStart(21)}  ${'not yet stable'.padStart(15)}`;
  const list = offsets?.rows ?? [];
  const { start, end } = visibleWindow(0, list.length, rows);
  const hidden = list.length - (end - start);
  return (
    <Box flexDirection="column" width={width}>
      <Text bold>{cell(` Topic ${topic} as each reader sees it (records below the offset are visible)`, width)}</Text>
      <Text dimColor>{cell(head, width)}</Text>
      {offsets === null ? <Text dimColor>{cell('   reading the offsets...', width)}</Text> : null}
      {offsets?.error ? <Text color={colors.error}>{cell(`   ${offsets.error}`, width)}</Text> : null}
      {list.slice(start, end).map((r) => {
        const gap = r.highWatermark === null ? null : r.highWatermark - r.lastStable;
        const line = `${int(r.partition, 10)}  ${int(r.lastStable, 20)}  ${(r.highWatermark === null ? 'unknown' : int(r.highWatermark)).padStart(21)}  ${(gap === null ? '-' : int(gap)).padStart(15)}`;
        return (
          <Text key={r.partition} color={gap !== null && gap > 0 ? colors.warn : undefined} bold={gap !== null && gap > 0}>
            {cell(line, width)}
          </Text>
        );
      })}
      {hidden > 0 ? <Text dimColor>{cell(`   ... ${plural(hidden, 'more partition')}`, width)}</Text> : null}
      {offsets ? <Text dimColor>{cell(` ${offsets.source}`, width)}</Text> : null}
    </Box>
  );
}

export function TransactionsScreen({ transaction, offsets, topic, width, height }: TransactionsProps) {
  const keys = ['txn-begin', 'send-one', 'send-n', 'txn-commit', 'txn-abort'] as const;
  const words = { 'txn-begin': 'begin', 'send-one': 'send one', 'send-n': 'send N', 'txn-commit': 'commit', 'txn-abort': 'abort' };
  const hint = keys.map((k) => `${keyFor('transactions', k)} ${words[k]}`).join(' · ');
  // Transaction block 4 rows, the table's title, header and source 3, the hint and a spare row 2.
  const rows = Math.max(1, height - 4 - 3 - 2 - 1);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Transaction t={transaction} width={width} />
      <Offsets offsets={offsets} topic={topic} width={width} rows={rows} />
      <Box flexGrow={1} />
      <Text dimColor>{cell(` ${hint}${width >= 100 ? ' (records from the Produce form)' : ''}`, width)}</Text>
    </Box>
  );
}
