// The Produce form is drawn as one Ink text with nested styled texts (fewer nodes for Ink to lay out and draw every
// frame). It must give the terminal the very same characters and styles as the layout it replaced: a box per field
// holding a label text and a value text (kept below as the reference), selected, edited, refused, in colour or not.
import { Box, Text } from 'ink';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { withFullColour } from '../helpers/full-colour.js';
import { cell } from '../../src/components/format.js';
import { fieldText, RecordForm } from '../../src/components/record-form.js';
import { TextField } from '../../src/components/text-field.js';
import { ColorContext, useColors } from '../../src/components/theme.js';
import { DEFAULT_FORM, FIELDS, type ProduceForm } from '../../src/state/input/produce-form.js';
import { startEdit, type FieldEdit } from '../../src/state/input/text-edit.js';

const LABEL = 14;

/** The form as it was drawn before: a box per field with its label and its value as texts of their own. */
function ReferenceForm({ form, formIndex, edit, width, preview }: { form: ProduceForm; formIndex: number; edit: FieldEdit | null; width: number; preview: readonly string[] }) {
  const colors = useColors();
  const valueWidth = Math.max(8, width - LABEL - 2);
  const selected = FIELDS[formIndex];
  const editing = edit?.target === 'form' ? edit : null;
  return (
    <Box flexDirection="column" width={width}>
      <Text bold>{cell(' Record', width)}</Text>
      {FIELDS.map((f, i) => {
        const here = i === formIndex;
        const choice = f.kind === 'choice' ? `‹ ${form[f.id]} ›` : null;
        return (
          <Box key={f.id} height={1}>
            <Text color={here ? colors.accent : undefined} bold={here}>
              {here ? '›' : ' '} {cell(f.label, LABEL - 1)}
            </Text>
            {here && editing ? <TextField edit={editing.text} width={valueWidth} /> : <Text inverse={here}>{cell(choice ?? fieldText(form, f.id), valueWidth)}</Text>}
          </Box>
        );
      })}
      {preview.map((l, i) => (
        <Text key={i} color={colors.accent}>
          {cell(`${i === 0 ? ' ' : '   '}${l}`, width)}
        </Text>
      ))}
      {editing?.error ? <Text color={colors.error} bold>{cell(` ✗ ${editing.error}`, width)}</Text> : <Text dimColor>{cell(editing ? ' ⏎ apply · Esc cancel' : ` ${selected.hint}`, width)}</Text>}
    </Box>
  );
}

const preview = ['-> partition 2: murmur2 = 1404122828, toPositive = 1404122828, % 6 = 2', 'same key, same partition; templates {{seq}} {{uuid}}'];
const edit = (text: string, error: string | null = null): FieldEdit => ({ target: 'form', id: 'key', text: startEdit(text), error });

withFullColour();

describe('RecordForm', () => {
  const cases: [string, { formIndex: number; edit: FieldEdit | null; width: number; color: boolean; form?: ProduceForm }][] = [
    ['the first field selected, 120 columns', { formIndex: 0, edit: null, width: 79, color: true }],
    ['a choice selected', { formIndex: 2, edit: null, width: 79, color: true }],
    ['the rate selected, 80 columns', { formIndex: 8, edit: null, width: 49, color: true }],
    ['the key edited', { formIndex: 1, edit: edit('order-7'), width: 79, color: true }],
    ['an edit refused', { formIndex: 1, edit: edit('{{bad', 'unknown template {{bad}'), width: 49, color: true }],
    ['a null key, no colour', { formIndex: 3, edit: null, width: 79, color: false, form: { ...DEFAULT_FORM, keyKind: 'null', headers: 'a=1' } }],
  ];
  for (const [name, c] of cases) {
    it(`draws the same cells as a box per field: ${name}`, () => {
      const form = c.form ?? DEFAULT_FORM;
      const props = { form, formIndex: c.formIndex, edit: c.edit, width: c.width, preview };
      const now = render(<ColorContext.Provider value={c.color}><RecordForm {...props} /></ColorContext.Provider>);
      const before = render(<ColorContext.Provider value={c.color}><ReferenceForm {...props} /></ColorContext.Provider>);
      expect(now.lastFrame()).toBe(before.lastFrame());
      // Styled where asked: the reference draws colour and inverse here.
      if (c.color) expect(now.lastFrame()).toMatch(/\u001b\[/);
      now.unmount();
      before.unmount();
    });
  }
});
