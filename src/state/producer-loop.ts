// The Produce screen's sending: one record, N records, or a continuous rate, all through the shared workload
// (templates, audit stamp, back-pressure), turned from the form into a record spec. Hex and base64 payloads
// have no templates, so they go straight through the serializer, one record at a time.
import type { DeliveryReport, OutgoingRecord } from '../kafka/producer/engine-types.js';
import type { ProducerEngine } from '../kafka/producer/producer-engine.js';
import { serialize, type SerializerKind } from '../kafka/producer/serializers.js';
import { Workload, type KeySpec, type RecordSpec, type WorkloadStats } from '../kafka/workload/workload.js';
import { explicitPartition, parseHeaders, type ProduceForm } from './input/produce-form.js';
import type { WorkloadView } from './store/snapshot.js';
import type { AppStore } from './store/app-store.js';
import { plural } from '../kafka/producer/plural.js';

/** The record spec for the workload, or why this form cannot be templated. */
export function specFromForm(form: ProduceForm): { ok: true; spec: RecordSpec } | { ok: false; error: string } {
  if (form.keyKind === 'hex' || form.keyKind === 'base64' || form.valueKind === 'hex' || form.valueKind === 'base64') {
    return { ok: false, error: 'hex and base64 payloads have no templates: send them one at a time with s, or switch the formats to string or json' };
  }
  const space = Number(form.keySpace);
  let key: KeySpec;
  if (form.keyKind === 'null') key = { kind: 'null' };
  else if (space > 0) key = { kind: 'random', space };
  else if (form.key.includes('{{')) key = { kind: 'template', template: form.key };
  else key = { kind: 'fixed', key: form.key };
  if (form.keyKind === 'json' && key.kind === 'fixed') {
    const checked = serialize(form.key, 'json');
    if (!checked.ok) return { ok: false, error: `key: ${checked.error.message}` };
  }
  const { headers, error } = parseHeaders(form.headers);
  if (error) return { ok: false, error };
  const partition = explicitPartition(form);
  return {
    ok: true,
    spec: { topic: form.topic, key, value: form.value, format: form.valueKind === 'json' ? 'json' : 'string', headers, ...(partition === undefined ? {} : { partition }) },
  };
}

/** One line about a delivery: where it went, or why it failed. */
export function describeReport(r: DeliveryReport): string {
  if (r.error) return `failed after ${plural(r.attempts, 'attempt')}: ${r.error.code ?? ''}${r.error.code ? ' ' : ''}${r.error.message}`;
  const offset = r.offset === null ? 'offset unknown (acks=0)' : `offset ${r.offset}`;
  return `delivered to ${r.topic} partition ${r.partition}, ${offset}, ${r.latencyMs.toFixed(1)} ms, ${plural(r.attempts, 'attempt')}`;
}

export class ProducerLoop {
  private workload: Workload | null = null;

  constructor(
    private readonly engine: ProducerEngine,
    private readonly store: AppStore,
    /** Told of each new run (a new workload and its ledger): the live audit follows it. */
    private readonly onRun: (w: Workload) => void = () => {},
  ) {
    store.setWorkloadSource(() => this.view());
    // A transactional producer refuses records outside a transaction: a loop that kept going would turn every one
    // of them into a failure. The first refused record stops it, and the screen says why.
    engine.on((e) => {
      if (e.t === 'delivered' && e.batch.error && this.running && engine.transactions.refusal()) this.stopForTransactions();
    });
  }

  get running(): boolean {
    return this.workload?.stats().ratePerSec != null;
  }

  /** Stops the loop because the producer is transactional and no transaction takes records now. */
  stopForTransactions(why = 'no transaction is open'): void {
    if (!this.running) return;
    this.workload!.stop();
    this.store.notify('error', `producing stopped: transactional.id is set and ${why}; b begins a transaction, then p produces into it and c commits`);
  }

  /** The workload for this form, created or re-specified; null (and a message) when the form cannot be used. */
  private workloadFor(form: ProduceForm): Workload | null {
    const built = specFromForm(form);
    if (!built.ok) {
      this.store.notify('error', built.error);
      return null;
    }
    if (this.workload && this.workload.spec.topic === built.spec.topic) {
      const r = this.workload.respec(built.spec);
      if (r.ok) return this.workload;
      this.store.notify('error', r.errors.join('; '));
      return null;
    }
    const created = Workload.create(this.engine, built.spec);
    if (!created.ok) {
      this.store.notify('error', created.errors.join('; '));
      return null;
    }
    // A new topic is a new run (its own audit ledger): the old loop stops, its records still report.
    this.workload?.stop();
    this.workload = created.workload;
    this.onRun(created.workload);
    return this.workload;
  }

  /** Resolves once the record has its report (a commit typed right after waits for it). */
  sendOne(form: ProduceForm): Promise<void> {
    if (specFromForm(form).ok) {
      const w = this.workloadFor(form);
      if (!w) return Promise.resolve();
      this.store.notify('info', 'sending one record...');
      return w.sendN(1).then((reports) => this.reportOne(reports[0], w));
    }
    const rec = this.rawRecord(form);
    if (!rec) return Promise.resolve();
    this.store.notify('info', 'sending one record...');
    return this.engine.send(rec).then((r) => this.reportOne(r, null));
  }

  private reportOne(r: DeliveryReport | undefined, w: Workload | null): void {
    if (!r) {
      const why = w?.stats().lastInvalid;
      this.store.notify('error', `not sent: ${why ?? 'the record could not be generated'}`);
      return;
    }
    this.store.notify(r.error ? 'error' : 'ok', describeReport(r));
  }

  /** A hex or base64 record, serialized as typed. */
  private rawRecord(form: ProduceForm): OutgoingRecord | null {
    const key = serialize(form.keyKind === 'null' ? null : form.key, form.keyKind === 'null' ? 'string' : (form.keyKind as SerializerKind));
    if (!key.ok) {
      this.store.notify('error', `key: ${key.error.message}`);
      return null;
    }
    const value = serialize(form.value, form.valueKind);
    if (!value.ok) {
      this.store.notify('error', `value: ${value.error.message}`);
      return null;
    }
    const { headers, error } = parseHeaders(form.headers);
    if (error) {
      this.store.notify('error', error);
      return null;
    }
    const partition = explicitPartition(form);
    return { topic: form.topic, key: key.bytes, value: value.bytes, headers, ...(partition === undefined ? {} : { partition }) };
  }

  /** Resolves once every record has its report. */
  sendN(form: ProduceForm): Promise<void> {
    const w = this.workloadFor(form);
    if (!w) return Promise.resolve();
    const n = Number(form.count);
    const started = performance.now();
    this.store.notify('info', `sending ${plural(n, 'record')}...`);
    return w.sendN(n, { collect: false }).then(() => {
      const s = w.stats();
      const took = performance.now() - started;
      const secs = took < 1000 ? `${Math.max(1, Math.round(took))} ms` : `${(took / 1000).toFixed(1)} s`;
      const skipped = s.invalid > 0 ? `, ${s.invalid} skipped (${s.lastInvalid})` : '';
      this.store.notify(s.failed > 0 ? 'error' : 'ok', `send ${n} done in ${secs} · this run so far: ${s.acked.toLocaleString('en-US')} acknowledged, ${s.failed.toLocaleString('en-US')} failed${skipped}`);
    });
  }

  toggleRate(form: ProduceForm): void {
    if (this.workload?.stats().ratePerSec != null) return this.stopRate();
    const w = this.workloadFor(form);
    if (!w) return;
    w.startRate(Number(form.rate));
    this.store.notify('ok', `producing ${form.rate} records/s to ${form.topic}: p stops, + and - change the rate`);
  }

  stopRate(): void {
    if (!this.workload || this.workload.stats().ratePerSec === null) return;
    this.workload.stop();
    this.store.notify('ok', 'producing stopped: records already sent still report');
  }

  /** Applies a changed rate or record spec to a running loop at once. */
  update(form: ProduceForm): void {
    const running = this.workload?.stats().ratePerSec != null;
    if (!running || this.workload!.spec.topic !== form.topic) return;
    const w = this.workloadFor(form);
    if (!w) return;
    w.setRate(Number(form.rate));
    this.store.notify('ok', `producing ${form.rate} records/s`);
  }

  /** The topic changed: a running loop on the old topic stops (its run and audit belong to that topic). */
  topicChanged(topic: string): void {
    if (this.workload && this.workload.spec.topic !== topic && this.workload.stats().ratePerSec !== null) {
      this.workload.stop();
      this.store.notify('info', `producing to ${this.workload.spec.topic} stopped: the topic is now ${topic}`);
    }
  }

  stop(): void {
    this.workload?.stop();
  }

  /** The current run's ledger (what the audit compares the topic with). */
  ledger(): Workload['ledger'] | null {
    return this.workload?.ledger ?? null;
  }

  stats(): WorkloadStats | null {
    return this.workload?.stats() ?? null;
  }

  private view(): WorkloadView | null {
    const s = this.workload?.stats();
    if (!s) return null;
    const running = s.ratePerSec !== null || s.activeSends > 0;
    const parts = [
      s.ratePerSec !== null ? `${s.ratePerSec} rec/s to ${s.topic}` : s.activeSends > 0 ? `sending to ${s.topic}` : 'stopped',
      `${s.outstanding} awaiting reports`,
      ...(s.behindSchedule > 0 ? [`${s.behindSchedule} skipped behind schedule`] : []),
      ...(s.invalid > 0 ? [`${s.invalid} invalid`] : []),
    ];
    return { running, ratePerSec: s.ratePerSec ?? 0, sent: s.issued, acked: s.acked, failed: s.failed, detail: parts.join(', ') };
  }
}
