// The Settings screen's two file fields: i (import a configuration file) and x (export the settings in a chosen
// format, Tab cycling the formats, then show what was written). A failure keeps the field open with the reason.
import { EXPORT_FORMATS, FORMAT_FILES, type ExportFormat } from '../../kafka/producer/config/export-formats/index.js';
import { startEdit } from './text-edit.js';
import type { AppActions } from './app-actions.js';
import type { FieldEdit } from './text-edit.js';

export interface Exported {
  path: string;
  format: ExportFormat;
  text: string;
  /** First line shown. */
  scroll: number;
}

export function importField(): FieldEdit {
  return { target: 'import', id: 'path', text: startEdit(''), error: null };
}

export function exportField(format: ExportFormat): FieldEdit {
  return { target: 'export', id: format, text: startEdit(FORMAT_FILES[format]), error: null };
}

/** Next format; the file name follows when it is still the previous format's default name (in whatever folder). */
export function cycleExportFormat(edit: FieldEdit, step: 1 | -1): FieldEdit {
  if (edit.target !== 'export') return edit;
  const from = edit.id as ExportFormat;
  const to = EXPORT_FORMATS[(EXPORT_FORMATS.indexOf(from) + step + EXPORT_FORMATS.length) % EXPORT_FORMATS.length];
  const path = edit.text.value;
  const renamed = path === FORMAT_FILES[from] || path.endsWith(`/${FORMAT_FILES[from]}`) ? path.slice(0, path.length - FORMAT_FILES[from].length) + FORMAT_FILES[to] : path;
  return { ...edit, id: to, text: renamed === path ? edit.text : startEdit(renamed), error: null };
}

interface StateAccess {
  get(): { readonly screen: string; readonly help: boolean; readonly edit: FieldEdit | null };
  set(patch: { edit?: FieldEdit | null; settingError?: null; exportFormat?: ExportFormat; exported?: Exported }): void;
}

/** Enter in a file field: the field closes at once (keys typed next navigate); an error brings it back. */
export function commitFileField(edit: FieldEdit, actions: AppActions, state: StateAccess): void {
  const path = edit.text.value.trim();
  if (path === '') return state.set({ edit: { ...edit, error: 'type a file path' } });
  state.set({ edit: null, settingError: null });
  const reopen = (error: string) => {
    const s = state.get();
    if (s.screen === 'settings' && !s.edit && !s.help) state.set({ edit: { ...edit, error } });
  };
  if (edit.target === 'import') {
    void actions.importConfig(path).then((error) => {
      if (error) reopen(error);
    });
    return;
  }
  const format = edit.id as ExportFormat;
  state.set({ exportFormat: format });
  void actions.exportConfig(format, path).then((written) => {
    if (typeof written === 'string') reopen(written);
    else state.set({ exported: { path: written.path, format, text: written.text, scroll: 0 } });
  });
}

export function scrollExported(exported: Exported, step: 1 | -1): Exported {
  const max = Math.max(0, exported.text.split('\n').length - 3);
  return { ...exported, scroll: Math.max(0, Math.min(max, exported.scroll + step)) };
}
