// The lab session: connects (cluster, topic, engine) and reconnects on request, carries out what keys ask for
// (AppActions), and quits within a bound: stop producing, flush for at most flushTimeoutMs, leave (at once on a second
// quit) with one summary of every record. Failures become messages in the store, never exceptions in the UI.
import type { BrokerAction } from '../kafka/cluster/cluster-control.js';
import type { ClusterHandle } from '../kafka/cluster/open-cluster.js';
import { ProducerEngine, type EngineOptions } from '../kafka/producer/producer-engine.js';
import { parseSettingValue, type ProducerSettings, type SettingName } from '../kafka/producer/config/settings.js';
import type { ClientTarget } from '../kafka/cluster/clients.js';
import { ensureTopic as defaultEnsureTopic, type TopicReady } from '../kafka/cluster/topic-setup.js';
import { LabRuns, type RunLab } from './lab-runs.js';
import { ProducerLoop } from './producer-loop.js';
import { ClusterPolls } from './cluster-polls.js';
import { DeliveryTally, exitCodeFor, flushText, summaryLines, type QuitHow } from './quit-summary.js';
import { LiveAuditFeed } from './live-audit-feed.js';
import { TransactionSteps } from './transaction-steps.js';
import { KafkaMetrics } from '../kafka/producer/metrics/kafka-metrics.js';
import { TopicSettingsService } from './topic-settings-service.js';
import { brokerWindows } from './broker-windows.js';
import type { TopicChange } from './input/app-actions.js';
import type { ProduceForm } from './input/produce-form.js';
import type { AppStore } from './store/app-store.js';
import type { AppActions } from './input/ui-store.js';
import { exportConfigFile, importConfigFile } from './config-files.js';
import { FORMAT_TITLES, type ExportFormat } from '../kafka/producer/config/export-formats/index.js';
import { plural } from '../kafka/producer/plural.js';

export interface SessionOptions {
  store: AppStore;
  openCluster: () => Promise<ClusterHandle>;
  topic: string;
  settings?: Partial<ProducerSettings>;
  startEngine?: (opts: EngineOptions) => Promise<ProducerEngine>;
  ensureTopic?: (client: ClientTarget, topic: string) => Promise<TopicReady>;
  /** How long quitting waits for queued records (default 5000 ms); closing gets a little more, then the app leaves. */
  flushTimeoutMs?: number;
  /** The Labs screen's runner (tests pass a faster or fake one); the real runner by default. */
  runLab?: RunLab;
  /** How often the LSO and HW are read for the Transactions screen (default 1000 ms). */
  offsetsIntervalMs?: number;
  /** Called once when the session has shut down: the exit code and the summary to print after the screen is restored. */
  onExit: (summary: { code: number; message: string }) => void;
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

export class AppSession implements AppActions {
  private cluster: ClusterHandle | null = null;
  engine: ProducerEngine | null = null;
  private loop: ProducerLoop | null = null;
  private stopEvents: (() => void) | null = null;
  private stopContainers: (() => void) | null = null;
  private connecting = false;
  private closing = false;
  private topic: string;
  readonly labs: LabRuns;
  private polls: ClusterPolls | null = null;
  private readonly tally = new DeliveryTally();
  private exited = false;
  private audit: LiveAuditFeed | null = null;
  private readonly txnSteps = new TransactionSteps(() => this.engine?.transactions.isOpen ?? false);
  private topicSettings: TopicSettingsService | null = null;

  constructor(private readonly opts: SessionOptions) {
    this.topic = opts.topic;
    this.labs = new LabRuns({ publish: (v) => opts.store.setLabs(v), notify: (level, text) => opts.store.notify(level, text), runLab: opts.runLab });
  }

  private get store(): AppStore {
    return this.opts.store;
  }

  /** Opens the cluster (once), creates the topic if missing, starts the engine. Failure: a message and a retry key. */
  async connect(): Promise<void> {
    if (this.connecting || this.engine || this.closing) return;
    this.connecting = true;
    try {
      this.store.setConnection('connecting', 'looking for a cluster...');
      const opened = !this.cluster;
      this.cluster ??= await this.opts.openCluster();
      const c = this.cluster;
      const info = {
        label: c.name,
        settingsChanged: c.settingsChanged,
        kind: c.kind,
        note: c.note,
        canControl: c.control !== null,
        canInjectFaults: Boolean(c.control?.faults),
        controlProblem: c.controlProblem,
        security: c.security,
      };
      this.store.setCluster({ ...info, containers: c.containers?.current() });
      this.stopContainers ??= c.containers?.on((lines) => this.store.setCluster({ ...info, containers: lines })) ?? null;
      if (c.note) this.store.addEvent('info', c.note);
      // Once per cluster, not on every reconnect.
      if (opened) for (const w of c.warnings) this.store.addEvent('warn', w);
      this.stopEvents ??= c.events?.((level, text) => this.store.addEvent(level, text)) ?? null;
      this.store.setConnection('connecting', `connecting to ${c.name}...`);
      const ready = await (this.opts.ensureTopic ?? defaultEnsureTopic)(c.client, this.topic);
      // A cluster that reports its own events (the built-in one) already said "topic created".
      if (!(ready.created && c.events)) this.store.addEvent('info', ready.message);
      const start = this.opts.startEngine ?? ((o: EngineOptions) => ProducerEngine.start(o));
      const engine = await start({ brokers: c.brokers, clientId: 'kafka-producer-tui', settings: this.opts.settings, ...c.engineOptions });
      await engine.partitionsFor(this.topic).catch(() => {});
      if (this.closing) {
        await engine.close(1000);
        return;
      }
      this.engine = engine;
      this.audit ??= new LiveAuditFeed(this.store, c.client);
      const isolation = () => (engine.config.settings['transactional.id'] ? 'read_committed' : 'read_uncommitted');
      this.audit.start(this.topic, isolation());
      // A transactional producer is audited as its applications read it (read_committed), from now on.
      let aborted = engine.transactions.view().aborted;
      engine.on((e) => {
        if (e.t === 'delivered') this.tally.onDelivered(e.batch);
        if (e.t === 'settings' && e.changed.includes('transactional.id') && this.audit?.isolation !== isolation()) this.audit?.start(this.topic, isolation());
        if (e.t === 'transaction' && e.view.aborted > aborted) this.audit?.transactionAborted();
        if (e.t === 'transaction') aborted = e.view.aborted;
      });
      this.loop = new ProducerLoop(engine, this.store, (w) => this.audit?.track(w));
      const metrics = new KafkaMetrics(engine);
      const windows = brokerWindows(c);
      this.store.setPipelineSource(() => ({ metrics: metrics.values(), sequences: windows(engine.partitionSequences(this.topic)) }));
      engine.on((e) => {
        if (e.t === 'epoch-bump') this.store.addEvent('warn', `producer ${e.producerId}: epoch bumped ${e.from} -> ${e.to}, sequences start again at 0 (${e.why})`);
      });
      this.store.attach(engine, { requests: c.requests, faults: c.control?.faults ? () => c.control!.faults!.listFaults() : undefined, brokerEvents: Boolean(c.events) });
      this.store.setConnection('ready', '');
      if (c.topicConfigs && !this.topicSettings) {
        this.topicSettings = new TopicSettingsService(this.store, c.topicConfigs, () => this.topic, () => this.engine?.partitionViews(this.topic)[0]?.replicas.length ?? 0);
        this.topicSettings.start();
      }
      this.polls = new ClusterPolls(c, this.store, () => this.topic, this.opts.offsetsIntervalMs ?? 1000);
      // When the user did not choose the cluster, the first line they read says which one and why.
      this.store.notify('ok', c.note ? c.note : `connected to ${c.name}: s sends one record to ${this.topic}, ? shows every key`);
    } catch (e) {
      const where = this.cluster ? this.cluster.name : 'the cluster';
      this.store.setConnection('failed', `cannot use ${where}: ${errorText(e)}`);
    } finally {
      this.connecting = false;
    }
  }

  /** The Produce screen's current run, for an audit of the whole run (tests compare it with the live one). */
  runLedger() {
    return this.loop?.ledger() ?? null;
  }

  retry(): void {
    void this.connect();
  }

  /** The engine, or a message saying why there is none yet. */
  private ready(): ProducerEngine | null {
    if (!this.engine) this.store.notify('error', this.closing ? 'quitting: nothing more is sent' : 'not connected yet: no records can be sent');
    return this.engine;
  }

  /**
   * The engine when records may be sent now. A transactional producer refuses sends outside a transaction (Java
   * throws IllegalStateException): say what to press instead of queueing records that can only fail.
   */
  private canSend(): ProducerEngine | null {
    const engine = this.ready();
    if (!engine || !engine.config.settings['transactional.id'] || engine.transactions.isOpen) return engine;
    const refused = engine.transactions.refusal();
    this.store.notify('error', engine.transactions.isFenced && refused ? refused.message : 'transactional.id is set: begin a transaction (b) first');
    return null;
  }

  sendOne(form: ProduceForm): void {
    this.txnSteps.after(() => this.canSend() && this.txnSteps.sending(this.loop!.sendOne(form)));
  }

  sendN(form: ProduceForm): void {
    this.txnSteps.after(() => this.canSend() && this.txnSteps.sending(this.loop!.sendN(form)));
  }

  toggleRate(form: ProduceForm): void {
    // Stopping the loop is always allowed.
    this.txnSteps.after(() => (this.loop?.stats()?.ratePerSec != null || this.canSend()) && this.loop!.toggleRate(form));
  }

  transaction(kind: 'begin' | 'commit' | 'abort'): void {
    this.txnSteps.transaction(kind !== 'begin', () => this.transactionStep(kind));
  }

  private transactionStep(kind: 'begin' | 'commit' | 'abort'): Promise<void> | undefined {
    const engine = this.ready();
    if (!engine) return undefined;
    if (!engine.config.settings['transactional.id']) return void this.store.notify('error', 'set transactional.id on the Settings screen (3) first: transactions need one');
    this.store.notify('info', kind === 'begin' ? 'beginning a transaction...' : `${kind === 'commit' ? 'committing' : 'aborting'} the transaction (flushing first)...`);
    const t = engine.transactions;
    // The loop's records after the commit or abort would be refused: it stops with the transaction.
    const loopStopped = kind !== 'begin' && this.loop?.running === true;
    if (loopStopped) this.loop!.stopRate();
    const after = loopStopped ? ' · the producer loop stopped with the transaction: b begins the next, p produces into it' : '';
    if (loopStopped) this.store.notify('info', `${kind === 'commit' ? 'committing' : 'aborting'} the transaction (flushing first)${after}`);
    return (kind === 'begin' ? t.begin() : kind === 'commit' ? t.commit() : t.abort()).then((r) => {
      const hint = r.ok && kind === 'begin' ? ': s sends into it, c commits, a aborts' : '';
      this.store.notify(r.ok ? 'ok' : 'error', r.message + hint + after);
    });
  }

  topicSetting(change: TopicChange): void {
    if (!this.topicSettings) return this.store.notify('error', 'not connected yet: topic settings need the cluster');
    void this.topicSettings.change(change);
  }

  runLab(name: string, tryNext: boolean): void {
    if (this.closing) return this.store.notify('error', 'quitting: no lab is started');
    this.labs.run(name, tryNext);
  }

  abortLab(): void {
    this.labs.abort();
  }

  updateRate(form: ProduceForm): void {
    this.loop?.update(form);
  }

  setTopic(topic: string): void {
    this.topic = topic;
    this.store.setTopic(topic);
    this.loop?.topicChanged(topic);
    const engine = this.engine;
    const cluster = this.cluster;
    if (!engine || !cluster) return;
    void (this.opts.ensureTopic ?? defaultEnsureTopic)(cluster.client, topic)
      .then(async (ready) => {
        if (!(ready.created && cluster.events)) this.store.addEvent('info', ready.message);
        await engine.partitionsFor(topic);
        if (topic === this.topic) this.audit?.start(topic, engine.config.settings['transactional.id'] ? 'read_committed' : 'read_uncommitted');
        this.store.notify('ok', `topic is now ${topic} (${plural(ready.partitions, 'partition')})`);
      })
      .catch((e) => this.store.notify('error', `topic ${topic}: ${errorText(e)}`));
  }

  async applySetting(name: SettingName, text: string | null): Promise<string | null> {
    const engine = this.engine;
    if (!engine) return 'not connected yet: settings apply to the running producer';
    let value: unknown;
    if (text !== null) {
      const parsed = parseSettingValue(name, text);
      if (!parsed.ok) return parsed.error;
      value = parsed.value;
    }
    // Records outside a transaction would all fail once transactional.id is set: the loop stops first.
    const stopLoop = name === 'transactional.id' && typeof value === 'string' && value !== '' && this.loop?.running === true;
    if (stopLoop) this.loop!.stopRate();
    const result = await engine.applySettings({ [name]: value } as Partial<ProducerSettings>);
    if (!result.ok) {
      return result.problems.filter((p) => p.level === 'error').map((p) => p.message).join(' ') || 'the settings were refused';
    }
    const shown = text === null ? `${name} back to its default` : `${name} = ${text.trim()}`;
    const how = result.changed.length === 0 ? ' (unchanged)' : result.swapped ? ' (a new producer took over; queued records kept)' : ' (live)';
    const stopped = stopLoop ? '; producing stopped: a transactional producer sends only inside a transaction (b begins one, p produces into it)' : '';
    this.store.notify('ok', shown + how + stopped);
    return null;
  }

  async importConfig(path: string): Promise<string | null> {
    const engine = this.engine;
    if (!engine) return 'not connected yet: a configuration applies to the running producer';
    const outcome = await importConfigFile(path, (change) => engine.applySettings(change));
    this.store.notify(outcome.error ? 'error' : 'ok', outcome.message);
    return outcome.error;
  }

  async exportConfig(format: ExportFormat, path: string): Promise<{ text: string; path: string } | string> {
    const engine = this.engine;
    if (!engine) return 'not connected yet: the settings are the running producer\'s';
    const written = await exportConfigFile(engine.config, format, path);
    if (typeof written !== 'string') this.store.notify('ok', `wrote ${written.path} (${FORMAT_TITLES[format]})`);
    return written;
  }

  async brokerAction(action: BrokerAction, broker: number, confirmed: boolean): Promise<string | null> {
    const control = this.cluster?.control;
    if (!control) {
      this.store.notify('error', this.cluster?.controlProblem ?? 'broker actions need the built-in cluster (--sandbox) or docker control of the cluster');
      return null;
    }
    this.store.notify('info', `${action} broker ${broker}...`);
    try {
      const r = await control.act(action, broker, { confirmed });
      if (r.needsConfirmation && !confirmed) return `${r.needsConfirmation}. ${action} broker ${broker} anyway?`;
      this.store.notify(r.ok ? 'ok' : 'error', r.message);
    } catch (e) {
      this.store.notify('error', `${action} broker ${broker}: ${errorText(e)}`);
    }
    return null;
  }

  fault(kind: 'drop' | 'delay' | 'error' | 'error-after' | 'clear'): void {
    const faults = this.cluster?.control?.faults;
    if (!faults) {
      this.store.notify('error', 'faults (drop, delay, error) need the built-in cluster: start with --sandbox');
      return;
    }
    const r =
      kind === 'drop' ? faults.dropResponse('produce')
      : kind === 'delay' ? faults.delayResponse('produce', 2000)
      : kind === 'error' ? faults.injectError('produce', 'NOT_ENOUGH_REPLICAS', { when: 'before' })
      : kind === 'error-after' ? faults.injectError('produce', 'NOT_ENOUGH_REPLICAS_AFTER_APPEND', { when: 'after' })
      : faults.clearFaults();
    void Promise.resolve(r).then(
      (x) => this.store.notify(x.ok ? 'ok' : 'error', x.message),
      (e: unknown) => this.store.notify('error', `fault: ${errorText(e)}`),
    );
  }

  resend(ids?: number[]): void {
    const engine = this.ready();
    if (!engine) return;
    const count = ids?.length ?? engine.deliveries.deadLetters().length;
    if (count === 0) {
      this.store.notify('info', 'no dead letters to re-send');
      return;
    }
    this.store.notify('info', `re-sending ${plural(count, 'dead letter')}...`);
    this.tally.onResent(count);
    void engine.resendDeadLetters(ids).then((reports) => {
      const failed = reports.filter((r) => r.error).length;
      const again = failed > 0 ? `, ${failed} failed again (back in the dead letters)` : '';
      this.store.notify(failed > 0 ? 'error' : 'ok', `re-sent ${reports.length}: ${reports.length - failed} delivered${again}`);
    });
  }

  /** The summary of every record so far, as quitting prints it, and its exit code. */
  summary(how: QuitHow): { code: number; message: string } {
    const flushMs = this.opts.flushTimeoutMs ?? 5000;
    const counts = this.tally.counts(this.engine?.totals().handed ?? 0, this.engine?.config.settings.acks === 0);
    return { code: exitCodeFor(counts), message: summaryLines(counts, how, flushMs).join('\n') };
  }

  private exit(how: QuitHow): void {
    if (this.exited) return;
    this.exited = true;
    this.opts.onExit(this.summary(how));
  }

  /**
   * Stops producing, flushes what is queued for at most flushTimeoutMs, closes the engine and the cluster, and
   * leaves with the summary. Closing never holds the app longer than a second or two past the flush: a paused broker
   * does not answer a close either. A second quit leaves at once.
   */
  quit(force: boolean): void {
    if (force) {
      // The lab's cluster lives in this process: aborting lets the runner close it on the way out.
      void this.labs.close();
      this.tally.quitting(0);
      return this.exit('forced');
    }
    // A second quit of any kind (q, Ctrl+C, a signal after q) leaves at once.
    if (this.closing) return this.quit(true);
    this.closing = true;
    void this.shutdown();
  }

  private async shutdown(): Promise<void> {
    const flushMs = this.opts.flushTimeoutMs ?? 5000;
    this.tally.quitting(flushMs);
    this.loop?.stop();
    const polls = this.polls?.stop();
    // Said at once: closing the live audit's consumer can itself wait on a paused broker.
    this.store.setConnection('closing', this.labs.running ? `stopping lab ${this.labs.running} and closing its cluster...` : 'closing...');
    // Everything below shares one deadline: the flush time, and a little for closing connections after it.
    const deadline = Date.now() + flushMs + CLOSE_GRACE_MS;
    const bounded = (p: Promise<unknown>) => Promise.race([p.catch(() => {}), new Promise((r) => setTimeout(r, Math.max(0, deadline - Date.now())).unref())]);
    await bounded(this.labs.close());
    // Closed beside the flush: its consumer can wait on a paused broker, and the flush must not wait for it.
    const auditClosed = this.audit?.close();
    this.topicSettings?.stop();
    const engine = this.engine;
    this.store.setConnection('closing', engine ? flushText(engine.totals(), flushMs) : 'closing...');
    let flushed = true;
    if (engine) {
      const closing = engine.close(flushMs).then(
        (r) => r.unsent === 0,
        (e: unknown) => {
          this.store.addEvent('error', `closing the producer: ${errorText(e)}`);
          return false;
        },
      );
      flushed = (await Promise.race([closing, new Promise<boolean>((r) => setTimeout(() => r(false), Math.max(0, deadline - Date.now())).unref())])) === true;
    }
    this.store.detach();
    this.stopEvents?.();
    this.stopContainers?.();
    await bounded(Promise.all([polls, auditClosed, this.cluster?.close()]));
    this.exit(engine ? (flushed ? 'flushed' : 'flush-timeout') : 'not-connected');
  }
}

/** Closing connections after the flush: the producer's close and the cluster's, together. */
const CLOSE_GRACE_MS = 1500;
