// The Settings screen's file field (i import, x export with Tab for the format) and the view of a file just exported.
import { Box, Text } from 'ink';
import { FORMAT_TITLES, type ExportFormat } from '../state/config-review-view.js';
import type { Exported } from '../state/input/config-dialogs.js';
import type { FieldEdit } from '../state/input/text-edit.js';
import { cell, wrapWords } from './format.js';
import { TextField } from './text-field.js';
import { useColors } from './theme.js';

export const FILE_FIELD_ROWS = 4;

export function FileField({ edit, width }: { edit: FieldEdit; width: number }) {
  const colors = useColors();
  const importing = edit.target === 'import';
  const title = importing
    ? ' Import a configuration: producer.properties, application.yml or .properties, a .java ProducerFactory, kafkajs .json or .js'
    : ` Export as ${FORMAT_TITLES[edit.id as ExportFormat]} · Tab next format`;
  const label = importing ? ' file: ' : ' to:   ';
  return (
    <Box flexDirection="column" height={FILE_FIELD_ROWS}>
      <Text bold>{cell(title, width)}</Text>
      <Box>
        <Text>{label}</Text>
        <TextField edit={edit.text} width={Math.max(10, width - label.length - 1)} />
      </Box>
      {edit.error ? (
        wrapWords(`✗ ${edit.error}`, width - 2, 2).map((l, i) => (
          <Text key={i} color={colors.error} bold>
            {cell(` ${l}`, width)}
          </Text>
        ))
      ) : (
        <Text dimColor>{cell(` ⏎ ${importing ? 'import: the producer runs the file\'s settings, the rest at their defaults' : 'write the file and show it'} · Esc cancel`, width)}</Text>
      )}
    </Box>
  );
}

export function ExportedView({ exported, width, height }: { exported: Exported; width: number; height: number }) {
  const lines = exported.text.replace(/\n$/, '').split('\n');
  const shown = lines.slice(exported.scroll, exported.scroll + height - 2);
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <Text bold inverse>{cell(` Wrote ${exported.path}`, width)}</Text>
      <Text dimColor>{cell(` ${FORMAT_TITLES[exported.format]} · ↑↓ scroll · Esc close`, width)}</Text>
      {shown.map((l, i) => (
        <Text key={i}>{cell(` ${l}`, width)}</Text>
      ))}
    </Box>
  );
}
