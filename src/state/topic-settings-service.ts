// The Cluster screen's topic settings: read every 2 s for the current topic, and changed by keys one step at a time
// (min.insync.replicas up or down within the replication factor, unclean leader election on or off, retention.ms
// through a few presets). Each change is reported in the notice line and the events, with what acks=all will do.
import type { TopicConfigs } from '../kafka/cluster/topic-configs.js';
import type { TopicChange } from './input/app-actions.js';
import type { AppStore } from './store/app-store.js';

const POLL_MS = 2000;
const RETENTIONS = [60_000, 3_600_000, 604_800_000];
const retentionText = (ms: number) => (ms === 60_000 ? '1 min' : ms === 3_600_000 ? '1 h' : ms === 604_800_000 ? '7 days' : `${ms} ms`);

export class TopicSettingsService {
  private timer: NodeJS.Timeout | null = null;
  private reading = false;

  constructor(
    private readonly store: AppStore,
    private readonly configs: TopicConfigs,
    private readonly topic: () => string,
    /** The topic's replication factor (from metadata), to bound min.insync.replicas. */
    private readonly replicationFactor: () => number,
  ) {}

  start(): void {
    void this.poll();
    this.timer = setInterval(() => void this.poll(), POLL_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async poll(): Promise<void> {
    if (this.reading) return;
    this.reading = true;
    const topic = this.topic();
    try {
      const view = await this.configs.read(topic);
      if (topic === this.topic()) this.store.setTopicSettings(view);
    } catch {
      // The topic is being created, or a broker is down: the next read tries again.
    } finally {
      this.reading = false;
    }
  }

  async change(kind: TopicChange): Promise<void> {
    const topic = this.topic();
    let now;
    try {
      now = await this.configs.read(topic);
    } catch (e) {
      this.store.notify('error', `cannot read ${topic}'s settings: ${(e as Error).message}`);
      return;
    }
    const rf = this.replicationFactor();
    let name: 'min.insync.replicas' | 'unclean.leader.election.enable' | 'retention.ms';
    let value: string;
    if (kind === 'min-isr-up' || kind === 'min-isr-down') {
      const next = now.minInsyncReplicas + (kind === 'min-isr-up' ? 1 : -1);
      if (next < 1 || next > Math.max(1, rf)) {
        this.store.notify('error', `min.insync.replicas stays ${now.minInsyncReplicas}: it goes from 1 to the replication factor (${rf})`);
        return;
      }
      name = 'min.insync.replicas';
      value = String(next);
    } else if (kind === 'unclean-toggle') {
      name = 'unclean.leader.election.enable';
      value = String(!now.uncleanLeaderElection);
    } else {
      name = 'retention.ms';
      value = String(RETENTIONS[(RETENTIONS.indexOf(now.retentionMs) + 1) % RETENTIONS.length]);
    }
    const r = await this.configs.set(topic, name, value);
    const shown = name === 'retention.ms' ? ` (${retentionText(Number(value))})` : '';
    this.store.notify(r.ok ? 'ok' : 'error', `${r.message}${r.ok ? shown : ''}`);
    if (r.ok) this.store.addMarker('setting', `${topic} ${name}=${value}`);
    await this.poll();
  }
}
