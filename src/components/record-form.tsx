// The Produce screen's record form: each field's label and value (the selected one highlighted, or its text field
// while edited), the key-to-partition preview under it, and the selected field's hint or the edit's error.
import { Box, Text } from 'ink';
import { Fragment, memo } from 'react';
import { TextField } from './text-field.js';
import { useColors } from './theme.js';
import { cell } from './format.js';
import { FIELDS, type ProduceForm } from '../state/input/produce-form.js';
import type { FieldEdit } from '../state/input/ui-store.js';

const LABEL = 14;

/** A field's value as the form shows it (what stands for an empty or automatic one). */
export function fieldText(form: ProduceForm, id: keyof ProduceForm): string {
  const v = form[id];
  if (id === 'key' && form.keyKind === 'null') return '(null: no key)';
  if (id === 'headers' && v.trim() === '') return '(none)';
  if (id === 'partition' && (v.trim() === '' || v.trim() === 'auto')) return 'auto (the partitioner decides)';
  return v;
}

/**
 * The form as ONE Ink text, its rows joined by newlines and styled in nested texts: Ink lays out, walks and writes
 * every node on every frame, memoized or not, and as a box and two texts per field the form was most of the
 * Produce screen's nodes (the same characters and styles, cell for cell).
 */
export const RecordForm = memo(function RecordForm({ form, formIndex, edit, width, preview }: { form: ProduceForm; formIndex: number; edit: FieldEdit | null; width: number; preview: readonly string[] }) {
  const colors = useColors();
  const valueWidth = Math.max(8, width - LABEL - 2);
  const selected = FIELDS[formIndex];
  const editing = edit?.target === 'form' ? edit : null;
  return (
    <Box flexDirection="column" width={width}>
      <Text>
        <Text bold>{cell(' Record', width)}</Text>
        {FIELDS.map((f, i) => {
          const here = i === formIndex;
          const choice = f.kind === 'choice' ? `‹ ${form[f.id]} ›` : null;
          return (
            <Fragment key={f.id}>
              {'\n'}
              <Text color={here ? colors.accent : undefined} bold={here}>
                {here ? '›' : ' '} {cell(f.label, LABEL - 1)}
              </Text>
              {here && editing ? <TextField edit={editing.text} width={valueWidth} /> : <Text inverse={here}>{cell(choice ?? fieldText(form, f.id), valueWidth)}</Text>}
            </Fragment>
          );
        })}
        {preview.map((l, i) => (
          <Fragment key={`p${i}`}>
            {'\n'}
            <Text color={colors.accent}>{cell(`${i === 0 ? ' ' : '   '}${l}`, width)}</Text>
          </Fragment>
        ))}
        {'\n'}
        {editing?.error ? (
          <Text color={colors.error} bold>
            {cell(` ✗ ${editing.error}`, width)}
          </Text>
        ) : (
          <Text dimColor>{cell(editing ? ' ⏎ apply · Esc cancel' : ` ${selected.hint}`, width)}</Text>
        )}
      </Text>
    </Box>
  );
});
