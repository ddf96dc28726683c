// Settings: every producer setting with its effective value and where that value comes from, the selected one
// explained (allowed values, live or new producer, what kafkajs does differently), and the configuration's
// conflicts in plain words. Edits go through the settings model: a bad value is refused with its message.
// Beside the settings (below them on narrow terminals), the configuration review, live; i imports a configuration
// file and x exports one, shown in place of the review.
import { Box, Text } from 'ink';
import { memo } from 'react';
import { TextField } from '../components/text-field.js';
import { useColors } from '../components/theme.js';
import { SETTINGS, SETTING_NAMES } from '../state/catalogs.js';
import type { EffectiveConfig } from '../state/store/snapshot.js';
import { cell, wrapWords } from '../components/format.js';
import { visibleWindow } from '../state/input/list.js';
import type { FieldEdit } from '../state/input/ui-store.js';
import type { Exported } from '../state/input/config-dialogs.js';
import { ReviewPanel } from '../components/review-panel.js';
import { ExportedView, FileField, FILE_FIELD_ROWS } from '../components/config-file-panel.js';

export interface SettingsProps {
  config: EffectiveConfig | null;
  index: number;
  edit: FieldEdit | null;
  /** The import or export path field, while open. */
  fileEdit?: FieldEdit | null;
  exported?: Exported | null;
  error: { name: string; message: string } | null;
  width: number;
  height: number;
}

const NAME = 40;
const VALUE = 16;

const List = memo(function List({ config, index, edit, rows, width }: { config: EffectiveConfig; index: number; edit: FieldEdit | null; rows: number; width: number }) {
  const colors = useColors();
  const { start, end } = visibleWindow(index, SETTING_NAMES.length, rows);
  const sourceWidth = Math.max(8, width - NAME - VALUE - 4);
  return (
    <Box flexDirection="column" width={width} height={rows + 1}>
      <Text dimColor>{cell(`  ${'setting'.padEnd(NAME)}${'value'.padEnd(VALUE + 1)}source`, width)}</Text>
      {SETTING_NAMES.slice(start, end).map((name, i) => {
        const here = start + i === index;
        const v = config.values[name];
        const shown = SETTINGS[name].format(v.value as never) || '(none)';
        const marked = v.source !== 'default';
        return (
          <Box key={name} height={1}>
            <Text color={here ? colors.accent : undefined} bold={here}>
              {here ? '› ' : '  '}
              {cell(name, NAME)}
            </Text>
            {here && edit ? (
              <TextField edit={edit.text} width={VALUE} />
            ) : (
              <Text inverse={here} bold={marked}>{cell(shown, VALUE)}</Text>
            )}
            <Text color={v.source.startsWith('forced') || v.source.startsWith('disabled') || v.source.startsWith('raised') ? colors.warn : undefined} dimColor={v.source === 'default'}>
              {' '}
              {cell(v.source, sourceWidth)}
            </Text>
          </Box>
        );
      })}
    </Box>
  );
});

/** From this width the review stands beside the settings; below it, its findings replace the problem list. */
export const REVIEW_BESIDE = 120;

export function SettingsScreen(props: SettingsProps) {
  const { config, width, height, exported } = props;
  if (!config) return <Text dimColor>{cell(' settings appear once the producer is connected', width)}</Text>;
  if (width < REVIEW_BESIDE) {
    if (exported) return <ExportedView exported={exported} width={width} height={height} />;
    return <SettingsColumn {...props} config={config} compact />;
  }
  const panel = Math.min(76, Math.floor(width * 0.42));
  return (
    <Box width={width} height={height}>
      <SettingsColumn {...props} config={config} width={width - panel - 1} compact={false} />
      <Box width={1} />
      {exported ? <ExportedView exported={exported} width={panel} height={height} /> : <ReviewPanel config={config} width={panel} height={height} compact={false} />}
    </Box>
  );
}

function SettingsColumn({ config, index, edit, fileEdit, error, width, height, compact }: SettingsProps & { config: EffectiveConfig; compact: boolean }) {
  const colors = useColors();
  const name = SETTING_NAMES[index];
  const spec = SETTINGS[name];
  const problems = config.problems;
  const detailRows = Math.max(4, FILE_FIELD_ROWS);
  const problemRows = compact ? Math.max(3, Math.floor(height / 3)) : Math.min(Math.max(1, problems.length * 2), Math.max(2, Math.floor(height / 4)));
  const listRows = Math.max(3, height - 1 - detailRows - 1 - problemRows - 1);
  const explain = wrapWords(`${name}: ${spec.explain}`, width - 2, 2);
  // A source Kafka decided ("disabled by conflicting settings") is cut in the list at 80 columns: said whole here.
  const source = config.values[name].source;
  const decided = source === 'default' || source === 'user' ? '' : `${source} · `;
  const facts = `${decided}allowed: ${spec.allowed} · ${spec.applies === 'live' ? 'applies live' : 'needs a new producer (queued records are kept)'}`;
  const problemLines = problems.flatMap((p) => wrapWords(`${p.level === 'error' ? '✗' : p.level === 'warning' ? '!' : '·'} ${p.message}`, width - 2, 3).map((l) => ({ l, level: p.level })));
  const editError = edit?.error ?? (error && error.name === name ? error.message : null);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold>{cell(' Settings · ⏎ edit · ←/→ next value · d default · i import · x export', width)}</Text>
      <List config={config} index={index} edit={edit} rows={listRows} width={width} />
      {fileEdit ? (
        <FileField edit={fileEdit} width={width} />
      ) : (
      <Box flexDirection="column" height={detailRows}>
        {explain.map((l, i) => (
          <Text key={i}>{cell(` ${l}`, width)}</Text>
        ))}
        {editError ? (
          wrapWords(`✗ ${editError}`, width - 2, 2).map((l, i) => (
            <Text key={`e${i}`} color={colors.error} bold>
              {cell(` ${l}`, width)}
            </Text>
          ))
        ) : (
          <>
            <Text dimColor>{cell(` ${facts}`, width)}</Text>
            {spec.kafkajs ? <Text dimColor>{cell(` kafkajs: ${spec.kafkajs}`, width)}</Text> : null}
          </>
        )}
      </Box>
      )}
      {compact ? (
        <ReviewPanel config={config} width={width} height={problemRows + 1} compact />
      ) : (
      <>
      <Text bold>{cell(problems.length === 0 ? ' No conflicts: Kafka would accept this configuration as it is.' : ' What Kafka would say about this configuration:', width)}</Text>
      <Box flexDirection="column" height={problemRows} overflow="hidden">
        {problemLines.slice(0, problemRows).map((p, i) => (
          <Text key={i} color={p.level === 'error' ? colors.error : p.level === 'warning' ? colors.warn : undefined}>
            {cell(` ${p.l}`, width)}
          </Text>
        ))}
      </Box>
      </>
      )}
    </Box>
  );
}
