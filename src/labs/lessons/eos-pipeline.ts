// The consume-transform-produce loop of the exactly-once lab, written the way an EOS application writes it: a
// kafkajs consumer in a group (read_committed, no auto-commit) hands over batches of the input; each chunk is
// transformed and written to the output in one transaction together with the group's next offsets (sendOffsets),
// then committed. On a failure the transaction is aborted, the producer replaced when it can no longer be trusted
// (fenced, a commit whose outcome is unknown, a record that failed), and the consumer rewound to the group's
// committed offsets: what the aborted attempt wrote stays invisible to read_committed, and the input is processed
// again from where the last commit left it. Ids are settled in the run's ledger only when their transaction commits.
import type { Admin, Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { kafkaClient, type ClientTarget } from '../../kafka/cluster/clients.js';
import type { ProducerEngine } from '../../kafka/producer/producer-engine.js';
import { STAMP_HEADER, stampSequence } from '../../kafka/workload/audit-stamp.js';
import type { RunLedger } from '../../kafka/workload/run-ledger.js';
import { settle, type TxnRecord } from './txn-records.js';

export interface EosPipelineOptions {
  client: ClientTarget;
  input: string;
  output: string;
  groupId: string;
  /** Per input partition, the offset after its last record: the loop is done when its commits reach them all. */
  ends: ReadonlyMap<number, number>;
  /** Records per transaction. */
  chunk: number;
  ledger: RunLedger;
  producer: ProducerEngine;
  /** A new producer with the same transactional.id, to replace one that can no longer be trusted. */
  newProducer(): Promise<ProducerEngine>;
  /** Inside every attempt, once its records are acknowledged and before its offsets and commit: faults go here. */
  midTransaction?(attempt: number): Promise<void>;
  /** After every attempt, committed or recovered. */
  afterTransaction?(attempt: number): Promise<void>;
  log(text: string, level?: 'info' | 'warn'): void;
  signal: AbortSignal;
}

export interface EosStats {
  attempts: number;
  committed: number;
  aborted: number;
  /** Commits that failed with their outcome unknown, settled by the group's committed offsets afterwards. */
  inDoubt: { committed: number; aborted: number };
  /** Producers started, the first one included. */
  producers: number;
  rewinds: number;
  /** Records the consumer handed over again below what this loop had committed, skipped. */
  redelivered: number;
  /** Output records written, aborted attempts included. */
  written: number;
  consumerRestarts: number;
  failures: string[];
}

type Stage = 'begin' | 'produce' | 'offsets' | 'commit';

class StageError extends Error {
  constructor(
    readonly stage: Stage,
    message: string,
  ) {
    super(message);
  }
}

const headerText = (m: KafkaMessage, name: string): string => {
  const v = m.headers?.[name];
  const one = Array.isArray(v) ? v[0] : v;
  return one === undefined ? '' : one.toString();
};

/** The transformation: an order priced with its VAT. */
function transform(value: Buffer | null): Buffer {
  const order = JSON.parse(value?.toString() ?? '{}') as { amount?: number };
  const amount = order.amount ?? 0;
  return Buffer.from(JSON.stringify({ ...order, vat: Math.round(amount * 20) / 100, status: 'PRICED' }));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class EosPipeline {
  readonly stats: EosStats = {
    attempts: 0,
    committed: 0,
    aborted: 0,
    inDoubt: { committed: 0, aborted: 0 },
    producers: 1,
    rewinds: 0,
    redelivered: 0,
    written: 0,
    consumerRestarts: 0,
    failures: [],
  };
  private producer: ProducerEngine;
  /** Producers this loop started; the first one is the lab's engine, which the runner closes. */
  private readonly replacements: ProducerEngine[] = [];
  private readonly kafka: Kafka;
  private admin: Admin | null = null;
  private consumer: Consumer | null = null;
  /** What this loop committed per input partition: the group's committed offsets, as only this loop commits them. */
  private readonly position = new Map<number, number>();
  /** One transaction at a time, even if a restarted consumer hands over a batch while one is still ending. */
  private turn: Promise<unknown> = Promise.resolve();
  private finish!: () => void;
  private fail!: (e: Error) => void;
  private readonly done: Promise<void>;

  constructor(private readonly opts: EosPipelineOptions) {
    this.producer = opts.producer;
    this.kafka = kafkaClient(opts.client, 'lab-eos-pipeline', { retry: { retries: 10, initialRetryTime: 100, maxRetryTime: 1000 } });
    this.done = new Promise<void>((resolve, reject) => {
      this.finish = resolve;
      this.fail = reject;
    });
    this.done.catch(() => {});
  }

  /** Runs until every input record is committed; stops (rejecting) when the signal aborts or a fault hook fails. */
  async run(): Promise<EosStats> {
    const onAbort = () => this.fail(new Error('the lab was stopped'));
    this.opts.signal.addEventListener('abort', onAbort, { once: true });
    try {
      this.admin = this.kafka.admin();
      await this.admin.connect();
      this.checkDone();
      const consumer = (this.consumer = this.kafka.consumer({
        groupId: this.opts.groupId,
        readUncommitted: false,
        sessionTimeout: 10_000,
        heartbeatInterval: 500,
        maxWaitTimeInMs: 100,
        retry: { retries: 10, initialRetryTime: 100, maxRetryTime: 1000 },
      }));
      consumer.on(consumer.events.CRASH, (e) => {
        const { error, restart } = e.payload as { error: Error; restart: boolean };
        if (!restart) this.fail(new Error(`the pipeline's consumer failed: ${error.message}`));
        else {
          this.stats.consumerRestarts++;
          this.opts.log(`consumer restarting after: ${error.message}`, 'warn');
        }
      });
      await consumer.connect();
      await consumer.subscribe({ topic: this.opts.input, fromBeginning: true });
      await consumer.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch: (p) => this.onBatch(p) });
      await this.done;
      return this.stats;
    } finally {
      this.opts.signal.removeEventListener('abort', onAbort);
      await this.consumer?.disconnect().catch(() => {});
      await this.admin?.disconnect().catch(() => {});
      for (const p of this.replacements) await p.close(2000).catch(() => {});
    }
  }

  private checkDone(): void {
    if ([...this.opts.ends].every(([p, end]) => (this.position.get(p) ?? 0) >= end)) this.finish();
  }

  private async onBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const p = batch.partition;
    for (let i = 0; i < batch.messages.length; i += this.opts.chunk) {
      if (!isRunning() || isStale() || this.opts.signal.aborted) return;
      const chunk = batch.messages.slice(i, i + this.opts.chunk);
      const outcome = await this.serially(() => this.transact(p, chunk));
      if (outcome === 'rewound') return;
      resolveOffset(chunk[chunk.length - 1].offset);
      await heartbeat();
    }
  }

  private serially<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.turn.then(fn, fn);
    this.turn = next.catch(() => {});
    return next;
  }

  /** One transaction for one chunk of one input partition. */
  private async transact(p: number, all: KafkaMessage[]): Promise<'done' | 'rewound'> {
    // kafkajs's sendOffsets does not carry the group generation (KIP-447), so a consumer restarted while a commit
    // was ending can hand those records over again: skip what this loop has already committed.
    const committed = this.position.get(p) ?? 0;
    const chunk = all.filter((m) => Number(m.offset) >= committed);
    this.stats.redelivered += all.length - chunk.length;
    if (chunk.length === 0) return 'done';
    const next = Number(chunk[chunk.length - 1].offset) + 1;
    const attempt = ++this.stats.attempts;
    const engine = this.producer;
    let records: TxnRecord[] = [];
    try {
      const begun = await engine.transactions.begin();
      if (!begun.ok) throw new StageError('begin', begun.message);
      records = await Promise.all(chunk.map((m) => this.forward(engine, m)));
      this.stats.written += records.length;
      const failed = records.find((r) => r.report.error);
      if (failed) throw new StageError('produce', `a record failed: ${failed.report.error!.message}`);
      await this.hook(() => this.opts.midTransaction?.(attempt));
      const offsets = await engine.transactions.sendOffsets(this.opts.groupId, [{ topic: this.opts.input, partitions: [{ partition: p, offset: String(next) }] }]);
      if (!offsets.ok) throw new StageError('offsets', offsets.message);
      const commit = await engine.transactions.commit();
      if (!commit.ok) throw new StageError('commit', commit.message);
      settle(this.opts.ledger, records, 'committed');
      this.stats.committed++;
      this.advance(p, next);
      return 'done';
    } catch (e) {
      if (!(e instanceof StageError)) throw e;
      return await this.recover(p, next, records, e);
    } finally {
      await this.hook(() => this.opts.afterTransaction?.(attempt));
    }
  }

  /** A fault hook that fails ends the run: the lab could not do what it set out to do. */
  private async hook(fn: () => Promise<void> | undefined): Promise<void> {
    try {
      await fn();
    } catch (e) {
      this.fail(e as Error);
      throw e;
    }
  }

  private advance(p: number, next: number): void {
    this.position.set(p, Math.max(this.position.get(p) ?? 0, next));
    this.checkDone();
  }

  /** The input record, transformed, to the output: same key, same audit id, and where it came from. */
  private async forward(engine: ProducerEngine, m: KafkaMessage): Promise<TxnRecord> {
    const key = m.key?.toString() ?? '';
    const stamp = headerText(m, STAMP_HEADER);
    const report = await engine.send({
      topic: this.opts.output,
      key: m.key,
      value: transform(m.value),
      headers: [
        { key: STAMP_HEADER, value: stamp },
        { key: 'kpt.source', value: `${this.opts.input}@${m.offset}` },
      ],
    });
    return { key, seq: stampSequence(stamp, this.opts.ledger.runId), report };
  }

  private async recover(p: number, next: number, records: TxnRecord[], e: StageError): Promise<'done' | 'rewound'> {
    const engine = this.producer;
    this.stats.failures.push(`${e.stage}: ${e.message}`);
    this.opts.log(`transaction failed at ${e.stage}: ${e.message}`, 'warn');
    // Only a failed sendOffsets leaves the producer as it was; after a failed record its sequence numbers, after a
    // failed begin or commit its transaction state, can no longer be relied on (kafkajs cannot reset them).
    let trusted = e.stage === 'offsets' && !engine.transactions.isFenced;
    if (engine.transactions.isOpen) {
      const aborted = await engine.transactions.abort();
      if (!aborted.ok) trusted = false;
    }
    if (!trusted) await this.replaceProducer();
    const committed = await this.committedOffset(p);
    if (e.stage === 'commit' && committed >= next) {
      // The commit went through before its answer was lost: the records are in, the offsets moved with them.
      this.stats.inDoubt.committed++;
      this.stats.committed++;
      settle(this.opts.ledger, records, 'committed');
      this.advance(p, committed);
      return 'done';
    }
    if (e.stage === 'commit') this.stats.inDoubt.aborted++;
    this.stats.aborted++;
    return this.rewind(p, committed);
  }

  /** Back to the group's committed offset: kafkajs fetches from there next. */
  private rewind(p: number, offset: number): 'rewound' {
    this.position.set(p, offset);
    this.stats.rewinds++;
    this.consumer!.seek({ topic: this.opts.input, partition: p, offset: String(offset) });
    this.opts.log(`consumer rewound to offset ${offset} of ${this.opts.input}-${p}`);
    return 'rewound';
  }

  /**
   * Java's initTransactions(): the new producer's InitProducerId fences the old one and completes whatever
   * transaction it left, so the group's committed offsets read next are final.
   */
  private async replaceProducer(): Promise<void> {
    for (let tries = 1; ; tries++) {
      let problem: string;
      try {
        const fresh = await this.opts.newProducer();
        this.replacements.push(fresh);
        this.stats.producers++;
        const begun = await fresh.transactions.begin();
        if (begun.ok) {
          await fresh.transactions.abort();
          this.producer = fresh;
          this.opts.log(`producer replaced: producer id ${fresh.status.producerId}, epoch ${fresh.status.producerEpoch}`, 'warn');
          return;
        }
        problem = begun.message;
      } catch (e) {
        problem = (e as Error).message;
      }
      if (tries >= 5) throw new Error(`could not start a new transactional producer: ${problem}`);
      await sleep(200 * tries);
    }
  }

  /** The group's committed offset of an input partition (0 before the first commit), asked until answered. */
  private async committedOffset(p: number): Promise<number> {
    for (let tries = 1; ; tries++) {
      try {
        const [topic] = await this.admin!.fetchOffsets({ groupId: this.opts.groupId, topics: [this.opts.input] });
        const offset = Number(topic.partitions.find((x) => x.partition === p)?.offset ?? -1);
        return offset < 0 ? 0 : offset;
      } catch (e) {
        if (tries >= 20) throw e;
        await sleep(100 * Math.min(tries, 5));
      }
    }
  }
}
