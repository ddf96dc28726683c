/**
 * The delivery audit while records flow: a consumer tails the topic from where it ended when the audit started,
 * and the run's ledger (run id and per-key sequence in every record's headers) says what each record read is.
 * The same definitions as the headless audit (delivery-audit.ts), counted as they happen:
 *   lost        acknowledged (or sent with acks=0) and absent once the high watermark has passed it: the
 *               consumer has read up to a high watermark taken after the acknowledgement, and the record was
 *               not there. A record acknowledged above a high watermark that stays below it for SETTLE_MS is
 *               lost too (the leader that acknowledged it was replaced by one that never had it), as the
 *               headless audit gives up after its settle time. Should a copy be read after all (replication was
 *               only slow), the record is taken off the lost list.
 *   duplicated  the same key and sequence read twice (each extra copy counts one)
 *   reordered   a lower sequence of a key read after a higher one in the same partition
 * read_uncommitted by default; read_committed for a transactional producer (aborted records are then absent,
 * which is what an application reading them sees). The tally is the headless audit's own (DeliveryTally). The
 * records come from a lean reader of its own (audit-fetcher.ts: Fetch without a consumer group, no record objects),
 * as this one never ends and runs beside every produce. Each fetch answer also gives its partitions' high
 * watermarks: a kafkajs admin polling them (as this audit once did) kept asking a crashed leader, and judged nothing
 * for as long as it did. The admin only takes the starting offsets.
 */
import type { Admin, Kafka } from 'kafkajs';
import type { ClientTarget } from '../cluster/clients.js';
import type { DeliveryReport } from '../producer/engine-types.js';
import { DeliveryTally, type KeySeq } from './delivery-audit.js';
import { AuditFetcher, type AuditedRecord } from './audit-fetcher.js';
import { STAMP_HEADER } from './audit-stamp.js';
import { keyLabel, ledgerKey, type RunLedger } from './run-ledger.js';
import { highWatermarks, readerKafka, type IsolationLevel } from './topic-reader.js';

export type FindingKind = 'lost' | 'duplicated' | 'reordered';

/** One offending record, for the Records screen. */
export interface AuditFinding {
  kind: FindingKind;
  key: string;
  seq: number;
  partition: number;
  offset: number | null;
  /** When the audit noticed it (epoch ms). */
  at: number;
  /** In words: "read again at offset 812", "seq 40 after seq 44", "acked at offset 97, absent below HW 130". */
  detail: string;
}

export interface LiveAuditView {
  runId: string | null;
  topic: string;
  isolation: IsolationLevel;
  /** 'starting' until the reader knows the partitions' leaders; 'tailing' after; 'failed' with `problem`. */
  phase: 'starting' | 'tailing' | 'failed';
  problem: string | null;
  lost: number;
  duplicated: number;
  reordered: number;
  /** Records of this run read back (every copy). */
  read: number;
  /** Acknowledged records not read yet, and not (yet) lost. */
  unseen: number;
}

export interface LiveAuditOptions {
  target: ClientTarget;
  topic: string;
  isolation?: IsolationLevel;
  /** How often unseen records are judged against the latest high watermarks (default 1000 ms). */
  pollMs?: number;
  /** How long after its acknowledgement a record may take to show up below the high watermark (default 1000 ms). */
  graceMs?: number;
  /** How long a record acknowledged above the high watermark may stay there before it counts lost (default 5000 ms). */
  settleMs?: number;
  now?: () => number;
}

const KEEP_FINDINGS = 200;
/**
 * How long the audit's reader lets a broker hold an empty fetch: Kafka's default fetch.max.wait.ms (a broker that
 * leads none of the partitions records go to answers twice a second). fetch.min.bytes stays at 1: with the kafkajs
 * consumer held for 64 KiB, the audit missed the records an acks=1 leader took with it when it crashed (the
 * live-audit screen test failed about half the time), so a fetch is answered as soon as a record arrives...
 */
const FETCH_WAIT_MS = 500;
/** ...and fetched again 100 ms after the last fetch started at the soonest: at most 10 fetches a second per broker. */
const FETCH_GAP_MS = 100;

interface Unseen {
  ledgerId: string;
  seq: number;
  partition: number;
  offset: number | null;
  ackedAt: number;
}

export class LiveAudit {
  readonly topic: string;
  readonly isolation: IsolationLevel;
  private readonly kafka: Kafka;
  private readonly admin: Admin;
  private reader: AuditFetcher | null = null;
  private ledger: RunLedger | null = null;
  private tally: DeliveryTally | null = null;
  private readonly unseen = new Map<string, Unseen>();
  /** Next offset to read per partition, from the start offsets on (a batch's last offset + 1 covers control records). */
  private readonly position = new Map<number, number>();
  /**
   * Per partition, the latest high watermark sample (the last stable offset, as ListOffsets gives it for
   * read_committed; the high watermark while no transaction is open), and when the fetch that brought it was sent.
   */
  private hw = new Map<number, number>();
  private hwAt = new Map<number, number>();
  private startOffsets = new Map<number, number>();
  /** Counted lost, by ledger key and seq: a copy read later (replication caught up after all) takes it back. */
  private readonly lostSet = new Map<string, AuditFinding>();
  private findingsList: AuditFinding[] = [];
  private readonly listeners = new Set<(f: AuditFinding) => void>();
  private phase: LiveAuditView['phase'] = 'starting';
  private problem: string | null = null;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly now: () => number;
  /** The last reported key and its ledger key. */
  private lastKey: string | null = null;
  private lastLedgerId = ledgerKey(null);

  constructor(private readonly opts: LiveAuditOptions) {
    this.topic = opts.topic;
    this.isolation = opts.isolation ?? 'read_uncommitted';
    this.now = opts.now ?? Date.now;
    this.kafka = readerKafka(opts.target, 'kafka-producer-tui-live-audit');
    this.admin = this.kafka.admin();
  }

  /** Connects, takes the high watermarks as the start, and tails from there. Never rejects: a failure is the view's problem. */
  async start(): Promise<void> {
    try {
      await this.admin.connect();
      this.startOffsets = await highWatermarks(this.admin, this.topic);
      this.hw = new Map(this.startOffsets);
      const at = this.now();
      for (const p of this.startOffsets.keys()) this.hwAt.set(p, at);
      for (const [p, o] of this.startOffsets) this.position.set(p, o);
      if (this.closed) return;
      const reader = new AuditFetcher({
        target: this.opts.target,
        topic: this.topic,
        isolation: this.isolation,
        positions: this.position,
        maxWaitMs: FETCH_WAIT_MS,
        fetchGapMs: FETCH_GAP_MS,
        stampHeader: STAMP_HEADER,
        onRecord: (r) => this.onRecord(r),
        onWatermark: (partition, offset, sentAt) => {
          this.hw.set(partition, offset);
          this.hwAt.set(partition, sentAt);
        },
        now: this.now,
        onFailure: (problem) => this.fail(problem),
      });
      this.reader = reader;
      await reader.start();
      if (this.closed) return reader.close();
      if (this.phase === 'starting') this.phase = 'tailing';
      this.timer = setInterval(() => this.judge(), this.opts.pollMs ?? 1000);
      this.timer.unref();
    } catch (e) {
      this.fail(`the live audit cannot read ${this.topic}: ${(e as Error).message}`);
    }
  }

  private fail(problem: string): void {
    if (this.closed) return;
    this.phase = 'failed';
    this.problem = problem;
  }

  /** Audits `ledger`'s run from now on: counts start again at zero (the counts are for the current run). */
  track(ledger: RunLedger): void {
    if (this.ledger === ledger) return;
    this.ledger = ledger;
    this.tally = new DeliveryTally(ledger, 0, (kind, partition, offset, at) => this.onProblem(kind, partition, offset, at));
    this.unseen.clear();
    this.lostSet.clear();
    this.findingsList = [];
  }

  /** A delivery report of the tracked run (with the record's key and sequence). */
  settled(report: DeliveryReport, key: string | null, seq: number): void {
    if (!this.tally || report.error || report.topic !== this.topic) return;
    // Reports of one key in a row (a fixed key) share its ledger key: no new string per report.
    if (key !== this.lastKey) {
      this.lastKey = key;
      this.lastLedgerId = ledgerKey(key);
    }
    const ledgerId = this.lastLedgerId;
    if (this.tally.copiesOf(ledgerId, seq) > 0) return;
    this.unseen.set(`${ledgerId}\u0000${seq}`, { ledgerId, seq, partition: report.partition, offset: report.offset, ackedAt: this.now() });
  }

  /**
   * The producer's transaction was aborted: the records it acknowledged inside it will never be read committed,
   * and are not lost. Every acknowledged record not read yet belonged to it (an abort flushes first).
   */
  transactionAborted(): void {
    if (this.isolation === 'read_committed') this.unseen.clear();
  }

  onFinding(fn: (f: AuditFinding) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  findings(): readonly AuditFinding[] {
    return this.findingsList;
  }

  view(): LiveAuditView {
    return {
      runId: this.ledger?.runId ?? null,
      topic: this.topic,
      isolation: this.isolation,
      phase: this.phase,
      problem: this.problem,
      lost: this.lostSet.size,
      duplicated: this.tally?.duplicated ?? 0,
      reordered: this.tally?.reordered ?? 0,
      read: this.tally?.read ?? 0,
      unseen: this.unseen.size,
    };
  }

  private onRecord(r: AuditedRecord): void {
    const tally = this.tally;
    if (!tally) return;
    // Only a record's first copy can be one that was unseen or counted lost.
    if (tally.count(r.partition, r.offset, r.key, r.stamp) !== 1) return;
    if (this.unseen.size === 0 && this.lostSet.size === 0) return;
    const id = `${tally.lastId}\u0000${tally.lastSeq}`;
    this.unseen.delete(id);
    if (this.lostSet.size === 0) return;
    const late = this.lostSet.get(id);
    if (late) {
      this.lostSet.delete(id);
      this.findingsList = this.findingsList.filter((f) => f !== late);
    }
  }

  private onProblem(kind: 'duplicated' | 'reordered', partition: number, offset: number, at: KeySeq & { afterSeq?: number }): void {
    const detail = kind === 'duplicated' ? `read again at offset ${offset}` : `seq ${at.seq} read after seq ${at.afterSeq} (offset ${offset})`;
    this.add({ kind, key: at.key, seq: at.seq, partition, offset, at: this.now(), detail });
  }

  private add(f: AuditFinding): void {
    this.findingsList.push(f);
    if (this.findingsList.length > KEEP_FINDINGS * 2) this.findingsList = this.findingsList.slice(-KEEP_FINDINGS);
    for (const l of this.listeners) l(f);
  }

  /** Public for tests that step time: counts as lost what the last high watermark sample proves missing. */
  judge(): void {
    const grace = this.opts.graceMs ?? 1000;
    const settle = this.opts.settleMs ?? 5000;
    for (const [id, u] of this.unseen) {
      // Written before the audit took its starting offsets (a send right after connecting): it never reads that far
      // back, so absence proves nothing.
      if (u.offset !== null && u.offset < (this.startOffsets.get(u.partition) ?? 0)) {
        this.unseen.delete(id);
        continue;
      }
      const hwAt = this.hwAt.get(u.partition) ?? 0;
      if (hwAt < u.ackedAt + grace) continue;
      const hw = this.hw.get(u.partition) ?? 0;
      const caughtUp = (this.position.get(u.partition) ?? 0) >= hw;
      if (!caughtUp) continue;
      const below = u.offset === null || u.offset < hw;
      if (!below && hwAt < u.ackedAt + settle) continue;
      this.unseen.delete(id);
      const where = u.offset === null ? 'sent with acks=0' : `acked at offset ${u.offset}`;
      const why = below ? `absent below high watermark ${hw}` : `high watermark stayed at ${hw}`;
      const finding: AuditFinding = { kind: 'lost', key: keyLabel(u.ledgerId), seq: u.seq, partition: u.partition, offset: u.offset, at: this.now(), detail: `${where}, ${why}` };
      this.lostSet.set(id, finding);
      this.add(finding);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.reader?.close();
    await this.admin.disconnect().catch(() => {});
  }
}
