// The UI's own state (screen, help, forms, selections) and the one place keys are turned into changes: each key is
// resolved through the keymap and applied synchronously, so a burst of keys is handled in order against the latest
// state, never a stale render. React reads this store like the lab store (useSyncExternalStore).
import type { BrokerAction } from '../../kafka/cluster/cluster-control.js';
import { parseSettingValue, SETTINGS, SETTING_NAMES, type SettingName } from '../../kafka/producer/config/settings.js';
import { helpColumns, TWO_COLUMNS } from './help-content.js';
import { resolveKey, SCREENS, type Command, type KeyName, type Scope, type Screen } from './keymap.js';
import { LABS } from '../../labs/catalog.js';
import { KAFKA_METRICS } from '../../kafka/producer/metrics/kafka-metrics.js';
import { moveSelection, type Move } from './list.js';
import { checkField, cycleChoice, FIELDS, MAX_RATE, type FieldId } from './produce-form.js';
import type { AppSnapshot } from '../store/snapshot.js';
import type { AppActions } from './app-actions.js';
import { commitFileField, cycleExportFormat, exportField, importField, scrollExported } from './config-dialogs.js';
import { editText, startEdit, type EditKey } from './text-edit.js';

export type { AppActions, TopicChange } from './app-actions.js';
export type { FieldEdit } from './text-edit.js';
export { initialUiState, RECORDS_LISTS, type RecordsList, type UiState } from './ui-state.js';
import type { TopicChange } from './app-actions.js';
import { initialUiState, RECORDS_LISTS, type UiState } from './ui-state.js';


const PIPELINE_ROWS = KAFKA_METRICS.length;

const BROKER_COMMANDS: Partial<Record<Command, BrokerAction>> = {
  'broker-stop': 'stop',
  'broker-crash': 'crash',
  'broker-pause': 'pause',
  'broker-resume': 'resume',
  'broker-start': 'start',
};

const EDIT_KEYS: Record<string, EditKey> = {
  left: 'left', right: 'right', home: 'home', end: 'end', backspace: 'backspace', delete: 'delete', 'ctrl-u': 'ctrl-u', 'ctrl-w': 'ctrl-w',
};

const hasSettings = (s: object | undefined) => s !== undefined && Object.keys(s).length > 0;

export class UiStore {
  private state: UiState;
  private listeners = new Set<() => void>();
  /** Per setting, the value last asked for with ←/→ and the one shown then (see runSettings). */
  private readonly requested = new Map<string, { from: string; to: string }>();
  /** The terminal's size, for scrolling limits (the App tells it on every resize). */
  private view = { columns: 80, rows: 24 };

  constructor(
    private readonly actions: AppActions,
    private readonly lab: () => AppSnapshot,
    initial: UiState = initialUiState(),
  ) {
    this.state = initial;
  }

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  getSnapshot = (): UiState => this.state;

  setViewport(columns: number, rows: number): void {
    this.view = { columns, rows };
  }

  private set(patch: Partial<UiState>): void {
    this.state = { ...this.state, ...patch };
    for (const l of [...this.listeners]) l();
  }

  /** Where keys are looked up right now, most specific first. */
  scopes(): Scope[] {
    const s = this.state;
    // While quitting only global keys work, so q (or Ctrl+C) again stops waiting for the flush.
    if (s.quitting) return ['global'];
    if (s.edit) return s.edit.target === 'export' ? ['export', 'edit'] : ['edit'];
    if (s.log) return ['log', 'global'];
    if (s.exported && s.screen === 'settings' && !s.help) return ['exported', 'global'];
    if (s.confirm) return ['confirm'];
    if (s.help) return ['help', 'global'];
    // The Labs screen does not use the playground's cluster: its r runs a lab even when that cluster is unreachable.
    const offline = this.lab().connection.phase === 'failed' && s.screen !== 'labs' ? (['offline'] as Scope[]) : [];
    return [...offline, s.screen, 'global'];
  }

  handleKey(key: KeyName): void {
    const command = resolveKey(key, this.scopes());
    if (command) this.run(command);
    else if (this.state.edit) this.typeInto(key);
  }

  private typeInto(key: KeyName): void {
    const edit = this.state.edit!;
    const k: EditKey | undefined = EDIT_KEYS[key] ?? (key === 'space' ? { text: ' ' } : [...key].length === 1 ? { text: key } : undefined);
    if (k) this.set({ edit: { ...edit, text: editText(edit.text, k), error: null } });
  }

  /** Pasted text goes into a focused field as one piece. */
  paste(text: string): void {
    if (this.state.edit) this.set({ edit: { ...this.state.edit, text: editText(this.state.edit.text, { text }), error: null } });
  }

  run(command: Command): void {
    const s = this.state;
    const screenIndex = SCREENS.indexOf(s.screen);
    switch (command) {
      case 'screen-produce': case 'screen-live': case 'screen-settings': case 'screen-cluster': case 'screen-records': case 'screen-labs': case 'screen-transactions': case 'screen-pipeline':
        return this.set({ screen: command.slice('screen-'.length) as Screen, help: false, log: false });
      case 'next-screen':
        return this.set({ screen: SCREENS[(screenIndex + 1) % SCREENS.length], help: false, log: false });
      case 'prev-screen':
        return this.set({ screen: SCREENS[(screenIndex + SCREENS.length - 1) % SCREENS.length], help: false, log: false });
      case 'help':
        return this.set({ help: !s.help, helpScroll: 0, log: false });
      case 'log':
        return this.set({ log: !s.log, logScroll: 0, help: false });
      case 'close':
        return this.set({ help: false, log: false });
      case 'quit':
        if (!s.quitting) this.set({ quitting: true, edit: null, confirm: null, help: false, log: false });
        return this.actions.quit(s.quitting);
      case 'retry':
        return this.actions.retry();
      case 'commit':
        return this.commit();
      case 'next-format':
      case 'prev-format':
        return s.edit ? this.set({ edit: cycleExportFormat(s.edit, command === 'next-format' ? 1 : -1) }) : undefined;
      case 'close-exported':
        return this.set({ exported: null });
      case 'cancel':
        return this.set({ edit: null });
      case 'confirm-yes':
        if (s.confirm) void this.actions.brokerAction(s.confirm.action, s.confirm.broker, true);
        return this.set({ confirm: null });
      case 'confirm-no':
        return this.set({ confirm: null });
      case 'txn-begin':
        return this.actions.transaction('begin');
      case 'txn-commit':
        return this.actions.transaction('commit');
      case 'txn-abort':
        return this.actions.transaction('abort');
      default:
        if (s.help && (command === 'up' || command === 'down')) {
          const [left, right] = helpColumns(s.screen, this.view.columns >= TWO_COLUMNS);
          const max = Math.max(0, Math.max(left.length, right.length) - (this.view.rows - 5));
          return this.set({ helpScroll: Math.max(0, Math.min(max, s.helpScroll + (command === 'up' ? -1 : 1))) });
        }
        if (s.log && (command === 'up' || command === 'down')) {
          // Up goes back in time: the scroll counts lines back from the newest.
          const max = Math.max(0, this.lab().log.length - 1);
          return this.set({ logScroll: Math.max(0, Math.min(max, s.logScroll + (command === 'up' ? 1 : -1))) });
        }
        return this.runOnScreen(command);
    }
  }

  private runOnScreen(command: Command): void {
    const s = this.state;
    const move = ({ up: 'up', down: 'down', 'page-up': 'page-up', 'page-down': 'page-down' } as Record<string, Move>)[command];
    switch (s.screen) {
      case 'produce':
        if (move) return this.set({ formIndex: moveSelection(s.formIndex, move, FIELDS.length) });
        return this.runProduce(command);
      case 'live':
        if (move) return this.set({ liveScroll: moveSelection(s.liveScroll, move, this.lab().partitions.length) });
        if (command === 'zoom') return this.set({ zoom: (s.zoom + 1) % 5 });
        return;
      case 'pipeline':
        if (move) return this.set({ pipelineScroll: moveSelection(s.pipelineScroll, move, PIPELINE_ROWS) });
        return;
      case 'settings':
        if (s.exported && (command === 'up' || command === 'down')) return this.set({ exported: scrollExported(s.exported, command === 'up' ? -1 : 1) });
        if (move) return this.set({ settingIndex: moveSelection(s.settingIndex, move, SETTING_NAMES.length) });
        return this.runSettings(command);
      case 'cluster':
        if (move) return this.set({ brokerIndex: moveSelection(s.brokerIndex, move, this.lab().brokers.length) });
        return this.runCluster(command);
      case 'records':
        if (move) return this.set({ recordIndex: moveSelection(s.recordIndex, move, this.recordCount()) });
        return this.runRecords(command);
      case 'labs':
        if (move) return this.set({ labIndex: moveSelection(s.labIndex, move, LABS.length) });
        return this.runLabs(command);
      case 'transactions':
        if (command === 'send-one') return this.actions.sendOne(s.form);
        if (command === 'send-n') return this.actions.sendN(s.form);
        return;
    }
  }

  private runLabs(command: Command): void {
    const lab = LABS[this.state.labIndex];
    switch (command) {
      case 'lab-open':
        return this.set({ labOpen: true });
      case 'lab-back':
        return this.set({ labOpen: false });
      case 'lab-run':
      case 'lab-try-next':
      {
        // Running shows the guided panel: that is where its steps, counts and verdict are. A suggestion that is
        // another lab (acks0 -> acks1) moves the panel to that lab.
        const other = command === 'lab-try-next' && !hasSettings(lab.tryNext.settings) && lab.tryNext.lab ? LABS.findIndex((l) => l.name === lab.tryNext.lab) : -1;
        const idle = this.lab().labs.running === null;
        this.set({ labOpen: true, labIndex: other >= 0 && idle ? other : this.state.labIndex });
        return this.actions.runLab(lab.name, command === 'lab-try-next');
      }
      case 'lab-abort':
        return this.actions.abortLab();
      default:
        return;
    }
  }

  private runProduce(command: Command): void {
    const s = this.state;
    const field = FIELDS[s.formIndex];
    switch (command) {
      case 'edit':
        if (field.kind === 'choice') return this.set({ form: cycleChoice(s.form, field.id, 1) });
        return this.set({ edit: { target: 'form', id: field.id, text: startEdit(s.form[field.id]), error: null } });
      case 'next-choice':
      case 'prev-choice':
        return this.set({ form: cycleChoice(s.form, field.id, command === 'next-choice' ? 1 : -1) });
      case 'send-one':
        return this.actions.sendOne(s.form);
      case 'send-n':
        return this.actions.sendN(s.form);
      case 'toggle-rate':
        return this.actions.toggleRate(s.form);
      case 'rate-up':
      case 'rate-down': {
        const now = Number(s.form.rate) || 1;
        const next = Math.max(1, Math.min(MAX_RATE, command === 'rate-up' ? now * 2 : Math.floor(now / 2)));
        const form = { ...s.form, rate: String(next) };
        this.set({ form });
        return this.actions.updateRate(form);
      }
      default:
        return;
    }
  }

  private runSettings(command: Command): void {
    const name = SETTING_NAMES[this.state.settingIndex];
    const spec = SETTINGS[name];
    const current = this.lab().config?.settings[name];
    const shown = current === undefined ? '' : spec.format(current as never);
    switch (command) {
      case 'edit':
        return this.set({ edit: { target: 'setting', id: name, text: startEdit(shown), error: null }, settingError: null });
      case 'next-choice':
      case 'prev-choice': {
        const choices = spec.choices;
        if (!choices) return this.set({ settingError: { name, message: `${name} takes ${spec.allowed}: press Enter to type a value` } });
        // Keys pressed faster than the screen updates cycle on from the value last asked for, not the one still shown.
        const pending = this.requested.get(name);
        const i = choices.indexOf(pending && pending.from === shown ? pending.to : shown);
        const next = choices[(i + (command === 'next-choice' ? 1 : -1) + choices.length) % choices.length];
        this.requested.set(name, { from: shown, to: next });
        return this.apply(name, next);
      }
      case 'reset-setting':
        return this.apply(name, null);
      case 'config-import':
        return this.set({ edit: importField(), settingError: null });
      case 'config-export':
        return this.set({ edit: exportField(this.state.exportFormat), settingError: null });
      default:
        return;
    }
  }

  private apply(name: SettingName, text: string | null): void {
    this.set({ settingError: null });
    void this.actions.applySetting(name, text).then((error) => {
      if (error) this.set({ settingError: { name, message: error } });
    });
  }

  private runCluster(command: Command): void {
    const brokers = this.lab().brokers;
    const broker = brokers[Math.min(this.state.brokerIndex, brokers.length - 1)];
    const action = BROKER_COMMANDS[command];
    if (action) {
      if (!broker) return;
      void this.actions.brokerAction(action, broker.id, false).then((question) => {
        if (question) this.set({ confirm: { question, action, broker: broker.id } });
      });
      return;
    }
    const topic = ({ 'min-isr-up': 'min-isr-up', 'min-isr-down': 'min-isr-down', 'unclean-toggle': 'unclean-toggle', 'retention-next': 'retention-next' } as const)[command as 'min-isr-up'];
    if (topic) return this.actions.topicSetting?.(topic as TopicChange);
    const fault = ({ 'fault-drop': 'drop', 'fault-delay': 'delay', 'fault-error': 'error', 'fault-error-after': 'error-after', 'fault-clear': 'clear' } as const)[
      command as 'fault-drop'
    ];
    if (fault) this.actions.fault(fault);
  }

  private recordCount(): number {
    const lab = this.lab();
    const list = this.state.recordsList;
    return list === 'dead' ? lab.deadLetters.length : list === 'audit' ? (lab.audit?.findings.length ?? 0) : lab.deliveries.length;
  }

  private runRecords(command: Command): void {
    const s = this.state;
    switch (command) {
      case 'list-next':
      case 'list-prev':
        return this.set({ recordsList: RECORDS_LISTS[(RECORDS_LISTS.indexOf(s.recordsList) + (command === 'list-next' ? 1 : 2)) % 3], recordIndex: 0 });
      case 'resend': {
        if (s.recordsList !== 'dead') return this.set({ recordsList: 'dead', recordIndex: 0 });
        const dead = this.lab().deadLetters;
        const picked = dead[dead.length - 1 - s.recordIndex];
        if (picked) this.actions.resend([picked.report.id]);
        return;
      }
      case 'resend-all':
        return this.actions.resend();
      default:
        return;
    }
  }

  private commit(): void {
    const edit = this.state.edit;
    if (!edit) return;
    if (edit.target === 'form') {
      const id = edit.id as FieldId;
      const error = checkField(id, edit.text.value);
      if (error) return this.set({ edit: { ...edit, error } });
      const form = { ...this.state.form, [id]: id === 'topic' ? edit.text.value.trim() : edit.text.value };
      this.set({ form, edit: null });
      if (id === 'topic') this.actions.setTopic(form.topic);
      if (id === 'rate' || id === 'keySpace' || id === 'key' || id === 'value') this.actions.updateRate(form);
      return;
    }
    if (edit.target === 'import' || edit.target === 'export') {
      return commitFileField(edit, this.actions, {
        get: () => this.state,
        set: (patch) => this.set(patch),
      });
    }
    const name = edit.id as SettingName;
    // A value that does not parse keeps the field open at once, so keys typed right after still land in it.
    const parsed = parseSettingValue(name, edit.text.value);
    if (!parsed.ok) return this.set({ edit: { ...edit, error: parsed.error } });
    // Applying can take a while (a new producer connects): the field closes now, so the next keys navigate.
    // Refused (a conflict), the field comes back with the value and the reason, if the user is still there.
    this.set({ edit: null, settingError: null });
    void this.actions.applySetting(name, edit.text.value).then((error) => {
      if (!error) return;
      const s = this.state;
      const stillHere = s.screen === 'settings' && SETTING_NAMES[s.settingIndex] === name && !s.edit && !s.help;
      this.set(stillHere ? { edit: { ...edit, error } } : { settingError: { name, message: error } });
    });
  }
}
