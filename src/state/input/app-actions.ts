// What keys can make happen outside the UI: the lab session implements it (engine, cluster, producer loop, files).
import type { BrokerAction } from '../../kafka/cluster/cluster-control.js';
import type { ExportFormat } from '../../kafka/producer/config/export-formats/index.js';
import type { SettingName } from '../../kafka/producer/config/settings.js';
import type { ProduceForm } from './produce-form.js';

export interface AppActions {
  sendOne(form: ProduceForm): void;
  sendN(form: ProduceForm): void;
  toggleRate(form: ProduceForm): void;
  /** The rate (or another loop field) changed while the loop runs. */
  updateRate(form: ProduceForm): void;
  setTopic(topic: string): void;
  /** Resolves with an error message (nothing changed) or null (applied). */
  applySetting(name: SettingName, text: string | null): Promise<string | null>;
  /** Imports a configuration file into the producer; resolves with an error message, or null when applied. */
  importConfig(path: string): Promise<string | null>;
  /** Exports the producer's settings to a file; resolves with what was written, or an error message. */
  exportConfig(format: ExportFormat, path: string): Promise<{ text: string; path: string } | string>;
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

