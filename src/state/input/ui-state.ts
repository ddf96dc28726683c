// The UI store's shapes: what keys can ask of the session (AppActions), the UI's state and where it starts.
import type { BrokerAction } from '../../kafka/cluster/cluster-control.js';
import type { SettingName } from '../../kafka/producer/config/settings.js';
import type { Screen } from './keymap.js';
import { DEFAULT_FORM, type ProduceForm } from './produce-form.js';
import type { TextEdit } from './text-edit.js';

/** What keys can make happen outside the UI: implemented by the lab session (engine, cluster, producer loop). */
export interface AppActions {
  sendOne(form: ProduceForm): void;
  sendN(form: ProduceForm): void;
  toggleRate(form: ProduceForm): void;
  /** The rate (or another loop field) changed while the loop runs. */
  updateRate(form: ProduceForm): void;
  setTopic(topic: string): void;
  /** Resolves with an error message (nothing changed) or null (applied). */
  applySetting(name: SettingName, text: string | null): Promise<string | null>;
  /** Resolves with a question when the action needs confirming (nothing done yet). */
  brokerAction(action: BrokerAction, broker: number, confirmed: boolean): Promise<string | null>;
  fault(kind: 'drop' | 'delay' | 'error' | 'error-after' | 'clear'): void;
  resend(ids?: number[]): void;
  retry(): void;
  quit(force: boolean): void;
  /** Runs a lab in its own built-in cluster; tryNext: with its "try this next" change. */
  runLab(name: string, tryNext: boolean): void;
  abortLab(): void;
  transaction(kind: 'begin' | 'commit' | 'abort'): void;
  /** Changes the topic's min.insync.replicas, unclean leader election or retention (Cluster screen). */
  topicSetting?(change: TopicChange): void;
}

export type TopicChange = 'min-isr-up' | 'min-isr-down' | 'unclean-toggle' | 'retention-next';

export interface FieldEdit {
  target: 'form' | 'setting';
  id: string;
  text: TextEdit;
  error: string | null;
}

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
  quitting: boolean;
  /** The lab selected on the Labs screen, and whether its guided panel is open (or the list shows). */
  labIndex: number;
  labOpen: boolean;
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
  quitting: false,
  labIndex: 0,
  labOpen: false,
});
