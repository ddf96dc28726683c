// The UI's own state as data: which screen, help and log overlays, the forms, selections and dialogs. UiStore
// (ui-store.ts) is the one place keys change it.
import type { BrokerAction } from '../../kafka/cluster/cluster-control.js';
import type { ExportFormat } from '../../kafka/producer/config/export-formats/index.js';
import type { SettingName } from '../../kafka/producer/config/settings.js';
import type { Exported } from './config-dialogs.js';
import type { Screen } from './keymap.js';
import { DEFAULT_FORM, type ProduceForm } from './produce-form.js';
import type { FieldEdit } from './text-edit.js';

export const RECORDS_LISTS = ['deliveries', 'dead', 'audit'] as const;
export type RecordsList = (typeof RECORDS_LISTS)[number];

export interface UiState {
  screen: Screen;
  help: boolean;
  form: ProduceForm;
  formIndex: number;
  edit: FieldEdit | null;
  settingIndex: number;
  settingError: { name: SettingName; message: string } | null;
  brokerIndex: number;
  confirm: { question: string; action: BrokerAction; broker: number } | null;
  recordsList: RecordsList;
  /** 0 is the newest record. */
  recordIndex: number;
  liveScroll: number;
  /** The Live chart zoomed to the whole screen: 0 none, 1..4 throughput, latency, in-flight, retries. */
  zoom: number;
  pipelineScroll: number;
  helpScroll: number;
  /** The log overlay (L) is open; logScroll lines back from the newest. */
  log: boolean;
  logScroll: number;
  quitting: boolean;
  /** The lab selected on the Labs screen, and whether its guided panel is open (or the list shows). */
  labIndex: number;
  labOpen: boolean;
  /** The file the Settings screen's x just wrote, shown until closed. */
  exported: Exported | null;
  /** The export format x offers first: the one used last. */
  exportFormat: ExportFormat;
}

export const initialUiState = (form: Partial<ProduceForm> = {}): UiState => ({
  screen: 'produce',
  help: false,
  form: { ...DEFAULT_FORM, ...form },
  formIndex: 1,
  edit: null,
  settingIndex: 0,
  settingError: null,
  brokerIndex: 0,
  confirm: null,
  recordsList: 'deliveries',
  recordIndex: 0,
  liveScroll: 0,
  zoom: 0,
  pipelineScroll: 0,
  helpScroll: 0,
  log: false,
  logScroll: 0,
  quitting: false,
  labIndex: 0,
  labOpen: false,
  exported: null,
  exportFormat: 'properties',
});
